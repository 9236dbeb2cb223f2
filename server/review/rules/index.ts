// The one registration table of review rules: a rule is added here and nowhere else.
import type { Rule } from '../rule';
import { hardcodedCredentials } from './hardcodedCredentials';
import { expensiveLogArgument } from './expensiveLogArgument';
import { mutableDefaultArgument } from './mutableDefaultArgument';
import { naiveDatetime } from './naiveDatetime';
import { stringConcatInLoop } from './stringConcatInLoop';

export const allRules: readonly Rule[] = [hardcodedCredentials, mutableDefaultArgument, naiveDatetime, expensiveLogArgument, stringConcatInLoop];
