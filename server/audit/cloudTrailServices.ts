// The AWS services as CloudTrail names them: each SDK's name for a service's client, and the
// eventSource its API calls are recorded under. The review rules' table (awsOperations.ts) is the
// base; services it does not need but that users audit (STS, CloudWatch, Step Functions, SES…) are
// added here with their client names only, so the review rules keep their own scope.
import { awsServices, type AwsService } from '../review/awsOperations';

export interface CloudTrailService {
  endpointPrefix: string;
  /** CloudTrail's eventSource for the service's API calls. */
  eventSource: string;
  boto3: string;
  jsV3Package: string;
  jsV3Client: string;
  jsV2Class: string;
  javaV2Client: string;
  javaV1Client?: string;
  nameHints: readonly string[];
  /** The review table's entry, when the service has one (its operations and waiters). */
  review?: AwsService;
}

/**
 * Endpoint prefixes whose calls CloudTrail records under another eventSource. Everywhere else the
 * eventSource is `<endpoint prefix>.amazonaws.com`: `monitoring.amazonaws.com` for CloudWatch,
 * `states.amazonaws.com` for Step Functions, `logs.amazonaws.com`, `execute-api.amazonaws.com`, and
 * `iam`/`sts.amazonaws.com` whatever regional endpoint was called.
 */
const eventSourceExceptions: Record<string, string> = {
  email: 'ses.amazonaws.com',
  'api.ecr': 'ecr.amazonaws.com',
  's3-control': 's3.amazonaws.com',
  'streams.dynamodb': 'dynamodb.amazonaws.com',
  'runtime.sagemaker': 'sagemaker.amazonaws.com',
  'bedrock-runtime': 'bedrock.amazonaws.com',
  'bedrock-agent-runtime': 'bedrock.amazonaws.com',
  'runtime.lex': 'lex.amazonaws.com',
  'personalize-events': 'personalize.amazonaws.com',
  'personalize-runtime': 'personalize.amazonaws.com',
};

export function eventSourceOf(endpointPrefix: string): string {
  return eventSourceExceptions[endpointPrefix] ?? `${endpointPrefix}.amazonaws.com`;
}

type Extra = Omit<CloudTrailService, 'eventSource' | 'review'>;

const extraServices: readonly Extra[] = [
  { endpointPrefix: 'sts', boto3: 'sts', jsV3Package: '@aws-sdk/client-sts', jsV3Client: 'STSClient', jsV2Class: 'STS', javaV2Client: 'StsClient', javaV1Client: 'AWSSecurityTokenService', nameHints: ['sts'] },
  { endpointPrefix: 'monitoring', boto3: 'cloudwatch', jsV3Package: '@aws-sdk/client-cloudwatch', jsV3Client: 'CloudWatchClient', jsV2Class: 'CloudWatch', javaV2Client: 'CloudWatchClient', javaV1Client: 'AmazonCloudWatch', nameHints: ['cloudwatch', 'cw', 'metrics'] },
  { endpointPrefix: 'states', boto3: 'stepfunctions', jsV3Package: '@aws-sdk/client-sfn', jsV3Client: 'SFNClient', jsV2Class: 'StepFunctions', javaV2Client: 'SfnClient', javaV1Client: 'AWSStepFunctions', nameHints: ['sfn', 'stepfunctions', 'states', 'statemachine'] },
  { endpointPrefix: 'email', boto3: 'ses', jsV3Package: '@aws-sdk/client-ses', jsV3Client: 'SESClient', jsV2Class: 'SES', javaV2Client: 'SesClient', javaV1Client: 'AmazonSimpleEmailService', nameHints: ['ses', 'email', 'mailer'] },
  { endpointPrefix: 'email', boto3: 'sesv2', jsV3Package: '@aws-sdk/client-sesv2', jsV3Client: 'SESv2Client', jsV2Class: 'SESV2', javaV2Client: 'SesV2Client', nameHints: ['sesv2'] },
  { endpointPrefix: 'api.ecr', boto3: 'ecr', jsV3Package: '@aws-sdk/client-ecr', jsV3Client: 'ECRClient', jsV2Class: 'ECR', javaV2Client: 'EcrClient', javaV1Client: 'AmazonECR', nameHints: ['ecr'] },
  { endpointPrefix: 'apigateway', boto3: 'apigateway', jsV3Package: '@aws-sdk/client-api-gateway', jsV3Client: 'APIGatewayClient', jsV2Class: 'APIGateway', javaV2Client: 'ApiGatewayClient', javaV1Client: 'AmazonApiGateway', nameHints: ['apigateway', 'apigw'] },
  { endpointPrefix: 'apigateway', boto3: 'apigatewayv2', jsV3Package: '@aws-sdk/client-apigatewayv2', jsV3Client: 'ApiGatewayV2Client', jsV2Class: 'ApiGatewayV2', javaV2Client: 'ApiGatewayV2Client', nameHints: ['apigatewayv2'] },
  { endpointPrefix: 'execute-api', boto3: 'apigatewaymanagementapi', jsV3Package: '@aws-sdk/client-apigatewaymanagementapi', jsV3Client: 'ApiGatewayManagementApiClient', jsV2Class: 'ApiGatewayManagementApi', javaV2Client: 'ApiGatewayManagementApiClient', nameHints: ['managementapi', 'apigwmanagement'] },
  { endpointPrefix: 's3-control', boto3: 's3control', jsV3Package: '@aws-sdk/client-s3-control', jsV3Client: 'S3ControlClient', jsV2Class: 'S3Control', javaV2Client: 'S3ControlClient', javaV1Client: 'AWSS3Control', nameHints: ['s3control'] },
  { endpointPrefix: 'streams.dynamodb', boto3: 'dynamodbstreams', jsV3Package: '@aws-sdk/client-dynamodb-streams', jsV3Client: 'DynamoDBStreamsClient', jsV2Class: 'DynamoDBStreams', javaV2Client: 'DynamoDbStreamsClient', nameHints: ['dynamodbstreams', 'ddbstreams'] },
  { endpointPrefix: 'runtime.sagemaker', boto3: 'sagemaker-runtime', jsV3Package: '@aws-sdk/client-sagemaker-runtime', jsV3Client: 'SageMakerRuntimeClient', jsV2Class: 'SageMakerRuntime', javaV2Client: 'SageMakerRuntimeClient', nameHints: ['sagemakerruntime'] },
  { endpointPrefix: 'bedrock-runtime', boto3: 'bedrock-runtime', jsV3Package: '@aws-sdk/client-bedrock-runtime', jsV3Client: 'BedrockRuntimeClient', jsV2Class: 'BedrockRuntime', javaV2Client: 'BedrockRuntimeClient', nameHints: ['bedrockruntime'] },
  { endpointPrefix: 'bedrock', boto3: 'bedrock', jsV3Package: '@aws-sdk/client-bedrock', jsV3Client: 'BedrockClient', jsV2Class: 'Bedrock', javaV2Client: 'BedrockClient', nameHints: ['bedrock'] },
  { endpointPrefix: 'glue', boto3: 'glue', jsV3Package: '@aws-sdk/client-glue', jsV3Client: 'GlueClient', jsV2Class: 'Glue', javaV2Client: 'GlueClient', javaV1Client: 'AWSGlue', nameHints: ['glue'] },
  { endpointPrefix: 'codebuild', boto3: 'codebuild', jsV3Package: '@aws-sdk/client-codebuild', jsV3Client: 'CodeBuildClient', jsV2Class: 'CodeBuild', javaV2Client: 'CodeBuildClient', javaV1Client: 'AWSCodeBuild', nameHints: ['codebuild'] },
  { endpointPrefix: 'codepipeline', boto3: 'codepipeline', jsV3Package: '@aws-sdk/client-codepipeline', jsV3Client: 'CodePipelineClient', jsV2Class: 'CodePipeline', javaV2Client: 'CodePipelineClient', javaV1Client: 'AWSCodePipeline', nameHints: ['codepipeline', 'pipeline'] },
  { endpointPrefix: 'scheduler', boto3: 'scheduler', jsV3Package: '@aws-sdk/client-scheduler', jsV3Client: 'SchedulerClient', jsV2Class: 'Scheduler', javaV2Client: 'SchedulerClient', nameHints: ['scheduler'] },
  { endpointPrefix: 'organizations', boto3: 'organizations', jsV3Package: '@aws-sdk/client-organizations', jsV3Client: 'OrganizationsClient', jsV2Class: 'Organizations', javaV2Client: 'OrganizationsClient', javaV1Client: 'AWSOrganizations', nameHints: ['organizations', 'orgs'] },
  { endpointPrefix: 'config', boto3: 'config', jsV3Package: '@aws-sdk/client-config-service', jsV3Client: 'ConfigServiceClient', jsV2Class: 'ConfigService', javaV2Client: 'ConfigClient', javaV1Client: 'AmazonConfig', nameHints: ['configservice'] },
  { endpointPrefix: 'elasticloadbalancing', boto3: 'elbv2', jsV3Package: '@aws-sdk/client-elastic-load-balancing-v2', jsV3Client: 'ElasticLoadBalancingV2Client', jsV2Class: 'ELBv2', javaV2Client: 'ElasticLoadBalancingV2Client', nameHints: ['elbv2', 'elb'] },
  { endpointPrefix: 'cognito-identity', boto3: 'cognito-identity', jsV3Package: '@aws-sdk/client-cognito-identity', jsV3Client: 'CognitoIdentityClient', jsV2Class: 'CognitoIdentity', javaV2Client: 'CognitoIdentityClient', nameHints: ['identitypool'] },
  { endpointPrefix: 'es', boto3: 'opensearch', jsV3Package: '@aws-sdk/client-opensearch', jsV3Client: 'OpenSearchClient', jsV2Class: 'OpenSearch', javaV2Client: 'OpenSearchClient', nameHints: ['opensearch'] },
  { endpointPrefix: 'elasticfilesystem', boto3: 'efs', jsV3Package: '@aws-sdk/client-efs', jsV3Client: 'EFSClient', jsV2Class: 'EFS', javaV2Client: 'EfsClient', nameHints: ['efs'] },
  { endpointPrefix: 'elasticache', boto3: 'elasticache', jsV3Package: '@aws-sdk/client-elasticache', jsV3Client: 'ElastiCacheClient', jsV2Class: 'ElastiCache', javaV2Client: 'ElastiCacheClient', nameHints: ['elasticache'] },
  { endpointPrefix: 'appsync', boto3: 'appsync', jsV3Package: '@aws-sdk/client-appsync', jsV3Client: 'AppSyncClient', jsV2Class: 'AppSync', javaV2Client: 'AppSyncClient', nameHints: ['appsync'] },
  { endpointPrefix: 'rekognition', boto3: 'rekognition', jsV3Package: '@aws-sdk/client-rekognition', jsV3Client: 'RekognitionClient', jsV2Class: 'Rekognition', javaV2Client: 'RekognitionClient', javaV1Client: 'AmazonRekognition', nameHints: ['rekognition'] },
  { endpointPrefix: 'textract', boto3: 'textract', jsV3Package: '@aws-sdk/client-textract', jsV3Client: 'TextractClient', jsV2Class: 'Textract', javaV2Client: 'TextractClient', nameHints: ['textract'] },
  { endpointPrefix: 'comprehend', boto3: 'comprehend', jsV3Package: '@aws-sdk/client-comprehend', jsV3Client: 'ComprehendClient', jsV2Class: 'Comprehend', javaV2Client: 'ComprehendClient', nameHints: ['comprehend'] },
  { endpointPrefix: 'translate', boto3: 'translate', jsV3Package: '@aws-sdk/client-translate', jsV3Client: 'TranslateClient', jsV2Class: 'Translate', javaV2Client: 'TranslateClient', nameHints: ['translate', 'translator'] },
  { endpointPrefix: 'guardduty', boto3: 'guardduty', jsV3Package: '@aws-sdk/client-guardduty', jsV3Client: 'GuardDutyClient', jsV2Class: 'GuardDuty', javaV2Client: 'GuardDutyClient', nameHints: ['guardduty'] },
  { endpointPrefix: 'securityhub', boto3: 'securityhub', jsV3Package: '@aws-sdk/client-securityhub', jsV3Client: 'SecurityHubClient', jsV2Class: 'SecurityHub', javaV2Client: 'SecurityHubClient', nameHints: ['securityhub'] },
  { endpointPrefix: 'backup', boto3: 'backup', jsV3Package: '@aws-sdk/client-backup', jsV3Client: 'BackupClient', jsV2Class: 'Backup', javaV2Client: 'BackupClient', nameHints: ['backup'] },
  { endpointPrefix: 'kafka', boto3: 'kafka', jsV3Package: '@aws-sdk/client-kafka', jsV3Client: 'KafkaClient', jsV2Class: 'Kafka', javaV2Client: 'KafkaClient', nameHints: ['msk', 'kafka'] },
];

export const cloudTrailServices: readonly CloudTrailService[] = [
  ...awsServices.map((s): CloudTrailService => ({
    endpointPrefix: s.endpointPrefix,
    eventSource: eventSourceOf(s.endpointPrefix),
    boto3: s.boto3,
    jsV3Package: s.jsV3Package,
    jsV3Client: s.jsV3Client,
    jsV2Class: s.jsV2Class,
    javaV2Client: s.javaV2Client,
    javaV1Client: s.javaV1Client,
    nameHints: s.nameHints,
    review: s,
  })),
  ...extraServices.map((s): CloudTrailService => ({ ...s, eventSource: eventSourceOf(s.endpointPrefix) })),
];

function indexBy(keysOf: (s: CloudTrailService) => (string | undefined)[]): Map<string, CloudTrailService> {
  const index = new Map<string, CloudTrailService>();
  for (const service of cloudTrailServices) {
    for (const key of keysOf(service)) if (key && !index.has(key)) index.set(key, service);
  }
  return index;
}

const byBoto3 = indexBy((s) => [s.boto3]);
const byJsPackage = indexBy((s) => [s.jsV3Package]);
const byJsClass = indexBy((s) => [s.jsV3Client, s.jsV2Class]);
const byJavaClient = indexBy((s) => [
  s.javaV2Client,
  s.javaV2Client.replace(/Client$/, 'AsyncClient'),
  s.javaV1Client,
  s.javaV1Client && `${s.javaV1Client}Async`,
  s.javaV1Client && `${s.javaV1Client}Client`,
]);
/** Java v2 packages are the client's name in lower case: `software.amazon.awssdk.services.dynamodb`. */
const byJavaPackage = indexBy((s) => [s.javaV2Client.replace(/Client$/, '').toLowerCase()]);
const byReview = new Map(cloudTrailServices.filter((s) => s.review).map((s) => [s.review!, s]));

export function serviceForBoto3(name: string): CloudTrailService | undefined {
  return byBoto3.get(name);
}

export function serviceForJsPackage(name: string): CloudTrailService | undefined {
  return byJsPackage.get(name);
}

/** `S3Client` (v3), `S3` (v2 class and v3 aggregated client). */
export function serviceForJsClass(name: string): CloudTrailService | undefined {
  return byJsClass.get(name);
}

/** `S3Client`, `S3AsyncClient` (v2), `AmazonS3`, `AmazonS3Client` (v1). */
export function serviceForJavaClient(name: string): CloudTrailService | undefined {
  return byJavaClient.get(name);
}

/** `software.amazon.awssdk.services.s3.model.DeleteObjectRequest` → S3. */
export function serviceForJavaName(qualified: string): CloudTrailService | undefined {
  const match = /^software\.amazon\.awssdk\.services\.([a-z0-9]+)\./.exec(qualified);
  return match ? byJavaPackage.get(match[1]) : undefined;
}

export function serviceForReview(service: AwsService): CloudTrailService | undefined {
  return byReview.get(service);
}
