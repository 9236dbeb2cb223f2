// Command ids, declared once; package.json contributes the same ids (a unit test checks both ways).
export const commandIds = {
  showTraces: 'sightline.showTraces',
  restartServer: 'sightline.restartServer',
  showOutput: 'sightline.showOutput',
} as const;

export type CommandId = (typeof commandIds)[keyof typeof commandIds];
