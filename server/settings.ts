// The one typed mirror of the `sightline.*` settings that package.json declares.
// test/unit/settings.test.ts fails when this and package.json drift apart.

export type SeverityName = 'error' | 'warning' | 'info' | 'hint';
export type RuleSetting = SeverityName | 'off';

export interface Settings {
  review: {
    enable: boolean;
    /** Files larger than this many bytes are not reviewed (one information message instead). */
    maxFileSize: number;
    /** Per-rule override by rule id (`python/hardcoded-credentials`) or rule name (`hardcoded-credentials`). */
    rules: Record<string, RuleSetting>;
    /** Glob patterns of workspace-relative paths never reviewed. */
    exclude: string[];
    /** Honour Bandit's `# nosec` and Sonar's `NOSONAR` comments as well as `sightline-ignore`. */
    honorNosec: boolean;
    /** Cyclomatic complexity above which a function is reported as too complex. */
    maxComplexity: number;
  };
}

export const defaultSettings: Settings = {
  review: {
    enable: true,
    maxFileSize: 2 * 1024 * 1024,
    rules: {},
    exclude: ['**/node_modules/**', '**/.git/**', '**/dist/**', '**/build/**', '**/.venv/**'],
    honorNosec: true,
    maxComplexity: 15,
  },
};

/** Fills what a client left out with defaults and drops values of the wrong type. */
export function resolveSettings(raw: unknown): Settings {
  const section = isRecord(raw) ? raw : {};
  const review = isRecord(section.review) ? section.review : {};
  const d = defaultSettings.review;
  return {
    review: {
      enable: typeof review.enable === 'boolean' ? review.enable : d.enable,
      maxFileSize: typeof review.maxFileSize === 'number' && review.maxFileSize > 0 ? review.maxFileSize : d.maxFileSize,
      rules: isRecord(review.rules) ? pickRuleSettings(review.rules) : { ...d.rules },
      exclude: Array.isArray(review.exclude) ? review.exclude.filter((g): g is string => typeof g === 'string') : [...d.exclude],
      honorNosec: typeof review.honorNosec === 'boolean' ? review.honorNosec : d.honorNosec,
      maxComplexity: typeof review.maxComplexity === 'number' && review.maxComplexity >= 1 ? review.maxComplexity : d.maxComplexity,
    },
  };
}

const ruleSettings: readonly RuleSetting[] = ['error', 'warning', 'info', 'hint', 'off'];

function pickRuleSettings(raw: Record<string, unknown>): Record<string, RuleSetting> {
  const rules: Record<string, RuleSetting> = {};
  for (const [id, value] of Object.entries(raw)) {
    if (ruleSettings.includes(value as RuleSetting)) rules[id] = value as RuleSetting;
  }
  return rules;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
