// What the Audit view says when it has no events to show, and how to get some.
import { dataText } from '../shared/dataText';
import { h } from '../shared/dom';
import type { AuditSourceCommand, WebviewCommand } from '../shared/messages';

export interface EmptyStateActions {
  run(command: WebviewCommand): void;
  refresh(): void;
}

const commandButton = (label: string, command: WebviewCommand, actions: EmptyStateActions, primary = false) =>
  h('button', { className: primary ? 'primary' : 'secondary', attrs: { type: 'button' }, onClick: () => actions.run(command) }, label);

export function noEditor(actions: EmptyStateActions): HTMLElement {
  return h('div', { className: 'empty' },
    h('h2', {}, 'No file open'),
    h('p', {}, 'Open a file to see the recent CloudTrail events of the AWS resources and API calls it references: who did what, when, from where, and what failed.'),
    h('p', { className: 'actions' }, commandButton('Look Up Audit Events…', 'sightline.lookupAudit', actions)));
}

/** Nothing is stored yet: the ways events come in, each with its command when it is registered. */
export function nothingImported(available: readonly AuditSourceCommand[], actions: EmptyStateActions): HTMLElement {
  return h('div', { className: 'empty' },
    h('h2', {}, 'No CloudTrail events yet'),
    h('p', {}, 'Once Sightline has events, this view shows for the file in the editor who called which AWS API on the resources it references, when, from where, and with which errors.'),
    sourceList(available, actions));
}

/** The ways events come in, each with its command when it is registered. */
export function sourceList(available: readonly AuditSourceCommand[], actions: EmptyStateActions): HTMLElement {
  const has = (command: AuditSourceCommand) => available.includes(command);
  return h('ul', { className: 'sources' },
    h('li', {},
      h('strong', {}, 'From log files. '),
      'CloudTrail logs as delivered to S3 (',
      h('code', {}, '.json'), ', ', h('code', {}, '.json.gz'), ', whole ', h('code', {}, 'AWSLogs/'),
      ' folders) or the output of ', h('code', {}, 'aws cloudtrail lookup-events'), '. ',
      commandButton('Import CloudTrail Logs…', 'sightline.importAudit', actions, true)),
    has('sightline.connectCloudTrail') && h('li', {},
      h('strong', {}, 'From your account. '),
      'The last 90 days of management events through the LookupEvents API, kept up to date. ',
      commandButton('Connect to CloudTrail…', 'sightline.connectCloudTrail', actions)),
    has('sightline.queryAthena') && h('li', {},
      h('strong', {}, 'From the S3 archive. '),
      'Older events and data events through Athena. ',
      commandButton('Query Athena…', 'sightline.queryAthena', actions)),
    h('li', {}, h('strong', {}, 'From a terminal. '), h('code', {}, 'sightline audit import <files or folders>'), ' fills the same store.'));
}

export function nothingReferenced(fileName: string, storedEvents: number, actions: EmptyStateActions): HTMLElement {
  return h('div', { className: 'empty' },
    h('h2', {}, 'No AWS resources or API calls in ', h('span', { className: 'file' }, dataText(fileName))),
    h('p', {}, 'Sightline looks for ARNs, resource names passed to AWS SDK calls (boto3, the AWS SDK for JavaScript v3, the AWS SDK for Java v2), the SDK calls themselves, and the resources of CloudFormation/SAM templates and Terraform files.'),
    h('p', { className: 'actions' },
      `${storedEvents.toLocaleString('en')} ${storedEvents === 1 ? 'event is' : 'events are'} stored. `,
      commandButton('Look Up Audit Events…', 'sightline.lookupAudit', actions)));
}

export function loadingDocument(fileName: string): HTMLElement {
  return h('div', { className: 'empty' }, h('p', { className: 'muted' }, 'Loading the events of ', dataText(fileName), '…'));
}

export function failed(fileName: string, message: string, actions: EmptyStateActions): HTMLElement {
  return h('div', { className: 'empty' },
    h('p', { className: 'error-text', role: 'alert' }, 'Sightline could not get the events of ', dataText(fileName), ': ', dataText(message)),
    h('p', { className: 'actions' },
      h('button', { className: 'secondary', attrs: { type: 'button' }, onClick: () => actions.refresh() }, 'Try again'),
      commandButton('Show Output', 'sightline.showOutput', actions)));
}

export function noMatch(clear: () => void): HTMLElement {
  return h('div', { className: 'empty' },
    h('p', {}, 'No events match the filter. ', h('button', { className: 'link', attrs: { type: 'button' }, onClick: clear }, 'Clear the filter')));
}

export function noLookupResults(actions: EmptyStateActions): HTMLElement {
  return h('div', { className: 'empty' },
    h('p', {}, 'No stored events match this lookup. ', commandButton('Look Up Audit Events…', 'sightline.lookupAudit', actions)));
}
