// The documents the server reviews: the same languages as the activation events in package.json.
export const reviewedLanguageIds = ['python', 'java', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact'];

export const reviewedDocuments: { scheme: string; language: string }[] = reviewedLanguageIds.flatMap((language) => [
  { scheme: 'file', language },
  { scheme: 'untitled', language },
]);
