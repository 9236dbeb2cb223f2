// The Audit view's front end. Until CloudTrail events can be ingested it says what it will show
// and where the events will come from.
import { h } from '../shared/dom';
import { onMessage, post } from '../shared/host';
import { serverLine } from '../shared/serverLine';

const app = document.getElementById('app')!;

function render(server?: Parameters<typeof serverLine>[0]): void {
  app.replaceChildren(
    h('h1', {}, 'Audit'),
    h('p', {}, 'This view will show, for the file in the active editor, the recent CloudTrail events that touch the AWS resources and API calls in it: who did what to which resource, when, from where, and with which errors.'),
    h('h2', {}, 'Getting events in'),
    h(
      'ul',
      {},
      h('li', {}, 'CloudTrail log files as delivered to S3 (.json and .json.gz, whole AWSLogs folder trees).'),
      h('li', {}, 'The CloudTrail LookupEvents API for the last 90 days, and Athena over the S3 archive for longer.'),
    ),
    h('p', { className: 'notice' }, 'Audit event ingestion is not part of this build yet, so no events can arrive here.'),
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
