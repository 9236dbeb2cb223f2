// OTLP/protobuf: `ExportTraceServiceRequest` bodies and `.pb` files (a `TracesData` has the same
// wire form), decoded by protobufjs with the official opentelemetry-proto definitions
// (opentelemetry-proto/, see its README). protobufjs decodes each span; the walk down to the spans
// is done here, field by field, so that a truncated or partly corrupt body still yields every span
// before the damage, and each decoded span goes through the same mapping as OTLP/JSON (otlpSpans.ts).
import { Reader, Root, type Type } from 'protobufjs/light';
import type { ReadResult, Span } from '../model';
import descriptor from './opentelemetry-proto/descriptor.json';
import { OtlpSpanReader, protobufAnyValue } from './otlpSpans';
import { ProblemLog, reason } from './problems';

interface OtlpTypes {
  resource: Type;
  scope: Type;
  library: Type;
  span: Type;
}

type Descriptor = Record<string, unknown>;

/**
 * The descriptor as decoded here, changed in two ways that leave the wire format alone:
 * - UTF-8 validation off: proto3 says a string field with invalid UTF-8 fails the whole message;
 *   a trace viewer would rather show one attribute with U+FFFD than lose the span.
 * - no oneof groups (AnyValue's `value` is the only one): for each member it decodes, protobufjs
 *   calls the group's setter, which `delete`s the six other members, and that was 15% of decode
 *   time. Without the group, and with the members' explicit presence kept, only the member on the
 *   wire is set on the message (its own property), which is how protobufAnyValue finds it.
 */
function asDecoded(node: Descriptor): Descriptor {
  const copy: Descriptor = { ...node };
  if (node.nested) {
    const nested: Descriptor = {};
    for (const [name, child] of Object.entries(node.nested as Descriptor)) nested[name] = asDecoded(child as Descriptor);
    copy.nested = nested;
  }
  if (node.fields) {
    // A oneof member has explicit presence (a false or 0 on the wire is set, not a default): keep that.
    const features = node.oneofs ? { utf8_validation: 'NONE', field_presence: 'EXPLICIT' } : { utf8_validation: 'NONE' };
    copy.options = { ...(node.options as Descriptor | undefined), features };
  }
  delete copy.oneofs;
  return copy;
}

let types: OtlpTypes | undefined;

/** Built on first use: the server starts without paying for it. */
function otlpTypes(): OtlpTypes {
  if (!types) {
    const root = Root.fromJSON(asDecoded(descriptor));
    types = {
      resource: root.lookupType('opentelemetry.proto.resource.v1.Resource'),
      scope: root.lookupType('opentelemetry.proto.common.v1.InstrumentationScope'),
      library: root.lookupType('opentelemetry.proto.common.v1.InstrumentationLibrary'),
      span: root.lookupType('opentelemetry.proto.trace.v1.Span'),
    };
  }
  return types;
}

// Field numbers from trace.proto and trace_service.proto.
const resourceSpansField = 1; // ExportTraceServiceRequest / TracesData
const resourceField = 1; // ResourceSpans
const scopeSpansField = 2;
const libraryScopeSpansField = 1000; // deprecated instrumentation_library_spans
const scopeField = 1; // ScopeSpans (instrumentation_library in the deprecated message)
const spansField = 2;
const lengthDelimited = 2;

/**
 * Calls `visit` with each length-delimited field of the message in [start, end) (other wire types
 * are skipped). A field that runs past `end` is cut there, flagged and reported, so what precedes
 * the damage still reads; a malformed tag ends the walk with a problem.
 */
function forEachField(
  reader: Reader, start: number, end: number, problems: ProblemLog, path: string,
  visit: (number: number, from: number, to: number, truncated: boolean) => void,
): void {
  let pos = start;
  try {
    while (pos < end) {
      reader.pos = pos;
      const tag = reader.uint32();
      const number = tag >>> 3;
      if (number === 0) throw new Error(`field number 0 at byte ${pos}`);
      if ((tag & 7) !== lengthDelimited) {
        reader.skipType(tag & 7);
        pos = reader.pos;
        continue;
      }
      const length = reader.uint32();
      const from = reader.pos;
      if (from + length > end) {
        problems.add(`${path}: truncated: field ${number} at byte ${pos} declares ${length} bytes but only ${end - from} remain`);
        visit(number, from, end, true);
        return;
      }
      pos = from + length;
      visit(number, from, pos, false);
    }
  } catch (error) {
    problems.add(`${path}: not valid protobuf: ${reason(error)}`);
  }
}

/** The first field with that number, as [from, to), without decoding anything. */
function findField(reader: Reader, start: number, end: number, wanted: number): [number, number] | undefined {
  let found: [number, number] | undefined;
  forEachField(reader, start, end, ProblemLog.forInput(), '', (number, from, to) => {
    if (number === wanted && !found) found = [from, to];
  });
  return found;
}

/** Decodes the message in [from, to). protobufjs narrows `reader.len` while decoding and leaves it narrowed when it throws. */
function decodeAt(type: Type, reader: Reader, from: number, to: number): unknown {
  const len = reader.len;
  reader.pos = from;
  try {
    return type.decode(reader, to - from);
  } finally {
    reader.len = len;
  }
}

/** Reads an OTLP/protobuf message's spans into `out`. */
export function readOtlpProtobufInto(bytes: Uint8Array, problems: ProblemLog, out: Span[]): void {
  const t = otlpTypes();
  const reader = Reader.create(bytes);
  const spans = new OtlpSpanReader(out, problems, protobufAnyValue);

  const readMessage = (type: Type, from: number, to: number, path: string): unknown => {
    try {
      return decodeAt(type, reader, from, to);
    } catch (error) {
      problems.add(`${path}: not valid protobuf: ${reason(error)}`);
      return undefined;
    }
  };

  let r = 0;
  forEachField(reader, 0, bytes.length, problems, 'message', (number, rsFrom, rsTo) => {
    if (number !== resourceSpansField) return;
    const path = `resourceSpans[${r++}]`;
    const resourceAt = findField(reader, rsFrom, rsTo, resourceField);
    const resource = spans.resource(resourceAt && readMessage(t.resource, resourceAt[0], resourceAt[1], `${path}.resource`));
    // As in OTLP/JSON: the deprecated list counts only when there is no scope_spans.
    const hasScopes = findField(reader, rsFrom, rsTo, scopeSpansField) !== undefined;
    const listNumber = hasScopes ? scopeSpansField : libraryScopeSpansField;
    const listName = hasScopes ? 'scopeSpans' : 'instrumentationLibrarySpans';
    let s = 0;
    forEachField(reader, rsFrom, rsTo, problems, path, (listField, ssFrom, ssTo) => {
      if (listField !== listNumber) return;
      const scopePath = `${path}.${listName}[${s++}]`;
      const scopeAt = findField(reader, ssFrom, ssTo, scopeField);
      const scope = scopeAt && readMessage(hasScopes ? t.scope : t.library, scopeAt[0], scopeAt[1], `${scopePath}.scope`);
      const context = spans.scope(resource, scope, scopePath);
      let i = 0;
      forEachField(reader, ssFrom, ssTo, problems, scopePath, (member, from, to, truncated) => {
        if (member !== spansField) return;
        const index = i++;
        if (truncated) {
          problems.add(`${scopePath}.spans[${index}]: cut off by the truncation; skipped`);
          return;
        }
        const span = readMessage(t.span, from, to, `${scopePath}.spans[${index}]`);
        if (span !== undefined) spans.span(context, span, index);
      });
    });
  });
}

/** OTLP/protobuf bytes → spans. Never throws: what it cannot read is in `problems`. */
export function readOtlpProtobuf(bytes: Uint8Array, fileName?: string): ReadResult {
  const problems = ProblemLog.forInput(fileName);
  const spans: Span[] = [];
  if (bytes.length === 0) problems.add('is empty');
  else readOtlpProtobufInto(bytes, problems, spans);
  return { spans, problems: problems.list() };
}
