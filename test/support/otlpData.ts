// OTLP/JSON test data: `count` requests through a Lambda handler → process, with code attributes.

/** OTLP/JSON for `count` requests: handler → process, with code attributes pointing at the Lambda path. */
export function handlerTraces(count: number): string {
  const base = BigInt(Date.now() - 60_000) * 1_000_000n;
  const spans = [];
  for (let i = 0; i < count; i++) {
    const traceId = (i + 1).toString(16).padStart(32, '0');
    const start = base + BigInt(i) * 10_000_000n;
    const handlerMs = 10 + i;
    spans.push({
      traceId, spanId: `${(i + 1).toString(16).padStart(8, '0')}00000001`, name: 'handler', kind: 2,
      startTimeUnixNano: start.toString(), endTimeUnixNano: (start + BigInt(handlerMs) * 1_000_000n).toString(),
      status: { code: i === 0 ? 2 : 0 },
      attributes: [
        { key: 'code.filepath', value: { stringValue: '/var/task/app.py' } },
        { key: 'code.function', value: { stringValue: 'handler' } },
        { key: 'code.lineno', value: { intValue: '4' } },
      ],
    }, {
      traceId, spanId: `${(i + 1).toString(16).padStart(8, '0')}00000002`, parentSpanId: `${(i + 1).toString(16).padStart(8, '0')}00000001`, name: 'process', kind: 1,
      startTimeUnixNano: (start + 1_000_000n).toString(), endTimeUnixNano: (start + 3_000_000n).toString(),
      attributes: [{ key: 'code.filepath', value: { stringValue: '/var/task/app.py' } }, { key: 'code.function', value: { stringValue: 'process' } }],
    });
  }
  return JSON.stringify({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'orders' } }] }, scopeSpans: [{ scope: { name: 'test' }, spans }] }] });
}

