// Batch APIs succeed as a whole while individual entries fail: DynamoDB hands back UnprocessedItems,
// Kinesis counts FailedRecordCount, SQS and SNS list Failed entries, EventBridge counts
// FailedEntryCount, S3 DeleteObjects lists Errors. None of them throws for those entries, so code
// that ignores the response loses data without a trace. The function is the scope: it is clean if
// it reads the failure field (or the per-entry error code) anywhere, or hands the response to its
// caller or to another function. boto3's `Table.batch_writer()` retries unprocessed items itself
// and is not a batch call here.
import { isHandedOver, passesName, responseUse, returnsName, sdkCalls, lowerFirst, mentionsField, type SdkCall } from '../awsSdkCalls';
import type { AwsBatchFailure } from '../awsOperations';
import type { ReviewLanguage } from '../languages';
import type { Rule, RuleContext } from '../rule';

export const uncheckedBatchFailures: Rule = {
  languages: ['python', 'java', 'javascript', 'typescript'],
  meta: {
    name: 'unchecked-batch-failures',
    title: 'Partial failures of an AWS batch call are not checked',
    category: 'aws-best-practice',
    severity: 'warning',
    cwe: 252,
    why:
      'AWS batch APIs report failures per entry instead of throwing: BatchWriteItem returns UnprocessedItems when a ' +
      'table is throttled, PutRecords returns FailedRecordCount, SendMessageBatch and PublishBatch return Failed, ' +
      'PutEvents returns FailedEntryCount, DeleteObjects returns Errors. The call "succeeds", and entries that were ' +
      'never written are lost silently. Read the failure field and retry those entries with backoff, or raise an ' +
      'error; for DynamoDB writes in Python, Table.batch_writer() does the retrying for you.',
    examples: {
      python: {
        noncompliant: 'dynamodb.batch_write_item(RequestItems={TABLE: requests})',
        compliant:
          'pending = {TABLE: requests}\nwhile pending:\n    pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems")\n    if pending:\n        time.sleep(backoff.next())',
      },
      java: {
        noncompliant: 'kinesis.putRecords(PutRecordsRequest.builder().streamName(stream).records(entries).build());',
        compliant:
          'PutRecordsResponse response = kinesis.putRecords(PutRecordsRequest.builder().streamName(stream).records(entries).build());\nif (response.failedRecordCount() > 0) {\n    retry(entries, response.records());\n}',
      },
      javascript: {
        noncompliant: 'await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));',
        compliant:
          'const { Failed } = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));\nif (Failed?.length) throw new Error(`${Failed.length} messages were not sent`);',
      },
      typescript: {
        noncompliant: 'await eventBridge.send(new PutEventsCommand({ Entries: entries }));',
        compliant:
          'const result = await eventBridge.send(new PutEventsCommand({ Entries: entries }));\nif (result.FailedEntryCount) throw new Error(`${result.FailedEntryCount} events were rejected`);',
      },
    },
  },
  check(context: RuleContext) {
    for (const call of sdkCalls(context)) {
      const failure = call.operation.batchFailure;
      if (!failure || isChecked(context, call, failure)) continue;
      const field = fieldName(context.language, failure.fields[0]);
      const ignored = call.response && responseUse(context, call.response).kind === 'ignored';
      context.report(
        call.node,
        ignored
          ? `The response of ${call.operation.api} is discarded, so entries reported in ${field} are lost without notice; check ${field} and retry or fail.`
          : `${call.operation.api} reports failed entries in ${field}, which this function never reads; check it and retry or fail.`,
      );
    }
  },
};

function isChecked(context: RuleContext, call: SdkCall, failure: AwsBatchFailure): boolean {
  if ([...failure.fields, ...(failure.entryFields ?? [])].some((f) => mentionsField(context, f))) return true;
  if (!call.response) return false;
  const use = responseUse(context, call.response);
  if (isHandedOver(use)) return true;
  return use.kind === 'bound' && (returnsName(context, use.names) || passesName(context, use.names));
}

function fieldName(language: ReviewLanguage, field: string): string {
  return language === 'java' ? `${lowerFirst(field)}()` : field;
}
