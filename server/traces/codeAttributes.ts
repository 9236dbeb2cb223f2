// Where in the source a span was produced, from what the span carries: the OpenTelemetry `code.*`
// attributes (current and pre-1.26 names), a `code.stacktrace`, or a structured stack such as an
// X-Ray cause. Every trace reader calls this, so a location means the same whatever the format.
import type { Attributes, CodeLocation } from './model';

/** A structured stack frame, as X-Ray's `cause.exceptions[].stack[]` holds them. */
export interface StackFrame {
  path?: string;
  line?: number;
  label?: string;
}

/** A frame of a stack trace, as parsed from its text. */
export interface Frame {
  path: string;
  line?: number;
  functionName?: string;
  namespace?: string;
}

// Frames inside dependencies, runtimes and language internals: the first frame outside these is
// the code the user wrote. When every frame is inside them, the first frame with a path is used.
const libraryPath = /(?:^|[\\/])(?:node_modules|site-packages|dist-packages|\.venv|gems)[\\/]|^(?:node:|internal[\\/]|<)|^\/var\/(?:runtime|lang)\/|^\/usr\/(?:local\/)?lib\//;
const libraryNamespace = /^(?:java|javax|jdk|sun|com\.sun|kotlin|scala|io\.opentelemetry|software\.amazon|com\.amazonaws)\./;

// One regular expression per runtime's frame syntax, tried in this order on each line.
const pythonFrame = /^\s*File "(.+)", line (\d+)(?:, in (.+?))?\s*$/;
const dotnetFrame = /^\s*at (.+?)\(.*\) in (.+):line (\d+)\s*$/;
const javaFrame = /^\s*at (?:[\w.$-]+\/)*([\w$.<>-]+)\(([^()]*)\)\s*$/;
const v8Frame = /^\s*at (?:(.+?) \()?(.+?):(\d+)(?::\d+)?\)?\s*$/;
const goLocation = /^\s+(\S.*\.go):(\d+)(?: \+0x[0-9a-f]+)?\s*$/;
const goFunction = /^(\S+)\([^()]*\)\s*$/;
const rubyFrame = /^\s*(?:from )?(.+?):(\d+):in [`'](.+)'\s*$/;
const phpFrame = /^#\d+ (.+?)\((\d+)\): ([^(]+)/;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function lineNumber(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * `com.example.Service.handle` → handle in com.example.Service; `App\Http\Client::send` → send.
 * The current semantic conventions put the qualified name in `code.function.name`; matching to
 * workspace functions wants the last part.
 */
export function splitQualifiedName(name: string): { functionName: string; namespace?: string } {
  const colons = name.lastIndexOf('::');
  const dot = name.lastIndexOf('.');
  const at = Math.max(colons, dot);
  if (at <= 0 || at >= name.length - (at === colons ? 2 : 1)) return { functionName: name };
  return { functionName: name.slice(at + (at === colons ? 2 : 1)), namespace: name.slice(0, at) };
}

/** A function label from a frame (`async handler`, `new Foo`, `Object.<anonymous>`) split as above. */
function labelled(frame: Frame, label: string | undefined): Frame {
  if (!label) return frame;
  const bare = label.replace(/^(?:async |new )/, '');
  const { functionName, namespace } = splitQualifiedName(bare);
  frame.functionName = functionName;
  if (namespace !== undefined) frame.namespace = namespace;
  return frame;
}

/**
 * Java frames name only the file (`Service.java`); the class's package gives the directories,
 * which match workspace paths far better: `com/example/Service.java`.
 */
function javaPath(file: string, qualifiedClass: string | undefined): string {
  if (!qualifiedClass || /[\\/]/.test(file)) return file;
  const outer = qualifiedClass.split('$')[0];
  const lastDot = outer.lastIndexOf('.');
  if (lastDot < 0) return file;
  const classFile = outer.slice(lastDot + 1);
  if (file.slice(0, file.lastIndexOf('.')) !== classFile) return file;
  return `${outer.slice(0, lastDot).replace(/\./g, '/')}/${file}`;
}

function parseJava(match: RegExpExecArray): Frame | undefined {
  const [, qualified, where] = match;
  const colon = where.lastIndexOf(':');
  const file = colon > 0 ? where.slice(0, colon) : where;
  if (!/\.\w+$/.test(file)) return undefined; // "Native Method", "Unknown Source"
  const { functionName, namespace } = splitQualifiedName(qualified);
  const frame: Frame = { path: javaPath(file, namespace), functionName };
  if (namespace !== undefined) frame.namespace = namespace;
  const line = colon > 0 ? lineNumber(where.slice(colon + 1)) : undefined;
  if (line !== undefined) frame.line = line;
  return frame;
}

/** Frames of a stack trace in any of the common runtimes' text forms, innermost first. */
export function parseStackTrace(stack: string): Frame[] {
  const frames: Frame[] = [];
  const python: Frame[] = [];
  const lines = stack.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let m: RegExpExecArray | null;
    if ((m = pythonFrame.exec(line))) python.push(labelled({ path: m[1], line: lineNumber(m[2]) }, m[3]));
    else if ((m = dotnetFrame.exec(line))) frames.push(labelled({ path: m[2], line: lineNumber(m[3]) }, m[1]));
    else if ((m = javaFrame.exec(line))) {
      const frame = parseJava(m);
      if (frame) frames.push(frame);
    } else if ((m = v8Frame.exec(line))) frames.push(labelled({ path: m[2].replace(/^file:\/\//, ''), line: lineNumber(m[3]) }, m[1]));
    else if ((m = goLocation.exec(line))) frames.push(labelled({ path: m[1], line: lineNumber(m[2]) }, goFunction.exec(lines[i - 1] ?? '')?.[1]));
    else if ((m = rubyFrame.exec(line))) frames.push(labelled({ path: m[1], line: lineNumber(m[2]) }, m[3]));
    else if ((m = phpFrame.exec(line))) frames.push(labelled({ path: m[1], line: lineNumber(m[2]) }, m[3].trim()));
  }
  // Python prints the most recent call last.
  return python.length > 0 ? python.reverse().concat(frames) : frames;
}

/** A frame inside a dependency, a runtime or the language itself rather than the user's code. */
export function isLibrary(frame: Frame): boolean {
  return libraryPath.test(frame.path) || (frame.namespace !== undefined && libraryNamespace.test(frame.namespace));
}

function firstUserFrame(frames: readonly Frame[]): Frame | undefined {
  for (const frame of frames) if (!isLibrary(frame)) return frame;
  return frames[0];
}

function location(frame: Frame, source: CodeLocation['source']): CodeLocation {
  const result: CodeLocation = { filePath: frame.path, source };
  if (frame.functionName !== undefined) result.functionName = frame.functionName;
  if (frame.namespace !== undefined) result.namespace = frame.namespace;
  if (frame.line !== undefined) result.line = frame.line;
  return result;
}

/** The location of the innermost user frame of a stack trace's text, if it has one. */
export function codeLocationFromStackTrace(stack: string): CodeLocation | undefined {
  const frame = firstUserFrame(parseStackTrace(stack));
  return frame && location(frame, 'stack');
}

/** The location of the first user frame with a path among structured frames (X-Ray's cause stack). */
export function codeLocationFromFrames(frames: readonly StackFrame[]): CodeLocation | undefined {
  const withPaths: Frame[] = [];
  for (const f of frames) {
    const path = text(f?.path);
    if (path === undefined) continue;
    const frame = labelled({ path, line: lineNumber(f.line) }, text(f.label));
    frame.path = javaPath(path, frame.namespace);
    withPaths.push(frame);
  }
  const frame = firstUserFrame(withPaths);
  return frame && location(frame, 'stack');
}

/**
 * A span's code location from its attributes. `code.file.path`/`code.filepath` with
 * `code.function.name`/`code.function` (+ `code.namespace`) and `code.line.number`/`code.lineno`
 * win; without a file path, the innermost user frame of `code.stacktrace` gives one; a function
 * name alone is still a location (matched to workspace functions by name, more weakly).
 */
export function codeLocationFromAttributes(attributes: Attributes): CodeLocation | undefined {
  const filePath = text(attributes['code.file.path']) ?? text(attributes['code.filepath']);
  const fn = text(attributes['code.function.name']) ?? text(attributes['code.function']);
  const stack = filePath === undefined ? text(attributes['code.stacktrace']) : undefined;
  if (filePath === undefined && fn === undefined && stack === undefined) return undefined;

  if (filePath === undefined && stack !== undefined) {
    const fromStack = codeLocationFromStackTrace(stack);
    if (fromStack) {
      if (fromStack.functionName === undefined && fn !== undefined) Object.assign(fromStack, splitQualifiedName(fn));
      return fromStack;
    }
    if (fn === undefined) return undefined;
  }

  const result: CodeLocation = { source: 'attributes' };
  if (filePath !== undefined) result.filePath = filePath;
  if (fn !== undefined) {
    const namespace = text(attributes['code.namespace']);
    if (namespace !== undefined) {
      result.functionName = fn;
      result.namespace = namespace;
    } else {
      const split = splitQualifiedName(fn);
      result.functionName = split.functionName;
      if (split.namespace !== undefined) result.namespace = split.namespace;
    }
  }
  const line = lineNumber(attributes['code.line.number'] ?? attributes['code.lineno']);
  if (line !== undefined) result.line = line;
  return result;
}
