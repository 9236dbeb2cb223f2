// What the document in the editor touches in AWS, each with where it is: the API calls it makes
// (as CloudTrail's eventSource + eventName), the resources it names (ARNs, request parameters,
// CloudFormation/SAM and Terraform declarations). The Audit view, hovers and diagnostics look up
// the events of these references, with the same index terms the AuditService stores.
//
// ARNs count in string literals and template values, never in comments: a comment describes a
// resource, the code does not touch it, and commented-out code makes no call.
//
// It runs on every switch of the active editor, so it never parses code again: it reads the tree
// the server holds, and remembers its answer per tree (a new tree comes with every edit).
import { languageForId } from '../review/languages';
import { LineIndex } from '../review/lineIndex';
import type { Tree } from '../review/parser';
import type { Span } from '../review/rule';
import { auditTerm } from './auditService';
import type { AuditEvent } from './model';
import { queueNameFromUrl } from './resourceParameters';
import type { AuditResource } from './resources';
import { sdkReferences } from './sdkReferences';
import { templateReferences } from './templateReferences';
import { terraformReferences } from './terraformReferences';

export interface CodeReference {
  /** An API call, or a resource the document names. */
  kind: 'call' | 'resource';
  /** 0-based lines and UTF-16 characters: the method or command name of a call, the value naming a resource, a template resource's logical id. */
  range: Span;
  /** For calls: CloudTrail's eventSource, e.g. `s3.amazonaws.com`. */
  eventSource?: string;
  /** For calls: CloudTrail's eventName, the API name, e.g. `DeleteObject`. */
  eventName?: string;
  /** For resources: an ARN, or a name (bucket, table, function…), and the CloudFormation-style type when known. */
  resource?: AuditResource;
  /** Where a template or Terraform file declares the resource: `OrdersTable`, `aws_s3_bucket.archive`. */
  declaredAs?: string;
  /** What to show: `DeleteObject (s3.amazonaws.com)`, the resource's name or ARN. */
  text: string;
}

/** A reference as the readers find it: by offsets into the text. */
export type FoundReference = Omit<CodeReference, 'range'> & { start: number; end: number };

export interface ReferenceDocument {
  /** The LSP language id: python, java, javascript(react), typescript(react), yaml, json, terraform. */
  languageId: string;
  text: string;
  /** For code: the syntax tree the server already holds for this text. Code without one has no references. */
  tree?: Tree;
  /** The document's path or URI; `.tf` files are Terraform whatever their language id. */
  uri?: string;
}

type InfrastructureFormat = 'yaml' | 'json' | 'terraform';

const infrastructureLanguages: Record<string, InfrastructureFormat> = {
  yaml: 'yaml',
  json: 'json',
  jsonc: 'json',
  terraform: 'terraform',
  hcl: 'terraform',
  tf: 'terraform',
};

const infrastructureExtensions: Record<string, InfrastructureFormat> = {
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.json': 'json',
  // CloudFormation's `.template` files are YAML or JSON; the YAML reader reads both.
  '.template': 'yaml',
  '.tf': 'terraform',
};

function infrastructureFormat(document: ReferenceDocument): InfrastructureFormat | undefined {
  const path = document.uri?.toLowerCase() ?? '';
  if (path.endsWith('.tf')) return 'terraform';
  const byId = infrastructureLanguages[document.languageId];
  if (byId) return byId;
  const dot = path.lastIndexOf('.');
  return dot >= 0 ? infrastructureExtensions[path.slice(dot)] : undefined;
}

const byTree = new WeakMap<Tree, readonly CodeReference[]>();

/**
 * Templates have no tree to key on: the last few answers by text (the key is the document's own
 * string, not a copy), which a switch back finds. Very large texts are not kept alive for it.
 */
const byText = new Map<string, { format: InfrastructureFormat; references: readonly CodeReference[] }>();
const textCacheSize = 8;
const textCacheMaxLength = 2 * 1024 * 1024;

/** The references of a document, in document order; the same array while the document is unchanged, so never modify it. */
export function referencesFor(document: ReferenceDocument): readonly CodeReference[] {
  const code = languageForId(document.languageId);
  if (code) {
    const tree = document.tree;
    if (!tree) return [];
    let references = byTree.get(tree);
    if (!references) {
      references = located(document.text, sdkReferences(code.language, tree, document.text));
      byTree.set(tree, references);
    }
    return references;
  }
  const format = infrastructureFormat(document);
  if (!format) return [];
  const text = document.text;
  const cached = byText.get(text);
  if (cached?.format === format) {
    byText.delete(text);
    byText.set(text, cached);
    return cached.references;
  }
  const references = located(text, format === 'terraform' ? terraformReferences(text) : templateReferences(text, format));
  if (text.length <= textCacheMaxLength) {
    byText.set(text, { format, references });
    if (byText.size > textCacheSize) byText.delete(byText.keys().next().value!);
  }
  return references;
}

function located(text: string, found: FoundReference[]): CodeReference[] {
  if (found.length === 0) return [];
  const lines = new LineIndex(text);
  return found.map(({ start, end, ...reference }) => ({ ...reference, range: { start: lines.positionAt(start), end: lines.positionAt(end) } }));
}

/**
 * The store's index terms for a reference (auditService.ts `auditTerm`): a call's `es=` and `en=`,
 * both required; a resource's `ra=` when it has an ARN, else `rn=`. None for a declared resource
 * without a fixed name (CloudFormation generates it at deploy time).
 */
export function auditTerms(reference: CodeReference): string[] {
  if (reference.kind === 'call') {
    return reference.eventSource && reference.eventName ? [auditTerm.eventSource(reference.eventSource), auditTerm.eventName(reference.eventName)] : [];
  }
  const resource = reference.resource;
  if (resource?.arn) return [auditTerm.resourceArn(resource.arn)];
  if (resource?.name) return [auditTerm.resourceName(resource.name)];
  return [];
}

/** `arn:aws:s3:::orders` → `orders`; undefined for other ARNs (objects included). */
function bucketOfArn(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:s3:::([^/]+)$/.exec(arn)?.[1];
}

/**
 * Whether an event belongs to a reference. A call: the same eventSource and eventName. A
 * resource: one of the event's resources has the same ARN, or the same name (case-sensitive); a
 * bucket's name also matches its ARN (`arn:aws:s3:::name`) and a queue's name a queue URL.
 */
export function eventMatches(reference: CodeReference, event: AuditEvent): boolean {
  if (reference.kind === 'call') return !!reference.eventName && event.eventName === reference.eventName && event.eventSource === reference.eventSource;
  const wanted = reference.resource;
  if (!wanted) return false;
  return event.resources.some((resource) => resourceMatches(wanted, resource));
}

function resourceMatches(wanted: AuditResource, resource: AuditResource): boolean {
  if (wanted.arn) {
    if (resource.arn === wanted.arn) return true;
    // A bucket name is unique across accounts and regions, so its ARN and its name are one resource.
    const bucket = bucketOfArn(wanted.arn);
    return bucket !== undefined && resource.arn === undefined && resource.name === bucket && resource.type !== 'AWS::S3::Object';
  }
  const name = wanted.name;
  if (!name) return false;
  if (resource.name === name) return true;
  if (resource.name !== undefined && /^https?:\/\//.test(resource.name) && queueNameFromUrl(resource.name) === name) return true;
  return wanted.type === 'AWS::S3::Bucket' && resource.arn !== undefined && bucketOfArn(resource.arn) === name;
}
