// What a reader could not read, one message per part. The list is capped: a 100 MB file of bad
// records must not turn into 100 MB of messages, and the first hundred say what is wrong anyway.

const listed = 100;

/** What a log holds, as plain data: it crosses to another thread (see `absorb`). */
export interface ProblemState {
  messages: string[];
  unlisted: number;
}

interface Sink {
  messages: string[];
  unlisted: number;
  /** "traces.json: " or nothing: starts the closing "N more" message. */
  input: string;
}

export class ProblemLog {
  private constructor(private readonly sink: Sink, private readonly prefix: string) {}

  /** Messages start with the file name when there is one, so problems from many files stay apart. */
  static forInput(fileName?: string): ProblemLog {
    const input = fileName ? `${fileName}: ` : '';
    return new ProblemLog({ messages: [], unlisted: 0, input }, input);
  }

  /** The same log, with `prefix` before each message: `line 12: `. */
  within(prefix: string): ProblemLog {
    return new ProblemLog(this.sink, this.prefix + prefix);
  }

  add(message: string): void {
    if (this.sink.messages.length < listed) this.sink.messages.push(this.prefix + message);
    else this.sink.unlisted++;
  }

  get count(): number {
    return this.sink.messages.length + this.sink.unlisted;
  }

  state(): ProblemState {
    return { messages: this.sink.messages.slice(), unlisted: this.sink.unlisted };
  }

  /**
   * Takes in what the log of another part of the same input held (read on another thread), as if
   * it had been added here: the cap counts both, so the list is the one one reader would give.
   */
  absorb(state: ProblemState): void {
    for (const message of state.messages) {
      if (this.sink.messages.length < listed) this.sink.messages.push(message);
      else this.sink.unlisted++;
    }
    this.sink.unlisted += state.unlisted;
  }

  /** Forgets every message: the input turned out to be in another format, whose reader starts over. */
  clear(): void {
    this.sink.messages.length = 0;
    this.sink.unlisted = 0;
  }

  /** The messages, and a last one saying how many more there were past the cap. */
  list(): string[] {
    const { messages, unlisted, input } = this.sink;
    return unlisted === 0 ? messages.slice() : [...messages, `${input}${unlisted} more problems not listed`];
  }
}

/** Error text for a message, whatever was thrown. */
export function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A value as JSON for a message (`"abc"`, `12`, `null`), cut short enough to read. */
export function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 50 ? `${text.slice(0, 48)}…` : text;
}
