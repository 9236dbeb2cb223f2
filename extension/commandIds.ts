// Command ids, declared once; package.json contributes the same ids (a unit test checks both ways).
export const commandIds = {
  showTraces: 'sightline.showTraces',
  restartServer: 'sightline.restartServer',
  showOutput: 'sightline.showOutput',
  reviewWorkspace: 'sightline.reviewWorkspace',
  showRules: 'sightline.showRules',
  importTraces: 'sightline.importTraces',
  clearTraces: 'sightline.clearTraces',
  importAudit: 'sightline.importAudit',
  connectCloudTrail: 'sightline.connectCloudTrail',
  queryAthena: 'sightline.queryAthena',
  connectXRay: 'sightline.connectXRay',
  connectJaeger: 'sightline.connectJaeger',
  lookupAudit: 'sightline.lookupAudit',
  /** From the palette on the resource under the cursor; other callers may pass the name or ARN. */
  whoChanged: 'sightline.whoChanged',
  /** Run from a hover link with a trace id; hidden from the command palette. */
  openTrace: 'sightline.openTrace',
  /** Run from a CodeLens with { file, name }; hidden from the command palette. */
  showTracesForFunction: 'sightline.showTracesForFunction',
  /** Run from a quick fix with the rule id; hidden from the command palette. */
  disableRule: 'sightline.disableRule',
} as const;

export type CommandId = (typeof commandIds)[keyof typeof commandIds];
