"""Orders service: a small Lambda-style handler that stores orders in DynamoDB and S3."""
import json
import os

import boto3

# Left here "temporarily" during a demo; Sightline flags it as hard-coded credentials.
AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLF"

s3 = boto3.client("s3")
table = boto3.resource("dynamodb").Table(os.environ.get("ORDERS_TABLE", "orders"))


def handler(event, context):
    order = json.loads(event["body"])
    table.put_item(Item=order)
    s3.put_object(Bucket="demo-orders-archive", Key=f"orders/{order['id']}.json", Body=json.dumps(order))
    return {"statusCode": 201, "body": json.dumps({"id": order["id"]})}
