// The languages Sightline reviews, keyed by LSP language id and by file extension.

export type ReviewLanguage = 'python' | 'java' | 'javascript' | 'typescript';

/** The grammar that parses a document: TSX and JSX need their own grammar files. */
export type GrammarName = 'python' | 'java' | 'javascript' | 'typescript' | 'tsx';

export interface LanguageInfo {
  language: ReviewLanguage;
  grammar: GrammarName;
}

const byLanguageId: Record<string, LanguageInfo> = {
  python: { language: 'python', grammar: 'python' },
  java: { language: 'java', grammar: 'java' },
  javascript: { language: 'javascript', grammar: 'javascript' },
  javascriptreact: { language: 'javascript', grammar: 'javascript' },
  typescript: { language: 'typescript', grammar: 'typescript' },
  typescriptreact: { language: 'typescript', grammar: 'tsx' },
};

const byExtension: Record<string, string> = {
  '.py': 'python', '.pyw': 'python',
  '.java': 'java',
  '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.jsx': 'javascriptreact',
  '.ts': 'typescript', '.mts': 'typescript', '.cts': 'typescript', '.tsx': 'typescriptreact',
};

export function languageForId(languageId: string): LanguageInfo | undefined {
  return byLanguageId[languageId];
}

/** The LSP language id for a path, as VS Code would assign it; undefined for files we do not review. */
export function languageIdForPath(path: string): string | undefined {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? undefined : byExtension[path.slice(dot).toLowerCase()];
}

export const reviewLanguageIds = Object.keys(byLanguageId);
export const reviewExtensions = Object.keys(byExtension);
