// Where untrusted data comes from and which calls make it safe, per language. Patterns match the
// compacted text of an expression node (whitespace removed).

export interface SourcePattern {
  types: readonly string[];
  test(text: string): boolean;
  description: string;
}

function pattern(types: readonly string[], regex: RegExp, description: string): SourcePattern {
  return { types, test: (text) => regex.test(text), description };
}

const jsSources: SourcePattern[] = [
  pattern(['member_expression', 'subscript_expression'], /^(req|request|ctx\.request)\.(query|body|params|headers|cookies|url|originalUrl|path|files?)\b/, 'the HTTP request'),
  pattern(['member_expression', 'subscript_expression'], /^ctx\.(query|params|body|headers|cookies|url)\b/, 'the HTTP request'),
  pattern(['member_expression', 'subscript_expression'], /^process\.argv\b/, 'the command line'),
  pattern(['member_expression'], /^(window\.)?location\.(search|hash|href)$/, 'the page URL'),
];

export const sourcePatterns = {
  python: [
    pattern(['attribute', 'subscript', 'call'], /^(flask\.)?request\.(args|form|json|values|data|files|cookies|headers|get_json|get_data|query_string|view_args|GET|POST|body|query_params|path_params|path|full_path|url)\b/, 'the HTTP request'),
    pattern(['call'], /^(input|raw_input)\(/, 'input()'),
    pattern(['attribute', 'subscript'], /^sys\.argv\b/, 'the command line'),
  ],
  java: [
    pattern(['method_invocation'], /^\w*(req|request)\w*\.(getParameter|getParameterValues|getParameterMap|getHeader|getHeaders|getQueryString|getInputStream|getReader|getCookies|getPathInfo|getRequestURI|getRequestURL)\(/i, 'the HTTP request'),
    pattern(['method_invocation'], /^System\.getenv\(/, 'System.getenv'),
  ],
  javascript: jsSources,
  typescript: jsSources,
} as const satisfies Record<string, readonly SourcePattern[]>;

/** Calls whose result carries no taint: numeric conversions, quoting and escaping, base names. */
export const sanitizers = {
  python: [/^(int|float|bool|len|abs|round|ord|hash|id)$/, /^(shlex|pipes)\.quote$/, /(^|\.)basename$/, /(^|\.)secure_filename$/, /(^|\.)escape$/, /^uuid\.UUID$/, /^bleach\.clean$/],
  java: [/^(Integer|Long|Short|Double|Float|Boolean)\.(parse\w+|valueOf)$/, /^UUID\.fromString$/, /^FilenameUtils\.getName$/, /\.getFileName$/, /(^|\.)escape\w*$/, /^ESAPI\./],
  javascript: [/^(parseInt|parseFloat|Number|Boolean|encodeURIComponent|escape)$/, /(^|\.)basename$/, /(^|\.)escape(Id|Identifier)?$/, /^(shellescape|shellQuote\.quote|quote)$/, /^validator\.\w+$/],
  typescript: [/^(parseInt|parseFloat|Number|Boolean|encodeURIComponent|escape)$/, /(^|\.)basename$/, /(^|\.)escape(Id|Identifier)?$/, /^(shellescape|shellQuote\.quote|quote)$/, /^validator\.\w+$/],
} as const satisfies Record<string, readonly RegExp[]>;
