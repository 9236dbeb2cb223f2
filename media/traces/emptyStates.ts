// What the panel says when it has nothing to show yet, is waiting, or failed: each says what
// happens next or how to get data in.
import type { TraceSourcesStatus } from '../../server/protocol';
import { h } from '../shared/dom';

export const otlpEndpoint = 'http://127.0.0.1:4318';
export const xrayDaemonAddress = '127.0.0.1:2000';

/**
 * No traces stored at all: the three ways in, with the receivers' actual addresses (and what keeps
 * one from listening) once the server said them; the default addresses until then.
 */
export function noTracesYet(importTraces: () => void, sources?: TraceSourcesStatus): HTMLElement {
  const otlp = sources ? sources.otlp : { url: `${otlpEndpoint}/v1/traces` };
  const xray = sources ? sources.xrayDaemon : { address: xrayDaemonAddress };
  const endpoint = otlp ? otlp.url.replace(/\/v1\/traces$/, '') : undefined;
  return h('div', { className: 'empty', role: 'status' },
    h('h2', {}, 'No traces yet'),
    h('p', {}, 'Traces show up here as soon as Sightline receives them:'),
    sources?.readOnly && h('p', { className: 'notice' }, 'The trace store is open read-only: another window or process holds it, so nothing new can be stored here.'),
    h('ul', { className: 'ways-in' },
      h('li', {},
        h('strong', {}, 'From files. '),
        'OTLP JSON or protobuf, collector file exports, X-Ray segment documents, Jaeger and Zipkin JSON. ',
        h('button', { className: 'link', attrs: { type: 'button' }, onClick: importTraces }, 'Import Traces…')),
      h('li', {},
        h('strong', {}, 'From a running app (OpenTelemetry). '),
        endpoint
          ? h('span', {}, 'Send OTLP/HTTP to ', h('code', {}, endpoint), ', e.g. ', h('code', {}, `OTEL_EXPORTER_OTLP_ENDPOINT=${endpoint}`), '.')
          : h('span', {}, 'The OTLP receiver is off: turn it on in the setting ', h('code', {}, 'sightline.traces.otlp'), '.'),
        otlp?.error && h('span', { className: 'error-text' }, ` It is not listening: ${otlp.error}`)),
      h('li', {},
        h('strong', {}, 'From a running app (AWS X-Ray SDK). '),
        xray
          ? h('span', {}, 'Sightline listens like the X-Ray daemon on UDP ', h('code', {}, xray.address), ', e.g. ', h('code', {}, `AWS_XRAY_DAEMON_ADDRESS=${xray.address}`), '.')
          : h('span', {}, 'The X-Ray daemon receiver is off: turn it on in the setting ', h('code', {}, 'sightline.traces.xrayDaemon'), '.'),
        xray?.error && h('span', { className: 'error-text' }, ` It is not listening: ${xray.error}`)),
    ),
  );
}

export function noMatch(clearFilters: () => void): HTMLElement {
  return h('div', { className: 'empty', role: 'status' },
    h('p', {}, 'No traces match this search.'),
    h('button', { className: 'secondary', attrs: { type: 'button' }, onClick: clearFilters }, 'Clear filters'));
}

export function hint(text: string): HTMLElement {
  return h('div', { className: 'empty hint', role: 'status' }, h('p', {}, text));
}

export function loading(text: string): HTMLElement {
  return h('div', { className: 'empty', role: 'status' }, h('div', { className: 'progress', attrs: { 'aria-hidden': 'true' } }), h('p', { className: 'muted' }, text));
}

export function failure(text: string, retry: () => void): HTMLElement {
  return h('div', { className: 'empty failure', role: 'alert' },
    h('p', { className: 'error-text' }, text),
    h('button', { className: 'secondary', attrs: { type: 'button' }, onClick: retry }, 'Try again'));
}
