// The Insights & detections tab: the detections that matched in the window, most severe first,
// each with why it matters, where the rule comes from and its newest events (which open as full
// records); then the Insights — API call and error rates that left their baseline — with who, with
// what and failing how, and a way to list the events they counted. Every string that came from a
// record (identities, user agents, error codes, summaries) goes in through dataText/visibleText.
import type { AuditDetectionSample, AuditDetectionView, AuditFindings, AuditInsightAttribution, AuditInsightView } from '../../server/protocol';
import { dataText, visibleText } from '../shared/dataText';
import { h } from '../shared/dom';
import type { AuditSourceCommand } from '../shared/messages';
import { relativeTime } from '../traces/format';
import { sourceList, type EmptyStateActions } from './emptyStates';
import { exactTime, shortSource } from './eventTable';
import { duration, localMinute, perBucket, plural, rate, ratio, share, timeSpan } from './findingsText';
import type { FindingsState } from './messages';

export interface FindingsActions extends EmptyStateActions {
  open(eventId: string): void;
  showInsightEvents(insightId: string): void;
  refreshFindings(): void;
  /** A detection's "Why it matters" was opened or closed; it stays so across refreshes. */
  rationaleToggled(detectionId: string, open: boolean): void;
}

export interface FindingsOptions {
  now: number;
  sources: readonly AuditSourceCommand[];
  openRationales: ReadonlySet<string>;
}

const dayMs = 86_400_000;

/** "the 14 days 2026-11-09 00:00 – 2026-11-22 05:27": the window as the notes name it. */
export function windowText(findings: AuditFindings): string {
  const days = Math.max(1, Math.ceil((findings.to - findings.from) / dayMs));
  return `the ${plural(days, 'day')} ${localMinute(findings.from)} – ${localMinute(findings.to)}`;
}

/**
 * The tab's content for the last answer shown (`shown`, kept while the next one loads) and the
 * state of the newest request.
 */
export function findingsContent(state: FindingsState | undefined, shown: AuditFindings | undefined, options: FindingsOptions, actions: FindingsActions): HTMLElement[] {
  const failure = state?.kind === 'failed' ? failed(state.message, actions) : undefined;
  if (!shown) return [failure ?? analysing()];
  const parts: HTMLElement[] = failure ? [failure] : [];
  if (shown.storedEvents === 0) return [...parts, nothingStored(options.sources, actions)];
  return [...parts, detectionsSection(shown, options, actions), insightsSection(shown, options, actions)];
}

function analysing(): HTMLElement {
  return h('div', { className: 'empty' },
    h('p', { className: 'muted' }, 'Analysing the stored CloudTrail events…'),
    h('p', { className: 'muted' }, 'The first analysis of a large store reads every event of the last three weeks and takes a while; after that only the days that change are read again.'));
}

function failed(message: string, actions: FindingsActions): HTMLElement {
  return h('div', { className: 'empty' },
    h('p', { className: 'error-text', role: 'alert' }, 'Sightline could not analyse the stored events: ', dataText(message)),
    h('p', { className: 'actions' },
      h('button', { className: 'secondary', attrs: { type: 'button' }, onClick: () => actions.refreshFindings() }, 'Try again'),
      h('button', { className: 'secondary', attrs: { type: 'button' }, onClick: () => actions.run('sightline.showOutput') }, 'Show Output')));
}

function nothingStored(sources: readonly AuditSourceCommand[], actions: FindingsActions): HTMLElement {
  return h('div', { className: 'empty' },
    h('h2', {}, 'No CloudTrail events yet'),
    h('p', {}, 'Once Sightline has events, this tab lists the security detections they match — root user activity, console sign-ins without MFA, security groups opened to the internet, trails stopped, policies changed (the CIS AWS Foundations Benchmark monitoring controls and more) — and Insights: API call and error rates far above their usual level, with who caused them.'),
    sourceList(sources, actions));
}

// ---- Detections ----

function detectionsSection(findings: AuditFindings, options: FindingsOptions, actions: FindingsActions): HTMLElement {
  const { detections } = findings;
  const note = `${findings.detectionsChecked} checks: the CIS AWS Foundations Benchmark v3.0.0 monitoring controls, and changes that expose resources or create long-lived credentials.`;
  return h('section', { className: 'findings-section detections', attrs: { 'aria-label': 'Detections' } },
    h('h3', { className: 'section-label' }, 'Detections', h('span', { className: 'section-count' }, String(detections.length))),
    h('p', { className: 'section-note' }, note),
    ...(detections.length > 0
      ? detections.map((d) => detectionBlock(d, options, actions))
      : [h('div', { className: 'empty' }, h('p', {}, 'No detection matched. ', h('span', { className: 'muted' }, 'Events from before the window are not checked here; ', h('code', {}, 'sightline audit detections --since 90d'), ' looks further back.')))]));
}

function detectionBlock(d: AuditDetectionView, options: FindingsOptions, actions: FindingsActions): HTMLElement {
  const { now } = options;
  const last = relativeTime(d.lastSeen, now);
  const first = relativeTime(d.firstSeen, now);
  const when = first === last ? last : `last ${last} · first ${first}`;
  const why = h('details', { className: 'rationale' }, h('summary', {}, 'Why it matters'), h('p', {}, d.rationale));
  why.open = options.openRationales.has(d.id);
  why.addEventListener('toggle', () => actions.rationaleToggled(d.id, why.open));
  return h('div', { className: `finding detection sev-${d.severity}`, attrs: { 'data-detection': d.id } },
    h('div', { className: 'finding-head' },
      h('span', { className: `sev sev-${d.severity}`, title: `Severity: ${d.severity}` }, d.severity),
      h('span', { className: 'finding-title' }, d.title),
      h('span', { className: 'finding-count' }, plural(d.count, 'event')),
      h('span', { className: 'finding-when', title: `First: ${exactTime(d.firstSeen)}\nLast: ${exactTime(d.lastSeen)}` }, when)),
    h('div', { className: 'finding-ref' }, d.reference),
    why,
    h('div', { className: 'samples', role: 'table', attrs: { 'aria-label': `Newest events: ${d.title}` } },
      ...d.samples.map((sample) => sampleRow(sample, now, actions))),
    d.count > d.samples.length && h('p', { className: 'more-note' }, `The newest ${d.samples.length} of ${plural(d.count, 'event')}.`));
}

function sampleRow(sample: AuditDetectionSample, now: number, actions: FindingsActions): HTMLElement {
  const row = h('div', {
    className: 'ev-event sample',
    role: 'row',
    attrs: { tabindex: '-1', 'data-event-id': sample.eventId, 'aria-label': visibleText(`${sample.summary}, ${relativeTime(sample.time, now)}`) },
    onClick: () => actions.open(sample.eventId),
  },
  h('span', { className: 'ev-time', role: 'cell', title: exactTime(sample.time) }, relativeTime(sample.time, now)),
  h('span', { className: 'sample-summary', role: 'cell', title: visibleText(sample.summary) }, dataText(sample.summary)));
  row.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      actions.open(sample.eventId);
    }
  });
  return row;
}

// ---- Insights ----

function insightsSection(findings: AuditFindings, options: FindingsOptions, actions: FindingsActions): HTMLElement {
  const { insights } = findings;
  return h('section', { className: 'findings-section insights', attrs: { 'aria-label': 'Insights' } },
    h('h3', { className: 'section-label' }, 'Insights', h('span', { className: 'section-count' }, String(insights.length))),
    h('p', { className: 'section-note' }, 'Write management calls and failed calls per minute, per API, account and Region, against the 7 days before — as CloudTrail Insights measures them — and the Insights CloudTrail itself delivered.'),
    ...(insights.length > 0 ? [...insights].reverse().map((insight) => insightBlock(insight, options, actions)) : [noInsights(findings, actions)]));
}

function noInsights(findings: AuditFindings, actions: FindingsActions): HTMLElement {
  const history = findings.historyFrom === undefined ? 0 : findings.to - findings.historyFrom;
  if (history < dayMs) {
    return h('div', { className: 'empty' },
      h('p', {}, `Not enough history yet: a minute is judged against the 7 days before it, and only once a day of events is stored. The stored events cover ${duration(history)}.`),
      h('p', { className: 'actions' }, 'Import older logs to give the baseline more to go on. ',
        h('button', { className: 'secondary', attrs: { type: 'button' }, onClick: () => actions.run('sightline.importAudit') }, 'Import CloudTrail Logs…')));
  }
  return h('div', { className: 'empty' },
    h('p', {}, `No unusual API call or error rates in ${windowText(findings)}. `,
      h('span', { className: 'muted' }, 'A minute counts as unusual with at least 10 calls or errors and more than 5 standard deviations above its baseline.')));
}

function insightBlock(insight: AuditInsightView, options: FindingsOptions, actions: FindingsActions): HTMLElement {
  const errorRate = insight.type === 'ApiErrorRateInsight';
  const per = perBucket(insight.bucketMs);
  const exact = `${exactTime(insight.start)}\n${insight.ongoing ? 'ongoing' : exactTime(insight.end)}`;
  const records = insight.recordIds.length === 2 ? ['Open Start record', 'Open End record'] : insight.recordIds.map(() => 'Open Insights record');
  return h('div', { className: `finding insight${errorRate ? ' error-rate' : ''}`, attrs: { 'data-insight': insight.id } },
    h('div', { className: 'finding-head' },
      h('span', { className: `insight-kind ${errorRate ? 'kind-error' : 'kind-call'}` }, errorRate ? 'error rate' : 'call rate'),
      h('span', { className: 'finding-api', title: visibleText(`${insight.eventSource} ${insight.eventName}`) },
        h('span', { className: 'ev-source' }, dataText(shortSource(insight.eventSource)), ':'),
        h('span', { className: 'ev-name' }, dataText(insight.eventName))),
      insight.errorCode !== undefined && h('span', { className: 'err-code' }, dataText(insight.errorCode)),
      insight.origin === 'cloudtrail' && h('span', { className: 'badge badge-origin', title: 'An Insights event CloudTrail delivered' }, 'CloudTrail'),
      h('span', { className: 'finding-scope', title: visibleText(`Account ${insight.account}, Region ${insight.region}`) }, dataText(`${insight.account} · ${insight.region}`)),
      h('span', { className: 'finding-when', title: exact }, timeSpan(insight.start, insight.end, insight.ongoing), insight.ongoing ? '' : ` · ${relativeTime(insight.end, options.now)}`)),
    h('div', { className: 'insight-rates' },
      `${errorRate ? 'Errors' : 'Calls'}: baseline `, h('strong', {}, `${rate(insight.baselineAverage)}${per}`),
      ' → ', h('strong', { className: 'observed' }, `${rate(insight.insightAverage)}${per}`),
      ` (${ratio(insight.baselineAverage, insight.insightAverage)})`,
      insight.unusualFrom !== undefined && h('span', { className: 'muted' }, ` · unusual from ${insight.unusualFrom.toLocaleString('en')}${per}`)),
    h('div', { className: 'attributions' },
      attributionList('Top identities', insight.identities, per),
      attributionList('User agents', insight.userAgents, per),
      attributionList('Error codes', insight.errorCodes, per)),
    h('div', { className: 'finding-actions' },
      h('button', { className: 'secondary', title: 'List the stored events of this API during the insight', attrs: { type: 'button' }, onClick: () => actions.showInsightEvents(insight.id) }, 'Show events'),
      ...insight.recordIds.map((id, i) => h('button', { className: 'link', attrs: { type: 'button', 'data-record-id': id }, onClick: () => actions.open(id) }, records[i]))));
}

function attributionList(label: string, values: readonly AuditInsightAttribution[], per: string): HTMLElement {
  return h('div', { className: 'attribution' },
    h('div', { className: 'attribution-label' }, label),
    values.length === 0
      ? h('div', { className: 'none' }, '—')
      : h('ol', {}, ...values.map((a) => h('li', {
        title: visibleText(`${a.value}\n${rate(a.insightAverage)}${per} during the insight, ${rate(a.baselineAverage)}${per} in the baseline`),
      }, h('span', { className: 'attribution-value' }, dataText(a.value)), h('span', { className: 'attribution-share' }, share(a.insightShare))))));
}
