// The functions every source file of the workspace defines, by name, read from syntax trees: spans
// without a code location are matched to them by name (nameMatches.ts). Built on the first span
// that needs it, parsing the files from disk and yielding between them so the server keeps
// answering; kept current from file-watcher events; and for open documents, read from the trees
// the review already keeps, which may be ahead of the disk.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { isExcluded } from '../review/fileFilter';
import { findReviewFiles } from '../review/fileWalker';
import { functionDefinitions } from '../review/functions';
import { languageForId, languageIdForPath, type ReviewLanguage } from '../review/languages';
import type { Node, Parsers } from '../review/parser';
import type { FunctionLookup, FunctionSite } from './nameMatches';

/** Where the source files come from: the disk in the server, memory in tests. */
export interface FunctionSources {
  /** The files to index, as absolute paths. */
  files(): string[];
  /** A file's text; undefined when it cannot be read or is not indexed (excluded, too large, binary). */
  read(path: string): string | undefined;
}

/** An open document's current syntax tree. */
export interface OpenTree {
  path: string;
  language: ReviewLanguage;
  root: Node;
}

/** Caps the first indexing pass of an enormous workspace. */
const maxIndexedFiles = 20_000;
/** Files parsed between two yields to the event loop. */
const filesPerTurn = 20;

/** Node types that declare a class-like container of methods, in the four languages. */
const containerTypes = new Set(['class_definition', 'class_declaration', 'abstract_class_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration']);

/** The functions a syntax tree defines, each with the class it is declared in. */
export function functionSites(language: ReviewLanguage, root: Node, path: string): FunctionSite[] {
  return functionDefinitions(language, root).map((definition) => {
    const site: FunctionSite = { path, name: definition.name, line: definition.line };
    for (let node = root.descendantForPosition({ row: definition.nameStart.line, column: definition.nameStart.character }); node; node = node.parent) {
      if (!containerTypes.has(node.type)) continue;
      const name = node.childForFieldName('name')?.text;
      if (name) site.container = name;
      break;
    }
    return site;
  });
}

/** The workspace's source files on disk: what "Review Workspace" covers, under the same excludes and size limit. */
export function workspaceSources(roots: readonly string[], review: () => { exclude: readonly string[]; maxFileSize: number }): FunctionSources {
  const inside = (path: string) => roots.some((root) => {
    const rel = relative(root, path);
    return rel !== '' && !rel.startsWith('..');
  });
  return {
    files: () => findReviewFiles(roots, roots, review().exclude).files.slice(0, maxIndexedFiles),
    read(path) {
      const { exclude, maxFileSize } = review();
      // Watcher events name any file; only the workspace's own sources are indexed.
      if (!inside(path) || isExcluded(path, roots, exclude)) return undefined;
      try {
        const bytes = readFileSync(path);
        return bytes.length > maxFileSize || bytes.includes(0) ? undefined : bytes.toString('utf8');
      } catch {
        return undefined;
      }
    },
  };
}

export class WorkspaceFunctions implements FunctionLookup {
  private readonly byPath = new Map<string, FunctionSite[]>();
  private readonly byName = new Map<string, FunctionSite[]>();
  private built: Promise<void> | undefined;
  /** Files changed on disk since they were indexed. */
  private readonly stale = new Set<string>();
  /** Files last indexed from an open document's tree: from the disk again once closed. */
  private fromOpen = new Set<string>();

  constructor(
    private readonly parsers: Parsers,
    private readonly sources: FunctionSources,
    private readonly openTrees: () => OpenTree[] = () => [],
  ) {}

  /** The index, current with the disk and the open documents; the first call builds it. */
  async ready(): Promise<FunctionLookup> {
    this.built ??= this.build();
    await this.built;
    for (const path of this.stale) this.indexFile(path);
    this.stale.clear();
    const open = this.openTrees();
    const openPaths = new Set(open.map((tree) => tree.path));
    for (const path of this.fromOpen) if (!openPaths.has(path)) this.indexFile(path);
    for (const tree of open) this.set(tree.path, functionSites(tree.language, tree.root, tree.path));
    this.fromOpen = openPaths;
    return this;
  }

  named(name: string): readonly FunctionSite[] {
    return this.byName.get(name) ?? [];
  }

  /** A file was created, changed or deleted on disk: indexed again on the next use, if indexing began. */
  fileChanged(path: string): void {
    if (this.built) this.stale.add(path);
  }

  private async build(): Promise<void> {
    const files = this.sources.files();
    for (let i = 0; i < files.length; i++) {
      if (i > 0 && i % filesPerTurn === 0) await new Promise((resolve) => setImmediate(resolve));
      this.indexFile(files[i]);
    }
  }

  private indexFile(path: string): void {
    const info = languageForId(languageIdForPath(path) ?? '');
    const text = info ? this.sources.read(path) : undefined;
    if (!info || text === undefined) return this.set(path, []);
    let tree;
    try {
      tree = this.parsers.parse(info.grammar, text);
      this.set(path, functionSites(info.language, tree.rootNode, path));
    } catch {
      // A file tree-sitter cannot parse defines nothing we can point at.
      this.set(path, []);
    } finally {
      tree?.delete();
    }
  }

  private set(path: string, sites: FunctionSite[]): void {
    for (const old of this.byPath.get(path) ?? []) {
      const same = this.byName.get(old.name)?.filter((site) => site.path !== path);
      if (same?.length) this.byName.set(old.name, same);
      else this.byName.delete(old.name);
    }
    if (sites.length === 0) this.byPath.delete(path);
    else this.byPath.set(path, sites);
    for (const site of sites) {
      const list = this.byName.get(site.name);
      if (list) list.push(site);
      else this.byName.set(site.name, [site]);
    }
  }
}
