import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { codeLocationFromAttributes, codeLocationFromFrames, codeLocationFromStackTrace, splitQualifiedName } from '../../../server/traces/codeAttributes';

describe('code location from OpenTelemetry code.* attributes', () => {
  test('current names: the qualified function name is split into function and namespace', () => {
    assert.deepEqual(
      codeLocationFromAttributes({ 'code.file.path': '/srv/app/src/orders.ts', 'code.function.name': 'com.example.OrderService.placeOrder', 'code.line.number': 42 }),
      { source: 'attributes', filePath: '/srv/app/src/orders.ts', functionName: 'placeOrder', namespace: 'com.example.OrderService', line: 42 },
    );
  });

  test('pre-1.26 names, with code.namespace and a line number sent as a string', () => {
    assert.deepEqual(
      codeLocationFromAttributes({ 'code.filepath': 'app/handler.py', 'code.function': 'handle', 'code.namespace': 'app.handler', 'code.lineno': '17' }),
      { source: 'attributes', filePath: 'app/handler.py', functionName: 'handle', namespace: 'app.handler', line: 17 },
    );
  });

  test('a function name alone is still a location; nothing at all is none', () => {
    assert.deepEqual(codeLocationFromAttributes({ 'code.function': 'charge' }), { source: 'attributes', functionName: 'charge' });
    assert.equal(codeLocationFromAttributes({ 'http.route': '/x' }), undefined);
    assert.equal(codeLocationFromAttributes({ 'code.lineno': 3, 'code.function': '' }), undefined);
  });

  test('without a file path, the innermost user frame of code.stacktrace gives the location', () => {
    const stack = 'Error: boom\n    at Socket.emit (node:events:519:28)\n    at Client.request (/srv/app/node_modules/pg/lib/client.js:51:9)\n    at async OrderRepo.save (/srv/app/src/repo.ts:88:5)\n    at main (/srv/app/src/main.ts:3:1)';
    assert.deepEqual(codeLocationFromAttributes({ 'code.stacktrace': stack, 'code.function.name': 'ignoredWhenTheFrameHasOne' }),
      { filePath: '/srv/app/src/repo.ts', source: 'stack', functionName: 'save', namespace: 'OrderRepo', line: 88 });
  });

  test('a file path attribute wins over a stack trace', () => {
    const location = codeLocationFromAttributes({ 'code.file.path': 'a.py', 'code.stacktrace': '  File "/x/b.py", line 1, in f' });
    assert.equal(location?.filePath, 'a.py');
    assert.equal(location?.source, 'attributes');
  });
});

describe('stack traces in each runtime\'s text form', () => {
  test('Java: frames in the JDK and libraries are skipped; the package becomes the directories', () => {
    const stack = 'java.lang.IllegalStateException: closed\n\tat java.base/java.util.Objects.requireNonNull(Objects.java:233)\n\tat software.amazon.awssdk.core.Client.call(Client.java:10)\n\tat com.acme.orders.OrderService$Inner.lambda$place$0(OrderService.java:57)\n\tat com.acme.Main.main(Main.java:9)';
    assert.deepEqual(codeLocationFromStackTrace(stack), { filePath: 'com/acme/orders/OrderService.java', source: 'stack', functionName: 'lambda$place$0', namespace: 'com.acme.orders.OrderService$Inner', line: 57 });
  });

  test('Python: the most recent call is last, and site-packages frames are skipped', () => {
    const stack = 'Traceback (most recent call last):\n  File "/var/task/app.py", line 12, in handler\n    return charge(order)\n  File "/var/task/billing/charge.py", line 31, in charge\n    client.post(url)\n  File "/var/task/.venv/lib/python3.12/site-packages/requests/api.py", line 115, in post\n    return request("post", url)\nValueError: bad';
    assert.deepEqual(codeLocationFromStackTrace(stack), { filePath: '/var/task/billing/charge.py', source: 'stack', functionName: 'charge', line: 31 });
  });

  test('.NET, Go, Ruby and PHP', () => {
    assert.deepEqual(codeLocationFromStackTrace('System.Exception: x\n   at Shop.Orders.OrderController.Get(Int32 id) in /src/Shop/Orders/OrderController.cs:line 27'),
      { filePath: '/src/Shop/Orders/OrderController.cs', source: 'stack', functionName: 'Get', namespace: 'Shop.Orders.OrderController', line: 27 });
    assert.deepEqual(codeLocationFromStackTrace('goroutine 1 [running]:\nmain.(*Server).handle(0xc000010000)\n\t/app/server.go:42 +0x1d\nmain.main()\n\t/app/main.go:9 +0x25'),
      { filePath: '/app/server.go', source: 'stack', functionName: 'handle', namespace: 'main.(*Server)', line: 42 });
    assert.deepEqual(codeLocationFromStackTrace("/app/models/order.rb:14:in `total'\n/app/app.rb:3:in `<main>'"),
      { filePath: '/app/models/order.rb', source: 'stack', functionName: 'total', line: 14 });
    assert.deepEqual(codeLocationFromStackTrace('#0 /var/www/src/Cart.php(88): App\\Cart::checkout()\n#1 {main}'),
      { filePath: '/var/www/src/Cart.php', source: 'stack', functionName: 'checkout', namespace: 'App\\Cart', line: 88 });
  });

  test('a stack with only library frames still names the first one; text without frames names none', () => {
    assert.equal(codeLocationFromStackTrace('    at x (/app/node_modules/a/b.js:1:1)')?.filePath, '/app/node_modules/a/b.js');
    assert.equal(codeLocationFromStackTrace('just a message'), undefined);
  });
});

describe('structured frames (X-Ray cause stacks)', () => {
  test('the first frame with a path outside libraries', () => {
    assert.deepEqual(codeLocationFromFrames([{ label: 'anonymous' }, { path: '/var/task/node_modules/aws-sdk/lib/request.js', line: 31, label: 'send' }, { path: '/var/task/index.js', line: 12, label: 'exports.handler' }]),
      { filePath: '/var/task/index.js', source: 'stack', functionName: 'handler', namespace: 'exports', line: 12 });
    assert.equal(codeLocationFromFrames([{ label: 'no path' }]), undefined);
  });
});

test('qualified names split at the last . or ::', () => {
  assert.deepEqual(splitQualifiedName('a.b.C.run'), { functionName: 'run', namespace: 'a.b.C' });
  assert.deepEqual(splitQualifiedName('GuzzleHttp\\Client::transfer'), { functionName: 'transfer', namespace: 'GuzzleHttp\\Client' });
  assert.deepEqual(splitQualifiedName('fopen'), { functionName: 'fopen' });
  assert.deepEqual(splitQualifiedName('.hidden'), { functionName: '.hidden' });
  assert.deepEqual(splitQualifiedName('trailing.'), { functionName: 'trailing.' });
});
