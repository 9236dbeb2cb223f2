// The trace viewer's front end. Until traces can be ingested it says what it will show and
// where the data will come from; the timeline and trace list arrive with trace ingestion.
import { h } from '../shared/dom';
import { onMessage, post } from '../shared/host';
import { serverLine } from '../shared/serverLine';

const app = document.getElementById('app')!;

function render(server?: Parameters<typeof serverLine>[0]): void {
  app.replaceChildren(
    h('h1', {}, 'Traces'),
    h('p', {}, 'This panel will show the traces your code produced: a searchable trace list, and for the selected trace a timeline of its spans with durations, errors, faults and throttles, each span linked to the source line that emitted it.'),
    h('h2', {}, 'Getting traces in'),
    h(
      'ul',
      {},
      h('li', {}, 'Live from a running app: OpenTelemetry OTLP/HTTP on 127.0.0.1:4318 and the AWS X-Ray daemon protocol on UDP 127.0.0.1:2000.'),
      h('li', {}, 'From files: OTLP JSON or protobuf, X-Ray segment documents, Jaeger and Zipkin JSON.'),
      h('li', {}, 'From a backend: the AWS X-Ray API or a Jaeger query service.'),
    ),
    h('p', { className: 'notice' }, 'Trace ingestion is not part of this build yet, so no traces can arrive here.'),
    server ? serverLine(server) : h('p', { className: 'server' }, 'Connecting to the Sightline server…'),
  );
}

onMessage((message) => {
  switch (message.type) {
    case 'server':
      render(message.server);
      break;
  }
});
render();
post({ type: 'ready' });
