// The rules as the outside world sees them: one entry per rule id, for SARIF, the docs and the client.
import type { ReviewLanguage } from './languages';
import { ruleId, type Rule, type RuleMeta } from './rule';
import { allRules } from './rules';

export interface CatalogEntry {
  id: string;
  language: ReviewLanguage;
  meta: RuleMeta;
}

export function ruleCatalog(rules: readonly Rule[] = allRules): CatalogEntry[] {
  return rules.flatMap((rule) => rule.languages.map((language) => ({ id: ruleId(language, rule.meta.name), language, meta: rule.meta })));
}
