// The AWS operations the review rules know about, per service: which ones paginate, which have
// waiters, which report partial failure in their response. Data only; the matching of SDK calls
// against it lives in awsSdkCalls.ts.
//
// Naming across SDKs follows from the PascalCase API name, which is also CloudTrail's eventName:
//   API `ListObjectsV2` → boto3 `list_objects_v2` (stored, since the snake_case form has exceptions)
//                       → JS v3 `ListObjectsV2Command`, `paginateListObjectsV2`
//                       → JS v2 and Java (v1 and v2) `listObjectsV2`; Java v2 `listObjectsV2Paginator`
//   waiter `InstanceRunning` → boto3 `get_waiter('instance_running')`, JS v3 and Java v2 `waitUntilInstanceRunning`
// CloudTrail's eventSource is `<endpointPrefix>.amazonaws.com`.

export interface AwsPagination {
  /** Request parameters that hand a continuation token back: `ContinuationToken`, `ExclusiveStartKey`. */
  inputTokens: readonly string[];
  /** Response fields that carry the next token or say more results exist: `NextContinuationToken`, `IsTruncated`. */
  outputTokens: readonly string[];
  /** The request parameter that caps one page: `MaxKeys`, `Limit`. */
  limitParameter?: string;
  /** Request parameters that name the resources wanted, so the answer fits one page: `InstanceIds`. */
  boundedBy?: readonly string[];
  /** SDK methods that fetch the next page from the previous response (Java v1 S3). */
  nextPageMethods?: readonly string[];
}

export interface AwsBatchFailure {
  /** Response fields that report the entries that failed: `UnprocessedItems`, `FailedRecordCount`, `Failed`. */
  fields: readonly string[];
  /** Per-entry result fields that also tell failures apart: `ErrorCode` in Kinesis `Records[]`. */
  entryFields?: readonly string[];
}

export interface AwsOperation {
  /** PascalCase API name, as in the service model and CloudTrail's eventName. */
  api: string;
  /** The boto3 client method. */
  boto3: string;
  /** The boto3 resource action for the same API, where its name differs: SQS `queue.send_messages`. */
  boto3Resource?: string;
  /** The DynamoDB DocumentClient method (JS v2) and lib-dynamodb `<Name>Command` stem (JS v3), where they exist. */
  documentClient?: string;
  pagination?: AwsPagination;
  batchFailure?: AwsBatchFailure;
}

export interface AwsWaiter {
  /** PascalCase name in the service's waiter model: `InstanceRunning`. */
  name: string;
  /** The boto3 waiter name: `instance_running`. */
  boto3: string;
  /** The API the waiter polls. */
  operation: string;
}

export interface AwsService {
  /** Endpoint prefix: `s3`, `dynamodb`, `logs`. */
  endpointPrefix: string;
  /** The name boto3.client() and boto3.resource() take. */
  boto3: string;
  /** The JS v3 package and its bare client class. */
  jsV3Package: string;
  jsV3Client: string;
  /** The JS v2 class (`AWS.S3`), also the JS v3 aggregated client class (`new S3({})`). */
  jsV2Class: string;
  /** The Java v2 synchronous client; the asynchronous one swaps `Client` for `AsyncClient`. */
  javaV2Client: string;
  /** The Java v1 client interface; its builder is `<interface>ClientBuilder`. */
  javaV1Client: string;
  /** Words in a variable name that suggest a client of this service: `ddb`, `s3`. */
  nameHints: readonly string[];
  operations: readonly AwsOperation[];
  waiters?: readonly AwsWaiter[];
}

const nextToken: AwsPagination = { inputTokens: ['NextToken'], outputTokens: ['NextToken'], limitParameter: 'MaxResults' };
const lowerNextToken: AwsPagination = { inputTokens: ['nextToken'], outputTokens: ['nextToken'], limitParameter: 'maxResults' };
const iamMarker: AwsPagination = { inputTokens: ['Marker'], outputTokens: ['Marker', 'IsTruncated'], limitParameter: 'MaxItems' };

export const awsServices: readonly AwsService[] = [
  {
    endpointPrefix: 's3',
    boto3: 's3',
    jsV3Package: '@aws-sdk/client-s3',
    jsV3Client: 'S3Client',
    jsV2Class: 'S3',
    javaV2Client: 'S3Client',
    javaV1Client: 'AmazonS3',
    nameHints: ['s3', 'bucket'],
    operations: [
      { api: 'ListObjectsV2', boto3: 'list_objects_v2', pagination: { inputTokens: ['ContinuationToken', 'StartAfter'], outputTokens: ['NextContinuationToken', 'IsTruncated'], limitParameter: 'MaxKeys' } },
      { api: 'ListObjects', boto3: 'list_objects', pagination: { inputTokens: ['Marker'], outputTokens: ['NextMarker', 'IsTruncated'], limitParameter: 'MaxKeys', nextPageMethods: ['listNextBatchOfObjects'] } },
      { api: 'ListObjectVersions', boto3: 'list_object_versions', pagination: { inputTokens: ['KeyMarker', 'VersionIdMarker'], outputTokens: ['NextKeyMarker', 'NextVersionIdMarker', 'IsTruncated'], limitParameter: 'MaxKeys', nextPageMethods: ['listNextBatchOfVersions'] } },
      { api: 'DeleteObjects', boto3: 'delete_objects', batchFailure: { fields: ['Errors'] } },
      { api: 'HeadBucket', boto3: 'head_bucket' },
      { api: 'HeadObject', boto3: 'head_object' },
    ],
    waiters: [
      { name: 'BucketExists', boto3: 'bucket_exists', operation: 'HeadBucket' },
      { name: 'BucketNotExists', boto3: 'bucket_not_exists', operation: 'HeadBucket' },
      { name: 'ObjectExists', boto3: 'object_exists', operation: 'HeadObject' },
      { name: 'ObjectNotExists', boto3: 'object_not_exists', operation: 'HeadObject' },
    ],
  },
  {
    endpointPrefix: 'dynamodb',
    boto3: 'dynamodb',
    jsV3Package: '@aws-sdk/client-dynamodb',
    jsV3Client: 'DynamoDBClient',
    jsV2Class: 'DynamoDB',
    javaV2Client: 'DynamoDbClient',
    javaV1Client: 'AmazonDynamoDB',
    nameHints: ['dynamodb', 'dynamo', 'ddb', 'table', 'docclient', 'documentclient'],
    operations: [
      { api: 'Scan', boto3: 'scan', documentClient: 'Scan', pagination: { inputTokens: ['ExclusiveStartKey'], outputTokens: ['LastEvaluatedKey'], limitParameter: 'Limit' } },
      { api: 'Query', boto3: 'query', documentClient: 'Query', pagination: { inputTokens: ['ExclusiveStartKey'], outputTokens: ['LastEvaluatedKey'], limitParameter: 'Limit' } },
      { api: 'ListTables', boto3: 'list_tables', pagination: { inputTokens: ['ExclusiveStartTableName'], outputTokens: ['LastEvaluatedTableName'], limitParameter: 'Limit' } },
      { api: 'BatchWriteItem', boto3: 'batch_write_item', documentClient: 'BatchWrite', batchFailure: { fields: ['UnprocessedItems'] } },
      { api: 'BatchGetItem', boto3: 'batch_get_item', documentClient: 'BatchGet', batchFailure: { fields: ['UnprocessedKeys'] } },
      { api: 'DescribeTable', boto3: 'describe_table' },
    ],
    waiters: [
      { name: 'TableExists', boto3: 'table_exists', operation: 'DescribeTable' },
      { name: 'TableNotExists', boto3: 'table_not_exists', operation: 'DescribeTable' },
    ],
  },
  {
    endpointPrefix: 'lambda',
    boto3: 'lambda',
    jsV3Package: '@aws-sdk/client-lambda',
    jsV3Client: 'LambdaClient',
    jsV2Class: 'Lambda',
    javaV2Client: 'LambdaClient',
    javaV1Client: 'AWSLambda',
    nameHints: ['lambda', 'lambdaclient', 'awslambda'],
    operations: [
      { api: 'ListFunctions', boto3: 'list_functions', pagination: { inputTokens: ['Marker'], outputTokens: ['NextMarker'], limitParameter: 'MaxItems' } },
      { api: 'GetFunction', boto3: 'get_function' },
      { api: 'GetFunctionConfiguration', boto3: 'get_function_configuration' },
    ],
    waiters: [
      { name: 'FunctionActiveV2', boto3: 'function_active_v2', operation: 'GetFunction' },
      { name: 'FunctionUpdatedV2', boto3: 'function_updated_v2', operation: 'GetFunction' },
      { name: 'FunctionExists', boto3: 'function_exists', operation: 'GetFunction' },
      { name: 'FunctionActive', boto3: 'function_active', operation: 'GetFunctionConfiguration' },
      { name: 'FunctionUpdated', boto3: 'function_updated', operation: 'GetFunctionConfiguration' },
    ],
  },
  {
    endpointPrefix: 'iam',
    boto3: 'iam',
    jsV3Package: '@aws-sdk/client-iam',
    jsV3Client: 'IAMClient',
    jsV2Class: 'IAM',
    javaV2Client: 'IamClient',
    javaV1Client: 'AmazonIdentityManagement',
    nameHints: ['iam'],
    operations: [
      { api: 'ListUsers', boto3: 'list_users', pagination: iamMarker },
      { api: 'ListRoles', boto3: 'list_roles', pagination: iamMarker },
      { api: 'ListPolicies', boto3: 'list_policies', pagination: iamMarker },
      { api: 'ListGroups', boto3: 'list_groups', pagination: iamMarker },
      { api: 'ListAttachedRolePolicies', boto3: 'list_attached_role_policies', pagination: iamMarker },
      { api: 'GetRole', boto3: 'get_role' },
      { api: 'GetUser', boto3: 'get_user' },
    ],
    waiters: [
      { name: 'RoleExists', boto3: 'role_exists', operation: 'GetRole' },
      { name: 'UserExists', boto3: 'user_exists', operation: 'GetUser' },
    ],
  },
  {
    endpointPrefix: 'ec2',
    boto3: 'ec2',
    jsV3Package: '@aws-sdk/client-ec2',
    jsV3Client: 'EC2Client',
    jsV2Class: 'EC2',
    javaV2Client: 'Ec2Client',
    javaV1Client: 'AmazonEC2',
    nameHints: ['ec2'],
    operations: [
      { api: 'DescribeInstances', boto3: 'describe_instances', pagination: { ...nextToken, boundedBy: ['InstanceIds'] } },
      { api: 'DescribeInstanceStatus', boto3: 'describe_instance_status', pagination: { ...nextToken, boundedBy: ['InstanceIds'] } },
      { api: 'DescribeVolumes', boto3: 'describe_volumes', pagination: { ...nextToken, boundedBy: ['VolumeIds'] } },
      { api: 'DescribeSnapshots', boto3: 'describe_snapshots', pagination: { ...nextToken, boundedBy: ['SnapshotIds'] } },
      { api: 'DescribeSecurityGroups', boto3: 'describe_security_groups', pagination: { ...nextToken, boundedBy: ['GroupIds', 'GroupNames'] } },
      { api: 'DescribeImages', boto3: 'describe_images' },
      { api: 'DescribeNatGateways', boto3: 'describe_nat_gateways', pagination: { ...nextToken, boundedBy: ['NatGatewayIds'] } },
    ],
    waiters: [
      { name: 'InstanceRunning', boto3: 'instance_running', operation: 'DescribeInstances' },
      { name: 'InstanceStopped', boto3: 'instance_stopped', operation: 'DescribeInstances' },
      { name: 'InstanceTerminated', boto3: 'instance_terminated', operation: 'DescribeInstances' },
      { name: 'InstanceExists', boto3: 'instance_exists', operation: 'DescribeInstances' },
      { name: 'InstanceStatusOk', boto3: 'instance_status_ok', operation: 'DescribeInstanceStatus' },
      { name: 'SystemStatusOk', boto3: 'system_status_ok', operation: 'DescribeInstanceStatus' },
      { name: 'VolumeAvailable', boto3: 'volume_available', operation: 'DescribeVolumes' },
      { name: 'VolumeInUse', boto3: 'volume_in_use', operation: 'DescribeVolumes' },
      { name: 'VolumeDeleted', boto3: 'volume_deleted', operation: 'DescribeVolumes' },
      { name: 'SnapshotCompleted', boto3: 'snapshot_completed', operation: 'DescribeSnapshots' },
      { name: 'ImageAvailable', boto3: 'image_available', operation: 'DescribeImages' },
      { name: 'ImageExists', boto3: 'image_exists', operation: 'DescribeImages' },
      { name: 'NatGatewayAvailable', boto3: 'nat_gateway_available', operation: 'DescribeNatGateways' },
    ],
  },
  {
    endpointPrefix: 'logs',
    boto3: 'logs',
    jsV3Package: '@aws-sdk/client-cloudwatch-logs',
    jsV3Client: 'CloudWatchLogsClient',
    jsV2Class: 'CloudWatchLogs',
    javaV2Client: 'CloudWatchLogsClient',
    javaV1Client: 'AWSLogs',
    nameHints: ['logs', 'cwl', 'cloudwatchlogs', 'logsclient'],
    operations: [
      { api: 'DescribeLogGroups', boto3: 'describe_log_groups', pagination: { inputTokens: ['nextToken'], outputTokens: ['nextToken'], limitParameter: 'limit' } },
      { api: 'DescribeLogStreams', boto3: 'describe_log_streams', pagination: { inputTokens: ['nextToken'], outputTokens: ['nextToken'], limitParameter: 'limit' } },
      { api: 'FilterLogEvents', boto3: 'filter_log_events', pagination: { inputTokens: ['nextToken'], outputTokens: ['nextToken'], limitParameter: 'limit' } },
    ],
  },
  {
    endpointPrefix: 'sqs',
    boto3: 'sqs',
    jsV3Package: '@aws-sdk/client-sqs',
    jsV3Client: 'SQSClient',
    jsV2Class: 'SQS',
    javaV2Client: 'SqsClient',
    javaV1Client: 'AmazonSQS',
    nameHints: ['sqs', 'queue'],
    operations: [
      { api: 'ListQueues', boto3: 'list_queues', pagination: nextToken },
      { api: 'SendMessageBatch', boto3: 'send_message_batch', boto3Resource: 'send_messages', batchFailure: { fields: ['Failed'] } },
      { api: 'DeleteMessageBatch', boto3: 'delete_message_batch', boto3Resource: 'delete_messages', batchFailure: { fields: ['Failed'] } },
      { api: 'ChangeMessageVisibilityBatch', boto3: 'change_message_visibility_batch', batchFailure: { fields: ['Failed'] } },
    ],
  },
  {
    endpointPrefix: 'sns',
    boto3: 'sns',
    jsV3Package: '@aws-sdk/client-sns',
    jsV3Client: 'SNSClient',
    jsV2Class: 'SNS',
    javaV2Client: 'SnsClient',
    javaV1Client: 'AmazonSNS',
    nameHints: ['sns', 'topic'],
    operations: [
      { api: 'ListTopics', boto3: 'list_topics', pagination: { inputTokens: ['NextToken'], outputTokens: ['NextToken'] } },
      { api: 'ListSubscriptions', boto3: 'list_subscriptions', pagination: { inputTokens: ['NextToken'], outputTokens: ['NextToken'] } },
      { api: 'PublishBatch', boto3: 'publish_batch', batchFailure: { fields: ['Failed'] } },
    ],
  },
  {
    endpointPrefix: 'cloudformation',
    boto3: 'cloudformation',
    jsV3Package: '@aws-sdk/client-cloudformation',
    jsV3Client: 'CloudFormationClient',
    jsV2Class: 'CloudFormation',
    javaV2Client: 'CloudFormationClient',
    javaV1Client: 'AmazonCloudFormation',
    nameHints: ['cloudformation', 'cfn', 'cf'],
    operations: [
      { api: 'ListStacks', boto3: 'list_stacks', pagination: { inputTokens: ['NextToken'], outputTokens: ['NextToken'] } },
      { api: 'DescribeStacks', boto3: 'describe_stacks', pagination: { inputTokens: ['NextToken'], outputTokens: ['NextToken'], boundedBy: ['StackName'] } },
      { api: 'DescribeChangeSet', boto3: 'describe_change_set' },
    ],
    waiters: [
      { name: 'StackCreateComplete', boto3: 'stack_create_complete', operation: 'DescribeStacks' },
      { name: 'StackUpdateComplete', boto3: 'stack_update_complete', operation: 'DescribeStacks' },
      { name: 'StackDeleteComplete', boto3: 'stack_delete_complete', operation: 'DescribeStacks' },
      { name: 'StackExists', boto3: 'stack_exists', operation: 'DescribeStacks' },
      { name: 'ChangeSetCreateComplete', boto3: 'change_set_create_complete', operation: 'DescribeChangeSet' },
    ],
  },
  {
    endpointPrefix: 'secretsmanager',
    boto3: 'secretsmanager',
    jsV3Package: '@aws-sdk/client-secrets-manager',
    jsV3Client: 'SecretsManagerClient',
    jsV2Class: 'SecretsManager',
    javaV2Client: 'SecretsManagerClient',
    javaV1Client: 'AWSSecretsManager',
    nameHints: ['secretsmanager', 'secrets', 'sm'],
    operations: [{ api: 'ListSecrets', boto3: 'list_secrets', pagination: nextToken }],
  },
  {
    endpointPrefix: 'kms',
    boto3: 'kms',
    jsV3Package: '@aws-sdk/client-kms',
    jsV3Client: 'KMSClient',
    jsV2Class: 'KMS',
    javaV2Client: 'KmsClient',
    javaV1Client: 'AWSKMS',
    nameHints: ['kms'],
    operations: [
      { api: 'ListKeys', boto3: 'list_keys', pagination: { inputTokens: ['Marker'], outputTokens: ['NextMarker', 'Truncated'], limitParameter: 'Limit' } },
      { api: 'ListAliases', boto3: 'list_aliases', pagination: { inputTokens: ['Marker'], outputTokens: ['NextMarker', 'Truncated'], limitParameter: 'Limit' } },
    ],
  },
  {
    endpointPrefix: 'ecs',
    boto3: 'ecs',
    jsV3Package: '@aws-sdk/client-ecs',
    jsV3Client: 'ECSClient',
    jsV2Class: 'ECS',
    javaV2Client: 'EcsClient',
    javaV1Client: 'AmazonECS',
    nameHints: ['ecs'],
    operations: [
      { api: 'ListClusters', boto3: 'list_clusters', pagination: lowerNextToken },
      { api: 'ListServices', boto3: 'list_services', pagination: lowerNextToken },
      { api: 'ListTasks', boto3: 'list_tasks', pagination: lowerNextToken },
      { api: 'DescribeServices', boto3: 'describe_services' },
      { api: 'DescribeTasks', boto3: 'describe_tasks' },
    ],
    waiters: [
      { name: 'ServicesStable', boto3: 'services_stable', operation: 'DescribeServices' },
      { name: 'ServicesInactive', boto3: 'services_inactive', operation: 'DescribeServices' },
      { name: 'TasksRunning', boto3: 'tasks_running', operation: 'DescribeTasks' },
      { name: 'TasksStopped', boto3: 'tasks_stopped', operation: 'DescribeTasks' },
    ],
  },
  {
    endpointPrefix: 'athena',
    boto3: 'athena',
    jsV3Package: '@aws-sdk/client-athena',
    jsV3Client: 'AthenaClient',
    jsV2Class: 'Athena',
    javaV2Client: 'AthenaClient',
    javaV1Client: 'AmazonAthena',
    nameHints: ['athena'],
    operations: [
      { api: 'GetQueryResults', boto3: 'get_query_results', pagination: nextToken },
      { api: 'ListQueryExecutions', boto3: 'list_query_executions', pagination: nextToken },
    ],
  },
  {
    endpointPrefix: 'cloudtrail',
    boto3: 'cloudtrail',
    jsV3Package: '@aws-sdk/client-cloudtrail',
    jsV3Client: 'CloudTrailClient',
    jsV2Class: 'CloudTrail',
    javaV2Client: 'CloudTrailClient',
    javaV1Client: 'AWSCloudTrail',
    nameHints: ['cloudtrail', 'trail'],
    operations: [{ api: 'LookupEvents', boto3: 'lookup_events', pagination: nextToken }],
  },
  {
    endpointPrefix: 'ssm',
    boto3: 'ssm',
    jsV3Package: '@aws-sdk/client-ssm',
    jsV3Client: 'SSMClient',
    jsV2Class: 'SSM',
    javaV2Client: 'SsmClient',
    javaV1Client: 'AWSSimpleSystemsManagement',
    nameHints: ['ssm', 'parameterstore'],
    operations: [
      { api: 'GetParametersByPath', boto3: 'get_parameters_by_path', pagination: nextToken },
      { api: 'DescribeParameters', boto3: 'describe_parameters', pagination: nextToken },
      { api: 'GetCommandInvocation', boto3: 'get_command_invocation' },
    ],
    waiters: [{ name: 'CommandExecuted', boto3: 'command_executed', operation: 'GetCommandInvocation' }],
  },
  {
    endpointPrefix: 'kinesis',
    boto3: 'kinesis',
    jsV3Package: '@aws-sdk/client-kinesis',
    jsV3Client: 'KinesisClient',
    jsV2Class: 'Kinesis',
    javaV2Client: 'KinesisClient',
    javaV1Client: 'AmazonKinesis',
    nameHints: ['kinesis', 'stream'],
    operations: [
      { api: 'PutRecords', boto3: 'put_records', batchFailure: { fields: ['FailedRecordCount'], entryFields: ['ErrorCode'] } },
      { api: 'DescribeStream', boto3: 'describe_stream' },
    ],
    waiters: [
      { name: 'StreamExists', boto3: 'stream_exists', operation: 'DescribeStream' },
      { name: 'StreamNotExists', boto3: 'stream_not_exists', operation: 'DescribeStream' },
    ],
  },
  {
    endpointPrefix: 'firehose',
    boto3: 'firehose',
    jsV3Package: '@aws-sdk/client-firehose',
    jsV3Client: 'FirehoseClient',
    jsV2Class: 'Firehose',
    javaV2Client: 'FirehoseClient',
    javaV1Client: 'AmazonKinesisFirehose',
    nameHints: ['firehose', 'delivery'],
    operations: [{ api: 'PutRecordBatch', boto3: 'put_record_batch', batchFailure: { fields: ['FailedPutCount'], entryFields: ['ErrorCode'] } }],
  },
  {
    endpointPrefix: 'events',
    boto3: 'events',
    jsV3Package: '@aws-sdk/client-eventbridge',
    jsV3Client: 'EventBridgeClient',
    jsV2Class: 'EventBridge',
    javaV2Client: 'EventBridgeClient',
    javaV1Client: 'AmazonEventBridge',
    nameHints: ['events', 'eventbridge', 'eventbus', 'bus'],
    operations: [{ api: 'PutEvents', boto3: 'put_events', batchFailure: { fields: ['FailedEntryCount'], entryFields: ['ErrorCode'] } }],
  },
  {
    endpointPrefix: 'cognito-idp',
    boto3: 'cognito-idp',
    jsV3Package: '@aws-sdk/client-cognito-identity-provider',
    jsV3Client: 'CognitoIdentityProviderClient',
    jsV2Class: 'CognitoIdentityServiceProvider',
    javaV2Client: 'CognitoIdentityProviderClient',
    javaV1Client: 'AWSCognitoIdentityProvider',
    nameHints: ['cognito', 'cognitoidp', 'userpool', 'idp'],
    operations: [{ api: 'ListUsers', boto3: 'list_users', pagination: { inputTokens: ['PaginationToken'], outputTokens: ['PaginationToken'], limitParameter: 'Limit' } }],
  },
  {
    // Its PutEvents records user interactions and reports no per-entry failures, unlike EventBridge's.
    endpointPrefix: 'personalize-events',
    boto3: 'personalize-events',
    jsV3Package: '@aws-sdk/client-personalize-events',
    jsV3Client: 'PersonalizeEventsClient',
    jsV2Class: 'PersonalizeEvents',
    javaV2Client: 'PersonalizeEventsClient',
    javaV1Client: 'AmazonPersonalizeEvents',
    nameHints: ['personalize', 'personalizeevents'],
    operations: [{ api: 'PutEvents', boto3: 'put_events' }],
  },
  {
    endpointPrefix: 'rds',
    boto3: 'rds',
    jsV3Package: '@aws-sdk/client-rds',
    jsV3Client: 'RDSClient',
    jsV2Class: 'RDS',
    javaV2Client: 'RdsClient',
    javaV1Client: 'AmazonRDS',
    nameHints: ['rds'],
    operations: [
      { api: 'DescribeDBInstances', boto3: 'describe_db_instances', pagination: { inputTokens: ['Marker'], outputTokens: ['Marker'], limitParameter: 'MaxRecords', boundedBy: ['DBInstanceIdentifier'] } },
      { api: 'DescribeDBSnapshots', boto3: 'describe_db_snapshots', pagination: { inputTokens: ['Marker'], outputTokens: ['Marker'], limitParameter: 'MaxRecords', boundedBy: ['DBSnapshotIdentifier'] } },
    ],
    waiters: [
      { name: 'DBInstanceAvailable', boto3: 'db_instance_available', operation: 'DescribeDBInstances' },
      { name: 'DBInstanceDeleted', boto3: 'db_instance_deleted', operation: 'DescribeDBInstances' },
      { name: 'DBSnapshotAvailable', boto3: 'db_snapshot_available', operation: 'DescribeDBSnapshots' },
    ],
  },
  {
    endpointPrefix: 'eks',
    boto3: 'eks',
    jsV3Package: '@aws-sdk/client-eks',
    jsV3Client: 'EKSClient',
    jsV2Class: 'EKS',
    javaV2Client: 'EksClient',
    javaV1Client: 'AmazonEKS',
    nameHints: ['eks'],
    operations: [
      { api: 'DescribeCluster', boto3: 'describe_cluster' },
      { api: 'DescribeNodegroup', boto3: 'describe_nodegroup' },
    ],
    waiters: [
      { name: 'ClusterActive', boto3: 'cluster_active', operation: 'DescribeCluster' },
      { name: 'ClusterDeleted', boto3: 'cluster_deleted', operation: 'DescribeCluster' },
      { name: 'NodegroupActive', boto3: 'nodegroup_active', operation: 'DescribeNodegroup' },
    ],
  },
  {
    endpointPrefix: 'elasticmapreduce',
    boto3: 'emr',
    jsV3Package: '@aws-sdk/client-emr',
    jsV3Client: 'EMRClient',
    jsV2Class: 'EMR',
    javaV2Client: 'EmrClient',
    javaV1Client: 'AmazonElasticMapReduce',
    nameHints: ['emr'],
    operations: [
      { api: 'DescribeCluster', boto3: 'describe_cluster' },
      { api: 'DescribeStep', boto3: 'describe_step' },
    ],
    waiters: [
      { name: 'ClusterRunning', boto3: 'cluster_running', operation: 'DescribeCluster' },
      { name: 'ClusterTerminated', boto3: 'cluster_terminated', operation: 'DescribeCluster' },
      { name: 'StepComplete', boto3: 'step_complete', operation: 'DescribeStep' },
    ],
  },
  {
    endpointPrefix: 'acm',
    boto3: 'acm',
    jsV3Package: '@aws-sdk/client-acm',
    jsV3Client: 'ACMClient',
    jsV2Class: 'ACM',
    javaV2Client: 'AcmClient',
    javaV1Client: 'AWSCertificateManager',
    nameHints: ['acm'],
    operations: [{ api: 'DescribeCertificate', boto3: 'describe_certificate' }],
    waiters: [{ name: 'CertificateValidated', boto3: 'certificate_validated', operation: 'DescribeCertificate' }],
  },
  {
    endpointPrefix: 'route53',
    boto3: 'route53',
    jsV3Package: '@aws-sdk/client-route-53',
    jsV3Client: 'Route53Client',
    jsV2Class: 'Route53',
    javaV2Client: 'Route53Client',
    javaV1Client: 'AmazonRoute53',
    nameHints: ['route53', 'r53'],
    operations: [{ api: 'GetChange', boto3: 'get_change' }],
    waiters: [{ name: 'ResourceRecordSetsChanged', boto3: 'resource_record_sets_changed', operation: 'GetChange' }],
  },
  {
    endpointPrefix: 'sagemaker',
    boto3: 'sagemaker',
    jsV3Package: '@aws-sdk/client-sagemaker',
    jsV3Client: 'SageMakerClient',
    jsV2Class: 'SageMaker',
    javaV2Client: 'SageMakerClient',
    javaV1Client: 'AmazonSageMaker',
    nameHints: ['sagemaker', 'sm'],
    operations: [
      { api: 'DescribeTrainingJob', boto3: 'describe_training_job' },
      { api: 'DescribeEndpoint', boto3: 'describe_endpoint' },
    ],
    waiters: [
      { name: 'TrainingJobCompletedOrStopped', boto3: 'training_job_completed_or_stopped', operation: 'DescribeTrainingJob' },
      { name: 'EndpointInService', boto3: 'endpoint_in_service', operation: 'DescribeEndpoint' },
    ],
  },
];
