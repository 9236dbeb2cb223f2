// Keeps one syntax tree per open document and updates it incrementally: each new version of the
// text is turned into a tree-sitter edit against the previous one, so a keystroke reparses only
// what changed. Trees live in WASM memory and are freed explicitly when replaced or closed.
import { UnitCache } from './engine';
import { languageForId, type LanguageInfo } from './languages';
import type { Parsers, Tree } from './parser';
import { editBetween } from './textEdit';

export interface ParsedDocument {
  info: LanguageInfo;
  text: string;
  tree: Tree;
  /** Findings of the units reviewed last time, reused while their text is unchanged. */
  cache: UnitCache;
}

export class DocumentTrees {
  private readonly documents = new Map<string, ParsedDocument>();

  constructor(readonly parsers: Parsers) {}

  get(uri: string): ParsedDocument | undefined {
    return this.documents.get(uri);
  }

  /** Parses or reparses the document; undefined for languages that are not reviewed. */
  update(uri: string, languageId: string, text: string): ParsedDocument | undefined {
    const info = languageForId(languageId);
    if (!info) {
      this.close(uri);
      return undefined;
    }
    const previous = this.documents.get(uri);
    let tree: Tree;
    if (previous && previous.info.grammar === info.grammar) {
      const edit = editBetween(previous.text, text);
      if (!edit) return previous;
      previous.tree.edit(edit);
      tree = this.parsers.parse(info.grammar, text, previous.tree);
      previous.tree.delete();
    } else {
      previous?.tree.delete();
      tree = this.parsers.parse(info.grammar, text);
    }
    const parsed = { info, text, tree, cache: previous?.info.grammar === info.grammar ? previous.cache : new UnitCache() };
    this.documents.set(uri, parsed);
    return parsed;
  }

  /** Settings changed: every cached finding may be stale. */
  forgetFindings(): void {
    for (const document of this.documents.values()) document.cache.clear();
  }

  close(uri: string): void {
    this.documents.get(uri)?.tree.delete();
    this.documents.delete(uri);
  }
}
