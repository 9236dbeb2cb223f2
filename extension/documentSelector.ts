// The documents the server reviews: the same languages as the activation events in package.json.
export const reviewedLanguageIds = ['python', 'java', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact'];

export const reviewedDocuments: { scheme: string; language: string }[] = reviewedLanguageIds.flatMap((language) => [
  { scheme: 'file', language },
  { scheme: 'untitled', language },
]);

/** File extensions of the reviewed languages, for file watchers. */
export const reviewedExtensions = ['py', 'pyw', 'java', 'js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx'];
