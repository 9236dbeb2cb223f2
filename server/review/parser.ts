// Loads the tree-sitter runtime and grammars (WASM, no native code) once per process and parses text.
import { Language, Parser, type Tree } from '@vscode/tree-sitter-wasm';
import { join } from 'node:path';
import type { GrammarName } from './languages';

export type { Node, Tree } from '@vscode/tree-sitter-wasm';

const grammarFiles: Record<GrammarName, string> = {
  python: 'tree-sitter-python.wasm',
  java: 'tree-sitter-java.wasm',
  javascript: 'tree-sitter-javascript.wasm',
  typescript: 'tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-tsx.wasm',
};

export class Parsers {
  private constructor(private readonly parsers: Map<GrammarName, Parser>, readonly languages: Map<GrammarName, Language>) {}

  /** `wasmDir` holds tree-sitter.wasm and the grammar files (dist/grammars in a build). */
  static async load(wasmDir: string): Promise<Parsers> {
    await Parser.init({ locateFile: (file: string) => join(wasmDir, file) });
    const parsers = new Map<GrammarName, Parser>();
    const languages = new Map<GrammarName, Language>();
    for (const [grammar, file] of Object.entries(grammarFiles) as [GrammarName, string][]) {
      const language = await Language.load(join(wasmDir, file));
      const parser = new Parser();
      parser.setLanguage(language);
      parsers.set(grammar, parser);
      languages.set(grammar, language);
    }
    return new Parsers(parsers, languages);
  }

  /** Parses `text`; with `oldTree` (already edited to match `text`) tree-sitter reuses unchanged subtrees. */
  parse(grammar: GrammarName, text: string, oldTree?: Tree): Tree {
    const tree = this.parsers.get(grammar)!.parse(text, oldTree ?? null);
    if (!tree) throw new Error(`tree-sitter returned no tree for a ${grammar} document`);
    return tree;
  }
}
