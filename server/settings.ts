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
  traces: {
    /** Deployed path prefix → workspace path prefix, e.g. { "/var/task/": "src/" }. */
    pathMappings: Record<string, string>;
    /** How far back CodeLens statistics look, in hours. */
    statisticsWindowHours: number;
    /** Latency objective (p95, milliseconds) per service; the service map marks misses. */
    latencySlo: Record<string, number>;
    retentionDays: number;
    maxStorageMB: number;
    otlp: { enabled: boolean; host: string; port: number };
    xrayDaemon: { enabled: boolean; host: string; port: number };
  };
  audit: {
    retentionDays: number;
    maxStorageMB: number;
    /** Poll CloudTrail LookupEvents for new events while the editor is open. */
    lookupEvents: { enabled: boolean; region: string; profile: string; endpoint: string; intervalMinutes: number };
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
  traces: {
    pathMappings: {},
    statisticsWindowHours: 24,
    latencySlo: {},
    retentionDays: 7,
    maxStorageMB: 1024,
    otlp: { enabled: true, host: '127.0.0.1', port: 4318 },
    xrayDaemon: { enabled: true, host: '127.0.0.1', port: 2000 },
  },
  audit: {
    retentionDays: 90,
    maxStorageMB: 2048,
    lookupEvents: { enabled: false, region: '', profile: '', endpoint: '', intervalMinutes: 5 },
  },
};

/** Fills what a client left out with defaults and drops values of the wrong type. */
export function resolveSettings(raw: unknown): Settings {
  const section = isRecord(raw) ? raw : {};
  const review = isRecord(section.review) ? section.review : {};
  const d = defaultSettings.review;
  return {
    traces: resolveTraces(isRecord(section.traces) ? section.traces : {}),
    audit: resolveAudit(isRecord(section.audit) ? section.audit : {}),
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

function resolveTraces(raw: Record<string, unknown>): Settings['traces'] {
  const d = defaultSettings.traces;
  const positive = (value: unknown, fallback: number) => (typeof value === 'number' && value > 0 ? value : fallback);
  const endpoint = (value: unknown, fallback: { enabled: boolean; host: string; port: number }) => {
    const r = isRecord(value) ? value : {};
    return {
      enabled: typeof r.enabled === 'boolean' ? r.enabled : fallback.enabled,
      host: typeof r.host === 'string' && r.host !== '' ? r.host : fallback.host,
      port: typeof r.port === 'number' && Number.isInteger(r.port) && r.port >= 0 && r.port < 65536 ? r.port : fallback.port,
    };
  };
  return {
    pathMappings: stringRecord(raw.pathMappings, (v): v is string => typeof v === 'string'),
    statisticsWindowHours: positive(raw.statisticsWindowHours, d.statisticsWindowHours),
    latencySlo: stringRecord(raw.latencySlo, (v): v is number => typeof v === 'number' && v > 0),
    retentionDays: positive(raw.retentionDays, d.retentionDays),
    maxStorageMB: positive(raw.maxStorageMB, d.maxStorageMB),
    otlp: endpoint(raw.otlp, d.otlp),
    xrayDaemon: endpoint(raw.xrayDaemon, d.xrayDaemon),
  };
}

function resolveAudit(raw: Record<string, unknown>): Settings['audit'] {
  const d = defaultSettings.audit;
  const positive = (value: unknown, fallback: number) => (typeof value === 'number' && value > 0 ? value : fallback);
  const poll = isRecord(raw.lookupEvents) ? raw.lookupEvents : {};
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '');
  return {
    retentionDays: positive(raw.retentionDays, d.retentionDays),
    maxStorageMB: positive(raw.maxStorageMB, d.maxStorageMB),
    lookupEvents: {
      enabled: poll.enabled === true,
      region: text(poll.region),
      profile: text(poll.profile),
      endpoint: text(poll.endpoint),
      intervalMinutes: positive(poll.intervalMinutes, d.lookupEvents.intervalMinutes),
    },
  };
}

function stringRecord<T>(raw: unknown, valid: (value: unknown) => value is T): Record<string, T> {
  const out: Record<string, T> = {};
  if (isRecord(raw)) for (const [key, value] of Object.entries(raw)) if (valid(value)) out[key] = value;
  return out;
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
