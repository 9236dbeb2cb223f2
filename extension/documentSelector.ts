// The documents the server reviews: the same languages as the activation events in package.json.
export const reviewedLanguageIds = ['python', 'java', 'javascript', 'javascriptreact', 'typescript', 'typescriptreact'];

export const reviewedDocuments: { scheme: string; language: string }[] = reviewedLanguageIds.flatMap((language) => [
  { scheme: 'file', language },
  { scheme: 'untitled', language },
]);

/** File extensions of the reviewed languages, for file watchers. */
export const reviewedExtensions = ['py', 'pyw', 'java', 'js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx'];

/** Infrastructure files the audit features read (CloudFormation/SAM templates, Terraform). */
export const infrastructureLanguageIds = ['yaml', 'json', 'terraform'];

/** Everything the server is told about: code to review and templates whose resources have audit events. */
export const serverDocuments: { scheme: string; language: string }[] = [
  ...reviewedDocuments,
  ...infrastructureLanguageIds.map((language) => ({ scheme: 'file', language })),
];
