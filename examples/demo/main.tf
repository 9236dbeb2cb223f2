# The demo's resources in Terraform, the same as template.yaml declares for SAM.

variable "orders_table" {
  type    = string
  default = "orders"
}

resource "aws_s3_bucket" "orders_archive" {
  bucket = "demo-orders-archive"
}

resource "aws_s3_bucket" "invoices" {
  bucket = "demo-invoices"
}

resource "aws_dynamodb_table" "orders" {
  name         = var.orders_table
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_lambda_function" "orders" {
  function_name = "demo-orders"
  handler       = "app.handler"
  runtime       = "python3.12"
  filename      = "build/app.zip"
  role          = aws_iam_role.orders.arn

  environment {
    variables = {
      ORDERS_TABLE = aws_dynamodb_table.orders.name
    }
  }
}

resource "aws_iam_role" "orders" {
  name = "demo-orders"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}
