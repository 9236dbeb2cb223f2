// Runs the review rules over a parsed document, one unit at a time, and applies the user's
// per-rule settings and suppression comments. With a UnitCache, units whose text has not changed
// since the last review reuse their findings, shifted to where the unit now starts.
import { callsIn, type CallSite } from './calls';
import { Taint } from './dataflow/taint';
import type { ReviewLanguage } from './languages';
import { LineIndex } from './lineIndex';
import type { Tree } from './parser';
import { ruleId, type Finding, type RawFinding, type Rule, type TextRange } from './rule';
import { allRules } from './rules';
import { isSuppressed } from './suppression';
import { NodeDemand, NodeIndex, splitUnits, type ReviewUnit } from './units';
import type { RuleSetting, Settings, SeverityName } from '../settings';

export interface RuleFailure {
  ruleId: string;
  error: unknown;
}

export interface ReviewResult {
  findings: Finding[];
  /** Rules that threw: the others still ran, and the caller logs these. */
  failures: RuleFailure[];
}

interface UnitResult {
  /** Offsets relative to the unit's start. */
  findings: RawFinding[];
  failures: RuleFailure[];
}

/** Findings per unit text for one document; dropped whole when module-level code changes. */
export class UnitCache {
  private entries = new Map<string, UnitResult>();
  private moduleKey: string | undefined;

  /** Module-level code (imports, globals) is context for every function: a change there invalidates all. */
  begin(moduleKey: string): void {
    if (moduleKey !== this.moduleKey) this.entries.clear();
    this.moduleKey = moduleKey;
  }

  get(key: string): UnitResult | undefined {
    return this.entries.get(key);
  }

  /** Keeps exactly the units of the latest review, so the cache never outgrows the document. */
  replace(used: Map<string, UnitResult>): void {
    this.entries = used;
  }

  clear(): void {
    this.entries.clear();
    this.moduleKey = undefined;
  }
}

interface ActiveRule {
  rule: Rule;
  id: string;
  severity: SeverityName;
}

export function reviewTree(
  language: ReviewLanguage,
  tree: Tree,
  text: string,
  settings: Settings,
  cache?: UnitCache,
  rules: readonly Rule[] = allRules,
): ReviewResult {
  const active = activeRules(language, settings, rules);
  const units = splitUnits(language, tree.rootNode);
  cache?.begin(units[units.length - 1].key);
  const used = new Map<string, UnitResult>();
  const raw: RawFinding[] = [];
  const failures: RuleFailure[] = [];
  for (const unit of units) {
    const offsets = unitOffsets(unit);
    const result = used.get(unit.key) ?? cache?.get(unit.key) ?? reviewUnit(language, unit, tree, text, settings, active, offsets);
    used.set(unit.key, result);
    for (const finding of result.findings) raw.push(mapFinding(finding, offsets.toDocument));
    failures.push(...result.failures);
  }
  cache?.replace(used);

  const lines = new LineIndex(text);
  const textLines = text.split('\n');
  const findings = raw
    .filter((f) => !isSuppressed(textLines, lines.positionAt(f.at.startIndex).line, f.ruleId, settings.review.honorNosec))
    .map((f) => toFinding(f, lines));
  findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.ruleId.localeCompare(b.ruleId));
  return { findings, failures };
}

function reviewUnit(language: ReviewLanguage, unit: ReviewUnit, tree: Tree, text: string, settings: Settings, active: ActiveRule[], offsets: UnitOffsets): UnitResult {
  const index = new NodeIndex(unit, demandFor(tree));
  let calls: CallSite[] | undefined;
  let taint: Taint | undefined;
  const findings: RawFinding[] = [];
  const failures: RuleFailure[] = [];
  for (const { rule, id, severity } of active) {
    try {
      rule.check({
        language,
        unit,
        tree,
        text,
        settings,
        find: (...types) => index.find(...types),
        calls: () => (calls ??= callsIn(language, index)),
        taint: (sanitizes) => (sanitizes ? new Taint(language, unit, index, sanitizes) : (taint ??= new Taint(language, unit, index))),
        report(at, message, options) {
          findings.push(mapFinding({ ruleId: id, message, severity, at: range(at), ...options }, offsets.toUnit));
        },
      });
    } catch (error) {
      failures.push({ ruleId: id, error });
    }
  }
  return { findings, failures };
}

/** Node-type demand is learned per grammar (type ids differ between grammars). */
const demands = new WeakMap<object, NodeDemand>();
function demandFor(tree: Tree): NodeDemand {
  let demand = demands.get(tree.language);
  if (!demand) {
    demand = new NodeDemand();
    demands.set(tree.language, demand);
  }
  return demand;
}

function activeRules(language: ReviewLanguage, settings: Settings, rules: readonly Rule[]): ActiveRule[] {
  return rules.flatMap((rule) => {
    if (!rule.languages.includes(language)) return [];
    const id = ruleId(language, rule.meta.name);
    const setting = ruleSetting(settings, id, rule.meta.name);
    return setting === 'off' ? [] : [{ rule, id, severity: setting ?? rule.meta.severity }];
  });
}

/** A setting may name the full id (`python/x`) or the rule for every language (`x`); the full id wins. */
function ruleSetting(settings: Settings, id: string, name: string): RuleSetting | undefined {
  return settings.review.rules[id] ?? settings.review.rules[name];
}

function range(at: TextRange): TextRange {
  return { startIndex: at.startIndex, endIndex: at.endIndex };
}

/**
 * Cached findings are kept in the unit's own coordinates, so they stay right wherever the unit
 * moves. A function's coordinates are offsets from its start. The module's are offsets into its
 * key, where each function is one marker character, so a function growing or shrinking above a
 * module-level finding moves it correctly without invalidating the module's cache entry.
 */
interface UnitOffsets {
  toUnit(offset: number): number;
  toDocument(offset: number): number;
}

function unitOffsets(unit: ReviewUnit): UnitOffsets {
  const start = unit.root.startIndex;
  if (!unit.isModule) return { toUnit: (o) => o - start, toDocument: (o) => o + start };
  const holes = unit.holes;
  return {
    toUnit(offset) {
      let removed = 0;
      for (const hole of holes) {
        if (hole.startIndex >= offset) break;
        // An offset inside a function counts as the function's marker character.
        if (hole.endIndex > offset) return hole.startIndex - start - removed;
        removed += hole.endIndex - hole.startIndex - 1;
      }
      return offset - start - removed;
    },
    toDocument(keyOffset) {
      let added = 0;
      for (const hole of holes) {
        const marker = hole.startIndex - start - added;
        if (marker >= keyOffset) break;
        added += hole.endIndex - hole.startIndex - 1;
      }
      return keyOffset + start + added;
    },
  };
}

function mapFinding(finding: RawFinding, map: (offset: number) => number): RawFinding {
  const move = (at: TextRange) => ({ startIndex: map(at.startIndex), endIndex: map(at.endIndex) });
  return {
    ...finding,
    at: move(finding.at),
    related: finding.related?.map((r) => ({ ...r, at: move(r.at) })),
    fixes: finding.fixes?.map((fix) => ({ ...fix, edits: fix.edits.map((e) => ({ ...e, at: move(e.at) })) })),
  };
}

function toFinding(raw: RawFinding, lines: LineIndex): Finding {
  const span = (at: TextRange) => ({ start: lines.positionAt(at.startIndex), end: lines.positionAt(at.endIndex) });
  const finding: Finding = { ruleId: raw.ruleId, message: raw.message, severity: raw.severity, range: span(raw.at) };
  if (raw.related?.length) finding.related = raw.related.map((r) => ({ range: span(r.at), message: r.message }));
  if (raw.fixes?.length) finding.fixes = raw.fixes.map((f) => ({ title: f.title, edits: f.edits.map((e) => ({ range: span(e.at), newText: e.newText })) }));
  return finding;
}
