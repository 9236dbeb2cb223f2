// The one registration table of review rules: a rule is added here and nowhere else.
import type { Rule } from '../rule';
import { hardcodedCredentials } from './hardcodedCredentials';

export const allRules: readonly Rule[] = [hardcodedCredentials];
