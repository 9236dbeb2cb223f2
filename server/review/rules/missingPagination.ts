// A paginated AWS API called once, its continuation token never followed: the code works in
// development, where every listing fits one page, and silently drops results in production.
// The function is the scope: it is clean if it touches the operation's tokens anywhere (reads the
// next token, passes it back, checks IsTruncated), uses the SDK's paginator, asks for one item
// (`MaxKeys=1`: an existence check), names the resources it wants (`InstanceIds=[...]`, which
// bounds the answer), or hands the page to its caller (returns the raw response, or forwards a
// request it was given), since the caller then owns the token.
import { compact } from '../calls';
import { lowerFirst, mentionsField, mentionsName, responseUse, returnsName, sdkCalls, unitParameters, type SdkCall } from '../awsSdkCalls';
import type { AwsOperation, AwsPagination } from '../awsOperations';
import type { ReviewLanguage } from '../languages';
import type { Rule, RuleContext } from '../rule';
import { stringValue } from '../syntax';

export const missingPagination: Rule = {
  languages: ['python', 'java', 'javascript', 'typescript'],
  meta: {
    name: 'missing-pagination',
    title: 'Paginated AWS call reads only the first page',
    category: 'aws-best-practice',
    severity: 'warning',
    why:
      'List, scan and query APIs return one page of results (1,000 S3 keys, 1 MB of DynamoDB items, often far fewer) ' +
      'and a token for the next one. Code that reads only the first page works on small test data and silently ' +
      'loses results once the data grows. Follow the token (NextToken, NextContinuationToken, LastEvaluatedKey, Marker) ' +
      'until the response has none, or let the SDK do it with a paginator: boto3 get_paginator(), ' +
      'JavaScript v3 paginateXxx(), Java v2 xxxPaginator().',
    examples: {
      python: {
        noncompliant: 'keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]',
        compliant: 'pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)\nkeys = [o["Key"] for page in pages for o in page.get("Contents", [])]',
      },
      java: {
        noncompliant: 'List<Map<String, AttributeValue>> items = ddb.scan(ScanRequest.builder().tableName(table).build()).items();',
        compliant: 'ddb.scanPaginator(ScanRequest.builder().tableName(table).build()).items().forEach(this::process);',
      },
      javascript: {
        noncompliant: 'const { Contents } = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));',
        compliant: 'for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket })) {\n  keys.push(...(page.Contents ?? []).map((o) => o.Key));\n}',
      },
      typescript: {
        noncompliant: 'const { Items } = await ddb.send(new ScanCommand({ TableName: table }));',
        compliant: 'for await (const page of paginateScan({ client: ddb }, { TableName: table })) {\n  items.push(...(page.Items ?? []));\n}',
      },
    },
  },
  check(context: RuleContext) {
    for (const call of sdkCalls(context)) {
      const pagination = call.operation.pagination;
      if (!pagination || followsPages(context, call, pagination)) continue;
      context.report(call.node, message(context.language, call.operation, pagination));
    }
  },
};

function followsPages(context: RuleContext, call: SdkCall, pagination: AwsPagination): boolean {
  const { operation } = call;
  if ([...pagination.inputTokens, ...pagination.outputTokens].some((t) => mentionsField(context, t))) return true;
  if ((pagination.nextPageMethods ?? []).some((m) => mentionsName(context, m))) return true;
  if (usesPaginator(context, operation)) return true;
  if ((pagination.boundedBy ?? []).some((p) => mentionsField(context, p))) return true;
  if (pagination.limitParameter && asksForOne(context, pagination.limitParameter)) return true;
  if (forwardsRequest(context, call)) return true;
  if (!call.response) return false;
  const use = responseUse(context, call.response);
  return use.kind === 'returned' || (use.kind === 'bound' && returnsName(context, use.names));
}

function usesPaginator(context: RuleContext, operation: AwsOperation): boolean {
  switch (context.language) {
    case 'python':
      return context.calls().some((s) => s.name === 'get_paginator' && s.args[0]?.type === 'string' && stringValue(s.args[0]).value === operation.boto3);
    case 'java':
      return mentionsName(context, `${lowerFirst(operation.api)}Paginator`);
    default:
      return mentionsName(context, `paginate${operation.api}`) || (!!operation.documentClient && mentionsName(context, `paginate${operation.documentClient}`));
  }
}

/** A limit of exactly one item: an existence check or "the newest one", not a listing. */
function asksForOne(context: RuleContext, limit: string): boolean {
  const isOne = (value: unknown) => value === '1';
  switch (context.language) {
    case 'python':
      return (
        context.find('keyword_argument').some((k) => k.childForFieldName('name')?.text === limit && isOne(k.childForFieldName('value')?.text)) ||
        context.find('pair').some((p) => {
          const key = p.childForFieldName('key');
          return key?.type === 'string' && stringValue(key).value === limit && isOne(p.childForFieldName('value')?.text);
        })
      );
    case 'java':
      return context.calls().some((s) => [lowerFirst(limit), `with${limit}`, `set${limit}`].includes(s.name) && s.args.length === 1 && isOne(s.args[0].text));
    default:
      return context.find('pair').some((p) => p.childForFieldName('key')?.text.replace(/^['"]|['"]$/g, '') === limit && isOne(p.childForFieldName('value')?.text));
  }
}

/** A request the function was given (`**kwargs`, `params`, `{ ...input }`): the caller may carry the token. */
function forwardsRequest(context: RuleContext, call: SdkCall): boolean {
  const parameters = unitParameters(context);
  if (parameters.size === 0) return false;
  const fromParameter = (node: { text: string } | undefined) => !!node && parameters.has(compact(node.text).replace(/^\*\*|^\.\.\./, ''));
  switch (context.language) {
    case 'python':
      return call.site.args.some((a) => a.type === 'dictionary_splat' && fromParameter(a));
    case 'java':
      // Java v1 also takes plain values (`listObjects(bucketName)`): only a request object carries a token.
      return call.request?.type === 'identifier' && fromParameter(call.request) && requestParameter(context, call.request.text);
    default: {
      const request = call.request;
      if (!request) return false;
      if (request.type === 'identifier') return fromParameter(request);
      return request.type === 'object' && request.namedChildren.some((c) => c?.type === 'spread_element' && fromParameter(c));
    }
  }
}

function requestParameter(context: RuleContext, name: string): boolean {
  return context.find('formal_parameter').some((p) => p.childForFieldName('name')?.text === name && /Request$/.test(p.childForFieldName('type')?.text ?? ''));
}

function message(language: ReviewLanguage, operation: AwsOperation, pagination: AwsPagination): string {
  const token = pagination.outputTokens.find((t) => !/Truncated$/.test(t)) ?? pagination.outputTokens[0];
  const paginator =
    language === 'python'
      ? `get_paginator("${operation.boto3}")`
      : language === 'java'
        ? `${lowerFirst(operation.api)}Paginator()`
        : `paginate${operation.documentClient ?? operation.api}()`;
  return `${operation.api} returns one page of results, and this function never follows ${token}: later pages are silently dropped. Loop until ${token} is absent, or use ${paginator}.`;
}
