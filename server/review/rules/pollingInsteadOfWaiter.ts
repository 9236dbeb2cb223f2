// A hand-written polling loop — call a describe/get API, sleep, try again — for a state the SDK
// already has a waiter for. Only loops that can poll count: `while`, `do`, counted `for` and Python
// `for _ in range(n)`; a `for` over a collection that sleeps between items is throttling, not
// polling. A loop that returns the response it got is a retry loop, also not polling.
import { awsServices, type AwsService, type AwsWaiter } from '../awsOperations';
import { responseUse, sdkCalls, type SdkCall } from '../awsSdkCalls';
import { callSite, compact, type CallSite } from '../calls';
import type { ReviewLanguage } from '../languages';
import type { Node } from '../parser';
import type { Rule, RuleContext } from '../rule';
import { stringTypes, stringValue } from '../syntax';
import { isFunctionNode } from '../units';

const loopTypes: Record<ReviewLanguage, ReadonlySet<string>> = {
  python: new Set(['while_statement', 'for_statement']),
  java: new Set(['while_statement', 'do_statement', 'for_statement', 'enhanced_for_statement']),
  javascript: new Set(['while_statement', 'do_statement', 'for_statement', 'for_in_statement']),
  typescript: new Set(['while_statement', 'do_statement', 'for_statement', 'for_in_statement']),
};

const sleepCallees: Record<ReviewLanguage, RegExp> = {
  python: /^((time|asyncio|gevent|eventlet)\.)?sleep$/,
  java: /(^|\.)(sleep|sleepUninterruptibly)$/,
  javascript: /(^|\.)(sleep|delay|setTimeout|setTimeoutPromise)$/,
  typescript: /(^|\.)(sleep|delay|setTimeout|setTimeoutPromise)$/,
};

const waiterCallees: Record<ReviewLanguage, RegExp> = {
  python: /(^|\.)(get_waiter|wait)$|waiter/i,
  java: /(^|\.)(waiter|waiters|waitUntil\w+)$/,
  javascript: /(^|\.)(waitUntil\w+|waitFor\w*)$/,
  typescript: /(^|\.)(waitUntil\w+|waitFor\w*)$/,
};

const waitersByOperation = new Map<string, { service: AwsService; waiters: AwsWaiter[] }>();
for (const service of awsServices) {
  for (const waiter of service.waiters ?? []) {
    const key = `${service.endpointPrefix}:${waiter.operation}`;
    const entry = waitersByOperation.get(key) ?? { service, waiters: [] };
    entry.waiters.push(waiter);
    waitersByOperation.set(key, entry);
  }
}

export const pollingInsteadOfWaiter: Rule = {
  languages: ['python', 'java', 'javascript', 'typescript'],
  meta: {
    name: 'polling-instead-of-waiter',
    title: 'Hand-written polling loop where the SDK has a waiter',
    category: 'aws-best-practice',
    severity: 'info',
    why:
      'A loop that calls a describe or get API and sleeps until a resource reaches a state re-implements the SDK\'s ' +
      'waiters, usually without their exponential backoff, their time limit, or their handling of failure states ' +
      '(a stack that rolled back, an instance that terminated), so it can spin forever or hammer the API into ' +
      'throttling. Use the waiter: boto3 client.get_waiter("instance_running").wait(...), Java v2 ' +
      'client.waiter().waitUntilInstanceRunning(...), JavaScript v3 waitUntilInstanceRunning({ client, maxWaitTime }, input).',
    examples: {
      python: {
        noncompliant:
          'while True:\n    table = ddb.describe_table(TableName=name)["Table"]\n    if table["TableStatus"] == "ACTIVE":\n        break\n    time.sleep(5)',
        compliant: 'ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 5, "MaxAttempts": 60})',
      },
      java: {
        noncompliant:
          'while (ec2.describeInstances(request).reservations().get(0).instances().get(0).state().name() != InstanceStateName.RUNNING) {\n    Thread.sleep(5000);\n}',
        compliant: 'ec2.waiter().waitUntilInstanceRunning(request);',
      },
      javascript: {
        noncompliant:
          'for (;;) {\n  const { Table } = await ddb.send(new DescribeTableCommand({ TableName }));\n  if (Table.TableStatus === "ACTIVE") break;\n  await new Promise((r) => setTimeout(r, 5000));\n}',
        compliant: 'await waitUntilTableExists({ client: ddb, maxWaitTime: 300 }, { TableName });',
      },
      typescript: {
        noncompliant:
          'do {\n  await sleep(10_000);\n  ({ Stacks } = await cfn.send(new DescribeStacksCommand({ StackName })));\n} while (Stacks?.[0].StackStatus === "CREATE_IN_PROGRESS");',
        compliant: 'await waitUntilStackCreateComplete({ client: cfn, maxWaitTime: 1800 }, { StackName });',
      },
    },
  },
  check(context: RuleContext) {
    const calls = context.calls();
    const sleeps = calls.filter((s) => isSleep(context.language, s));
    if (sleeps.length === 0) return;
    const reported = new Set<number>();
    for (const call of sdkCalls(context)) {
      const entry = waitersByOperation.get(`${call.service.endpointPrefix}:${call.operation.api}`);
      if (!entry) continue;
      const loop = pollingLoop(context, call.node, sleeps);
      if (!loop || reported.has(loop.id) || isRetry(context, call)) continue;
      if (calls.some((s) => within(loop, s.node) && waiterCallees[context.language].test(s.callee))) continue;
      reported.add(loop.id);
      const sleep = sleeps.find((s) => within(loop, s.node))!;
      const waiters = likelyWaiters(context, loop, entry.waiters);
      context.report(header(context.text, loop), `This loop polls ${call.operation.api} and sleeps until a state is reached; use the SDK waiter instead, which backs off and gives up: ${waiters.map((w) => waiterCall(context.language, w)).join(' or ')}.`, {
        related: [
          { at: call.node, message: `${call.operation.api} is polled here` },
          { at: sleep.node, message: 'and the loop sleeps here' },
        ],
      });
    }
  },
};

/** `time.sleep(5)`, `Thread.sleep(5000)`, `await sleep(ms)`, and `new Promise((r) => setTimeout(r, ms))`, whose callback may be a unit of its own. */
function isSleep(language: ReviewLanguage, site: CallSite): boolean {
  if (sleepCallees[language].test(site.callee)) return true;
  return site.isConstructor && site.name === 'Promise' && /\bsetTimeout\s*\(/.test(site.args[0]?.text ?? '');
}

function within(outer: Node, inner: Node): boolean {
  return outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;
}

/** The innermost loop around `node` that also sleeps, if it is a loop that can poll. */
function pollingLoop(context: RuleContext, node: Node, sleeps: CallSite[]): Node | undefined {
  for (let current = node.parent; current && current.id !== context.unit.root.id; current = current.parent) {
    if (!loopTypes[context.language].has(current.type)) continue;
    const loop = current;
    if (!sleeps.some((s) => within(loop, s.node))) continue;
    return canPoll(context.language, loop) && canEnd(context.language, loop) ? loop : undefined;
  }
  return undefined;
}

/** `for x in items` / `for (const x of items)` walks a collection; `for _ in range(n)` and counted loops can poll. */
function canPoll(language: ReviewLanguage, loop: Node): boolean {
  if (language === 'python' && loop.type === 'for_statement') {
    const iterable = loop.childForFieldName('right');
    return !!iterable && iterable.type === 'call' && callSite(iterable)?.callee === 'range';
  }
  return loop.type !== 'enhanced_for_statement' && loop.type !== 'for_in_statement';
}

/** A loop that waits ends when the state is reached; `while True:` with no way out is a monitor, not a wait. */
function canEnd(language: ReviewLanguage, loop: Node): boolean {
  const condition = loop.childForFieldName('condition');
  const forever = loop.type === 'for_statement' && language !== 'python' ? !condition || condition.text.replace(/[;\s]/g, '') === '' : !!condition && /^\(?\s*(true|True)\s*\)?$/.test(condition.text);
  if (!forever) return true;
  const body = loop.childForFieldName('body');
  return !!body && body.descendantsOfType(['break_statement', 'return_statement', 'throw_statement', 'raise_statement']).some((exit) => exit && exitsLoop(language, loop, exit));
}

/** A `break` of this loop (not of one nested in it), or a `return`/`throw` not inside a nested function. */
function exitsLoop(language: ReviewLanguage, loop: Node, exit: Node): boolean {
  for (let current = exit.parent; current && current.id !== loop.id; current = current.parent) {
    if (isFunctionNode(language, current) || current.type === 'lambda' || current.type === 'lambda_expression') return false;
    if (exit.type === 'break_statement' && (loopTypes[language].has(current.type) || current.type === 'switch_statement' || current.type === 'switch_block')) return false;
  }
  return true;
}

/** A loop that returns the response as soon as the call succeeds retries a request; it does not wait for a state. */
function isRetry(context: RuleContext, call: SdkCall): boolean {
  if (!call.response) return false;
  const use = responseUse(context, call.response);
  return use.kind === 'returned' || use.kind === 'escapes';
}

/**
 * The waiters whose name shares a word with a state the loop looks for (`"running"` → InstanceRunning,
 * `CREATE_IN_PROGRESS` → StackCreateComplete), the resource noun that starts every name aside; else all of them.
 */
function likelyWaiters(context: RuleContext, loop: Node, waiters: AwsWaiter[]): AwsWaiter[] {
  const states = new Set<string>();
  for (const literal of loop.descendantsOfType([...stringTypes[context.language]])) {
    if (literal) words(stringValue(literal).value).forEach((w) => states.add(w));
  }
  for (const name of loop.descendantsOfType(['identifier', 'property_identifier'])) {
    if (name && /^[A-Z][A-Z_]+$/.test(name.text)) words(name.text).forEach((w) => states.add(w));
  }
  const scored = waiters.map((waiter) => ({ waiter, score: words(waiter.name).slice(1).filter((w) => states.has(w)).length }));
  const best = Math.max(...scored.map((s) => s.score));
  return best > 0 ? scored.filter((s) => s.score === best).map((s) => s.waiter) : waiters;
}

function words(text: string): string[] {
  return text.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

function waiterCall(language: ReviewLanguage, waiter: AwsWaiter): string {
  switch (language) {
    case 'python':
      return `get_waiter("${waiter.boto3}").wait(...)`;
    case 'java':
      return `waiter().waitUntil${waiter.name}(...)`;
    default:
      return `waitUntil${waiter.name}(...)`;
  }
}

/** The loop's first line, so the squiggle marks the loop rather than its whole body. */
function header(text: string, loop: Node): { startIndex: number; endIndex: number } {
  const newline = text.indexOf('\n', loop.startIndex);
  const end = newline < 0 || newline > loop.endIndex ? loop.endIndex : newline;
  return { startIndex: loop.startIndex, endIndex: compact(text.slice(loop.startIndex, end)) ? end : loop.endIndex };
}
