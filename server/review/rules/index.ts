// The one registration table of review rules: a rule is added here and nowhere else.
import type { Rule } from '../rule';
import { hardcodedCredentials } from './hardcodedCredentials';
import { codeInjection } from './codeInjection';
import { logInjection } from './logInjection';
import { osCommandInjection } from './osCommandInjection';
import { pathTraversal } from './pathTraversal';
import { sqlInjection } from './sqlInjection';
import { ssrf } from './ssrf';
import { expensiveLogArgument } from './expensiveLogArgument';
import { mutableDefaultArgument } from './mutableDefaultArgument';
import { naiveDatetime } from './naiveDatetime';
import { stringConcatInLoop } from './stringConcatInLoop';

export const allRules: readonly Rule[] = [hardcodedCredentials, sqlInjection, osCommandInjection, codeInjection, pathTraversal, ssrf, logInjection, mutableDefaultArgument, naiveDatetime, expensiveLogArgument, stringConcatInLoop];
