// The review side of the language server: open documents reviewed on every change, files on disk
// reviewed by "Review Workspace" and kept current as they change, and the last findings of each
// document for hovers and code actions. It speaks in findings; server/main.ts turns them into LSP.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DocumentTrees, type ParsedDocument } from './documentTrees';
import { reviewTree, type RuleFailure } from './engine';
import { isExcluded } from './fileFilter';
import { findReviewFiles } from './fileWalker';
import { languageIdForPath } from './languages';
import type { Parsers } from './parser';
import { applyProjectConfig } from './projectConfig';
import { reviewFile } from './reviewFile';
import type { Finding } from './rule';
import type { Settings } from '../settings';

export interface OpenDocument {
  uri: string;
  languageId: string;
  text: string;
}

export type DocumentOutcome =
  | { kind: 'reviewed'; findings: Finding[]; failures: RuleFailure[]; parsed: ParsedDocument }
  | { kind: 'skipped'; reason: 'disabled' | 'excluded' | 'not-reviewed' }
  | { kind: 'too-large'; size: number };

export interface WorkspaceProgress {
  done: number;
  total: number;
  path: string;
}

export interface WorkspaceSummary {
  files: number;
  findings: number;
  skipped: { path: string; reason: string }[];
  cancelled: boolean;
}

export class ReviewService {
  private readonly trees: DocumentTrees;
  private readonly findings = new Map<string, Finding[]>();
  /** Files reviewed from disk by a workspace review; kept current while they are closed. */
  private readonly onDisk = new Set<string>();
  private userSettings: Settings;
  private effective: Settings;
  /** A problem with `.sightline.json`, to show once. */
  configProblem: string | undefined;

  constructor(
    parsers: Parsers,
    settings: Settings,
    private readonly roots: readonly string[],
    /** In an untrusted workspace nothing is read from the workspace's own configuration files. */
    private readonly trusted: boolean,
  ) {
    this.trees = new DocumentTrees(parsers);
    this.userSettings = settings;
    this.effective = this.resolve();
  }

  get settings(): Settings {
    return this.effective;
  }

  updateSettings(settings: Settings): void {
    this.userSettings = settings;
    this.reloadProjectConfig();
  }

  reloadProjectConfig(): void {
    this.effective = this.resolve();
    this.trees.forgetFindings();
  }

  private resolve(): Settings {
    this.configProblem = undefined;
    if (!this.trusted) return this.userSettings;
    let settings = this.userSettings;
    for (const root of this.roots) {
      const config = applyProjectConfig(settings, root);
      settings = config.settings;
      this.configProblem ??= config.problem;
    }
    return settings;
  }

  reviewDocument(document: OpenDocument): DocumentOutcome {
    const path = document.uri.startsWith('file:') ? fileURLToPath(document.uri) : undefined;
    const skip = (reason: 'disabled' | 'excluded' | 'not-reviewed'): DocumentOutcome => {
      this.forget(document.uri);
      return { kind: 'skipped', reason };
    };
    if (!this.effective.review.enable) return skip('disabled');
    if (path && isExcluded(path, this.roots, this.effective.review.exclude)) return skip('excluded');
    if (document.text.length > this.effective.review.maxFileSize) {
      this.forget(document.uri);
      return { kind: 'too-large', size: document.text.length };
    }
    try {
      const parsed = this.trees.update(document.uri, document.languageId, document.text);
      if (!parsed) return skip('not-reviewed');
      const { findings, failures } = reviewTree(parsed.info.language, parsed.tree, document.text, this.effective, parsed.cache);
      this.findings.set(document.uri, findings);
      return { kind: 'reviewed', findings, failures, parsed };
    } catch (error) {
      this.forget(document.uri);
      throw error;
    }
  }

  /** The document closed: its tree goes; if a workspace review covered it, its on-disk findings return. */
  closeDocument(uri: string): Finding[] {
    this.forget(uri);
    return this.onDisk.has(uri) ? this.reviewOnDisk(uri) : [];
  }

  findingsFor(uri: string): readonly Finding[] {
    return this.findings.get(uri) ?? [];
  }

  /** The parsed open document, for edits that need to see the syntax (where a comment may go). */
  parsed(uri: string): ParsedDocument | undefined {
    return this.trees.get(uri);
  }

  /** Every reviewable file under the workspace roots, reviewed from disk; stops early when cancelled. */
  async reviewWorkspace(
    isOpen: (uri: string) => boolean,
    publish: (uri: string, findings: Finding[]) => void,
    progress: (p: WorkspaceProgress) => void,
    isCancelled: () => boolean,
  ): Promise<WorkspaceSummary> {
    const { files } = findReviewFiles(this.roots, this.roots, this.effective.review.exclude);
    const summary: WorkspaceSummary = { files: 0, findings: 0, skipped: [], cancelled: false };
    for (const [i, path] of files.entries()) {
      if (isCancelled()) return { ...summary, cancelled: true };
      // Let cancellation and edits in: a large workspace must not hold the server for seconds.
      if (i % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
      progress({ done: i, total: files.length, path });
      const uri = pathToFileURL(path).href;
      this.onDisk.add(uri);
      if (isOpen(uri)) {
        summary.findings += this.findingsFor(uri).length;
        summary.files++;
        continue;
      }
      const review = reviewFile(this.trees.parsers, path, this.effective);
      if (review.skipped) summary.skipped.push({ path, reason: review.skipped });
      else summary.files++;
      this.findings.set(uri, review.findings);
      summary.findings += review.findings.length;
      publish(uri, review.findings);
    }
    return summary;
  }

  /** A watched file changed on disk: re-review it if a workspace review covers it and it is not open. */
  fileChanged(uri: string, deleted: boolean, isOpen: boolean): Finding[] | undefined {
    if (isOpen) return undefined;
    if (deleted) {
      const had = this.onDisk.delete(uri);
      this.findings.delete(uri);
      return had ? [] : undefined;
    }
    if (!this.onDisk.has(uri)) {
      const path = uri.startsWith('file:') ? fileURLToPath(uri) : '';
      if (this.onDisk.size === 0 || !languageIdForPath(path)) return undefined;
      this.onDisk.add(uri);
    }
    return this.reviewOnDisk(uri);
  }

  private reviewOnDisk(uri: string): Finding[] {
    const path = fileURLToPath(uri);
    const findings = isExcluded(path, this.roots, this.effective.review.exclude) ? [] : reviewFile(this.trees.parsers, path, this.effective).findings;
    this.findings.set(uri, findings);
    return findings;
  }

  private forget(uri: string): void {
    this.trees.close(uri);
    this.findings.delete(uri);
  }
}
