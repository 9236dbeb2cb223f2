import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readTraces } from '../../../server/traces/formats/detect';
import { readXRay, xrayTraceId } from '../../../server/traces/formats/xray';
import { fixture, spanById } from './traceFixtures';

test('X-Ray trace ids become W3C trace ids', () => {
  assert.equal(xrayTraceId('1-58406520-a006649127e371903a2de979'), '58406520a006649127e371903a2de979');
  assert.equal(xrayTraceId('1-5759E988-BD862E3FE1BE46A994272793'), '5759e988bd862e3fe1be46a994272793');
  for (const bad of ['2-58406520-a006649127e371903a2de979', '1-5840652-a006649127e371903a2de979', '58406520a006649127e371903a2de979', 7]) assert.equal(xrayTraceId(bad), undefined);
});

describe('an X-Ray segment document with nested subsegments', () => {
  const { spans, problems } = readXRay(fixture('xray-segment.json'), 'segment.json');
  const trace = '581cf771a006649127e371903a2de979';

  test('the segment and its subsegments, three levels deep, become spans with their parents', () => {
    assert.deepEqual(problems, []);
    assert.deepEqual(spans.map((s) => [s.name, s.spanId, s.parentSpanId ?? null, s.kind]), [
      ['scorekeep', '70de5b6f19ff9a0a', null, 'server'],
      ['UserController.newUser', '4d3f2a1b0c9e8d7f', '70de5b6f19ff9a0a', 'internal'],
      ['UserModel.saveUser', '6fa9c3b2e1d0a987', '4d3f2a1b0c9e8d7f', 'internal'],
      ['DynamoDB', '29d3c4b8e5f6a701', '6fa9c3b2e1d0a987', 'client'],
      ['scorekeep-db', '1c2d3e4f5a6b7c8d', '4d3f2a1b0c9e8d7f', 'client'],
    ]);
    assert.ok(spans.every((s) => s.traceId === trace && s.format === 'xray'));
  });

  test('float seconds (even written 1.478293361271E9) become exact nanoseconds', () => {
    const segment = spans[0];
    assert.equal(segment.startNs, '1478293361271000000');
    assert.equal(segment.endNs, '1478293361449000000');
    assert.equal(segment.durationNs, 178_000_000);
    assert.equal(spanById(spans, '29d3c4b8e5f6a701').durationNs, 162_000_000);
  });

  test('error, fault and throttle: one class each, throttle over fault over error', () => {
    assert.deepEqual(spans.map((s) => [s.status, s.errorClass ?? null]), [
      ['error', 'fault'], ['error', 'fault'],
      ['error', 'fault'], // error and fault both set: the fault wins
      ['error', 'throttle'], // error and throttle (a 400 ProvisionedThroughputExceeded-style throttle): the throttle wins
      ['unset', null],
    ]);
  });

  test('services: the segment name; calls out (aws, remote) are nodes named for the callee', () => {
    assert.deepEqual(spans.map((s) => s.service), ['scorekeep', 'scorekeep', 'scorekeep', 'DynamoDB', 'scorekeep-db']);
  });

  test('http, aws, sql, annotations, metadata and origin become attributes', () => {
    const segment = spans[0].attributes;
    assert.equal(segment['http.request.method'], 'POST');
    assert.equal(segment['url.full'], 'http://scorekeep.elasticbeanstalk.com/api/user');
    assert.equal(segment['client.address'], '78.255.233.48');
    assert.match(String(segment['user_agent.original']), /^Mozilla\/5\.0/);
    assert.equal(segment['xray.http.x_forwarded_for'], true);
    assert.equal(segment['http.response.status_code'], 502);
    assert.equal(segment['http.response.body.size'], 117);
    assert.equal(segment['aws.ec2.instance_id'], 'i-075ad396f12bc325a');
    assert.equal(segment['aws.elastic_beanstalk.deployment_id'], 32);
    assert.equal(segment['aws.xray.sdk'], 'X-Ray for Java');
    assert.equal(segment['annotation.game_id'], 'ARLX5AT6');
    assert.equal(segment['annotation.round'], 3);
    assert.equal(segment['annotation.rated'], true);
    assert.equal(segment['metadata.debug.test'], 'Metadata string from UserModel.saveUser');
    assert.deepEqual(segment['metadata.debug.limits'], { players: 4 });
    assert.equal(segment['xray.origin'], 'AWS::ElasticBeanstalk::Environment');
    assert.equal(segment['service.version'], '1.2.3');
    assert.equal(segment['enduser.id'], '5M388M1E');
    const dynamo = spanById(spans, '29d3c4b8e5f6a701').attributes;
    assert.deepEqual(
      [dynamo['xray.namespace'], dynamo['aws.operation'], dynamo['aws.table_name'], dynamo['aws.region'], dynamo['aws.retries'], dynamo['aws.resource_names']],
      ['aws', 'UpdateItem', 'scorekeep-user', 'us-west-2', 2, ['scorekeep-user']],
    );
    const sql = spanById(spans, '1c2d3e4f5a6b7c8d').attributes;
    assert.equal(sql['sql.sanitized_query'], 'SELECT * FROM users WHERE id = ?');
    assert.equal(sql['sql.database_type'], 'PostgreSQL');
    assert.equal(sql['xray.namespace'], 'remote');
  });

  test('a cause becomes an exception event and the code location of the first user frame', () => {
    const segment = spans[0];
    assert.equal(segment.statusMessage, 'Requested resource not found');
    assert.deepEqual(segment.events, [{
      name: 'exception',
      timeNs: '1478293361449000000',
      attributes: {
        'exception.type': 'com.amazonaws.services.dynamodbv2.model.AmazonDynamoDBException',
        'exception.message': 'Requested resource not found',
        'exception.stacktrace': 'at com.amazonaws.http.AmazonHttpClient$RequestExecutor.handleErrorResponse (AmazonHttpClient.java:1586)\nat scorekeep.UserModel.saveUser (UserModel.java:28)\nat scorekeep.UserController.newUser (UserController.java:19)',
      },
    }]);
    // The first frame is the AWS SDK's: the first of the application's is used.
    assert.deepEqual(segment.code, { filePath: 'scorekeep/UserModel.java', source: 'stack', functionName: 'saveUser', namespace: 'scorekeep.UserModel', line: 28 });
  });
});

describe('BatchGetTraces output', () => {
  const { spans, problems } = readXRay(fixture('xray-batch-get-traces.json'), 'batch.json');

  test('each Segments[].Document is a JSON string; a bad one is a problem, the rest read', () => {
    assert.equal(spans.length, 5);
    assert.deepEqual(problems, [
      'batch.json: Traces[0].Segments[3].Document is not valid JSON: Unexpected end of JSON input',
      'batch.json: X-Ray did not return 1 of the requested traces (UnprocessedTraceIds): 1-5759e988-00000000000000000000dead',
    ]);
    assert.ok(spans.every((s) => s.traceId === '5759e988bd862e3fe1be46a994272793'));
  });

  test('a call whose callee is traced stays in the caller\'s service; the callee\'s segment is the node', () => {
    assert.equal(spanById(spans, '53995c3f42cd8ad8').service, 'www.example.com');
    const downstream = spanById(spans, '0a1b2c3d4e5f6a7b');
    assert.deepEqual([downstream.service, downstream.parentSpanId, downstream.kind, downstream.errorClass], ['api.example.com', '53995c3f42cd8ad8', 'server', 'throttle']);
    assert.equal(downstream.attributes['xray.origin'], 'AWS::Lambda::Function');
    // The inferred SQS segment X-Ray returns for the SendMessage call is the SQS node.
    assert.equal(spanById(spans, '7f3e2d1c0b9a8f7e').service, 'www.example.com');
    assert.deepEqual([spanById(spans, '5e6f7a8b9c0d1e2f').service, spanById(spans, '5e6f7a8b9c0d1e2f').attributes['xray.inferred']], ['SQS', true]);
  });
});

describe('daemon captures (a header line before each document)', () => {
  test('headers are skipped, an in-progress segment is replaced by its complete version, independent subsegments find their service', () => {
    const { spans, problems } = readTraces(fixture('xray-daemon.jsonl'), 'daemon.jsonl');
    assert.deepEqual(problems, []);
    assert.deepEqual(spans.map((s) => [s.name, s.service, s.parentSpanId ?? null, s.inProgress ?? false]), [
      ['order-handler', 'order-handler', null, false],
      ['validateOrder', 'order-handler', 'a1a1a1a1a1a1a1a1', false],
      ['DynamoDB', 'DynamoDB', 'b2b2b2b2b2b2b2b2', false],
    ]);
    assert.equal(spans[0].endNs, '1700000000500000000');
    const validate = spans[1];
    assert.deepEqual([validate.errorClass, validate.statusMessage], ['error', 'quantity must be positive']);
    assert.deepEqual(validate.code, { filePath: '/var/task/orders/validate.py', source: 'stack', functionName: 'validate_order', line: 31 });
    assert.equal(validate.durationNs, 50_001_000);
  });

  test('a segment still in progress: no end time yet, so it ends where it starts', () => {
    const lines = fixture('xray-daemon.jsonl').toString().split('\n').slice(0, 2).join('\n');
    const { spans } = readTraces(`${lines}\n`);
    assert.equal(spans.length, 1);
    assert.deepEqual([spans[0].inProgress, spans[0].startNs, spans[0].endNs, spans[0].durationNs], [true, '1700000000123456000', '1700000000123456000', 0]);
  });

  test('one UDP datagram (header, newline, document) reads on its own', () => {
    const datagram = '{"format": "json", "version": 1}\n{"trace_id":"1-5f84c7a1-0123456789abcdef01234567","id":"0123456789abcdef","name":"svc","start_time":1602537377.5,"end_time":1602537377.75}';
    const { spans, problems } = readXRay(Buffer.from(datagram));
    assert.deepEqual(problems, []);
    assert.deepEqual([spans[0].traceId, spans[0].durationNs], ['5f84c7a10123456789abcdef01234567', 250_000_000]);
  });
});

describe('bad X-Ray documents', () => {
  test('each is a problem naming the part; the good ones read', () => {
    const good = { trace_id: '1-5f84c7a1-0123456789abcdef01234567', id: '0123456789abcdef', name: 'svc', start_time: 1602537377.5, end_time: 1602537377.75 };
    const documents = [
      good,
      { ...good, trace_id: 'nope' },
      { ...good, id: 'short' },
      { ...good, id: '1111111111111111', start_time: 'noon' },
      { ...good, id: '2222222222222222', end_time: 1 },
      { ...good, id: '3333333333333333', end_time: undefined },
      { ...good, id: '4444444444444444', subsegments: [7, { id: 'x', name: 'bad child', start_time: 1 }] },
    ];
    const { spans, problems } = readXRay(JSON.stringify(documents), 'docs.json');
    assert.deepEqual(spans.map((s) => s.spanId), ['0123456789abcdef', '2222222222222222', '3333333333333333', '4444444444444444']);
    assert.equal(spans[1].durationNs, 0);
    assert.equal(spans[2].inProgress, true);
    assert.deepEqual(problems, [
      'docs.json: [1]: trace_id "nope" is not an X-Ray trace id (1-xxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx)',
      'docs.json: [2]: id "short" is not 16 hex digits; skipped with its subsegments',
      'docs.json: [3]: start_time "noon" is not a time in seconds; skipped with its subsegments',
      'docs.json: [4]: end_time 1 is not a time after start_time; read as a zero-length span',
      'docs.json: [5]: has neither end_time nor in_progress; read as in progress',
      'docs.json: [6].subsegments[0] is not an object',
      'docs.json: [6].subsegments[1]: id "x" is not 16 hex digits; skipped with its subsegments',
    ]);
  });
});
