// Spans on their way from an import worker to the main thread. Posted as objects, they would cost
// the receiving thread more than reading them did: structured clone rebuilds the ~25 objects of a
// span through generic property definitions (9 µs a span, measured, against 1.4 µs to rebuild one
// from a batch). A batch travels as two typed arrays, which move without a copy, and two lists of
// strings: object keys, and the other strings, each mostly once — every span of a resource repeats
// its keys and most of its values, and those it shares with the span before it are written as a
// count. The main thread builds each span with the object literal the readers use, so a span read
// here is the span a reader made: the same fields in the same order, the same values (−0, NaN,
// integers past 2^53 as strings alike).
//
// Layout of `words`, per span: traceId, spanId, parentSpanId (an optional string: 0 for none, else
// its index + 1), service, name, one word of packed enums, startNs, endNs, statusMessage (optional),
// attributes (the count shared with the span before, the count that follows, then key and tagged
// value each), then events, links and code as tagged values (below). `numbers` holds each span's
// durationNs and every number that is not a small non-negative integer, in the order they occur.
import type { AttributeValue, Attributes, ErrorClass, Span, SpanFormat, SpanKind, StatusCode } from './model';

export interface SpanBatch {
  count: number;
  /** Object keys, apart from the other strings: the reader makes each one string across batches. */
  keys: string[];
  strings: string[];
  words: Uint32Array;
  numbers: Float64Array;
}

// A tagged value is one word, its tag in the low 4 bits; the rest holds a string's index, a small
// integer, or the length of an array or object, whose members follow (an object's as key, value).
const tagBits = 4;
const maxPayload = 2 ** (32 - tagBits) - 1;
const enum Tag {
  Undefined,
  Null,
  False,
  True,
  String,
  SmallInteger,
  Number,
  Array,
  Object,
}

const kinds: readonly SpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const statuses: readonly StatusCode[] = ['unset', 'ok', 'error'];
const errorClasses: readonly (ErrorClass | undefined)[] = [undefined, 'error', 'fault', 'throttle'];
const inProgressValues: readonly (boolean | undefined)[] = [undefined, false, true];
const formats: readonly SpanFormat[] = ['otlp', 'xray', 'jaeger', 'zipkin'];

function indexIn<T>(list: readonly T[], value: T, field: string): number {
  const i = list.indexOf(value);
  if (i < 0) throw new TypeError(`a span's ${field} ${JSON.stringify(value)} has no encoding`);
  return i;
}

/** Slots of the writer's string cache: a power of two. */
const cacheSlots = 4096;

/**
 * Where a string goes in the writer's cache. Reads four of its characters, never all: a cache miss
 * only costs a second copy of the string in the batch, so a cheap spread is all this needs.
 */
function cacheSlot(text: string): number {
  const n = text.length;
  if (n === 0) return 0;
  let h = Math.imul(n, 0x9e3779b1) ^ text.charCodeAt(0) ^ (text.charCodeAt(n >> 1) << 7) ^ (text.charCodeAt(n - 1) << 14) ^ (text.charCodeAt((n * 3) >> 2) << 21);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  return (h ^ (h >>> 13)) & (cacheSlots - 1);
}

/** A direct-mapped cache of string → index: a miss (a collision) just adds the string again. */
class StringCache {
  private readonly texts: (string | undefined)[] = new Array(cacheSlots).fill(undefined);
  private readonly indexes = new Int32Array(cacheSlots);

  /** The index cached for `text`, or −1. */
  get(text: string): number {
    const slot = cacheSlot(text);
    return this.texts[slot] === text ? this.indexes[slot] : -1;
  }

  set(text: string, index: number): void {
    const slot = cacheSlot(text);
    this.texts[slot] = text;
    this.indexes[slot] = index;
  }

  clear(): void {
    this.texts.fill(undefined);
  }
}

/**
 * Collects spans into a batch; reused batch after batch. Strings that repeat (keys, services,
 * names, most attribute values) are looked up in a small direct-mapped cache rather than a Map,
 * which cost more than reading the span did; ids and times, unique per span, skip it. The
 * attributes a span shares with the span before it — its resource's and scope's, in OTLP — are
 * written as a count.
 */
export class SpanBatchWriter {
  private strings: string[] = [];
  private keys: string[] = [];
  private readonly cached = new StringCache();
  private readonly cachedKeys = new StringCache();
  private words = new Uint32Array(1 << 16);
  private wordCount = 0;
  private numbers = new Float64Array(1 << 10);
  private numberCount = 0;
  private traceId = '';
  private traceIdIndex = -1;
  private parentSpanId: string | undefined;
  private parentIndex = -1;
  /** The previous span's attributes, the first `sharedCount` of these arrays (kept, not truncated: cheaper). */
  private readonly sharedKeys: string[] = [];
  private readonly sharedValues: AttributeValue[] = [];
  private sharedCount = 0;
  count = 0;

  add(span: Span): void {
    if (span.traceId !== this.traceId || this.traceIdIndex < 0) {
      this.traceId = span.traceId;
      this.traceIdIndex = this.append(span.traceId);
    }
    this.word(this.traceIdIndex);
    this.word(this.append(span.spanId));
    if (span.parentSpanId === undefined) this.word(0);
    else {
      if (span.parentSpanId !== this.parentSpanId || this.parentIndex < 0) {
        this.parentSpanId = span.parentSpanId;
        this.parentIndex = this.append(span.parentSpanId);
      }
      this.word(this.parentIndex + 1);
    }
    this.word(this.stringIndex(span.service));
    this.word(this.stringIndex(span.name));
    this.word(
      indexIn(kinds, span.kind, 'kind') |
        (indexIn(statuses, span.status, 'status') << 3) |
        (indexIn(errorClasses, span.errorClass, 'errorClass') << 5) |
        (indexIn(inProgressValues, span.inProgress, 'inProgress') << 7) |
        (indexIn(formats, span.format, 'format') << 9),
    );
    this.word(this.append(span.startNs));
    this.word(this.append(span.endNs));
    this.number(span.durationNs);
    this.word(span.statusMessage === undefined ? 0 : this.stringIndex(span.statusMessage) + 1);
    this.attributes(span.attributes);
    this.value(span.events as unknown as AttributeValue);
    this.value(span.links as unknown as AttributeValue);
    this.value(span.code as unknown as AttributeValue);
    this.count++;
  }

  /** The batch so far, in arrays of its own (their buffers can be transferred); the writer starts over. */
  finish(): SpanBatch {
    const batch = { count: this.count, keys: this.keys, strings: this.strings, words: this.words.slice(0, this.wordCount), numbers: this.numbers.slice(0, this.numberCount) };
    this.strings = [];
    this.keys = [];
    this.cached.clear();
    this.cachedKeys.clear();
    this.wordCount = 0;
    this.numberCount = 0;
    this.traceIdIndex = -1;
    this.parentIndex = -1;
    this.sharedCount = 0;
    this.count = 0;
    return batch;
  }

  private word(word: number): void {
    if (this.wordCount === this.words.length) {
      const grown = new Uint32Array(this.words.length * 2);
      grown.set(this.words);
      this.words = grown;
    }
    this.words[this.wordCount++] = word;
  }

  private number(value: number): void {
    if (this.numberCount === this.numbers.length) {
      const grown = new Float64Array(this.numbers.length * 2);
      grown.set(this.numbers);
      this.numbers = grown;
    }
    this.numbers[this.numberCount++] = value;
  }

  private append(text: string): number {
    this.strings.push(text);
    return this.strings.length - 1;
  }

  private stringIndex(text: string): number {
    let index = this.cached.get(text);
    if (index < 0) this.cached.set(text, (index = this.append(text)));
    return index;
  }

  private keyIndex(key: string): number {
    let index = this.cachedKeys.get(key);
    if (index < 0) {
      index = this.keys.length;
      this.keys.push(key);
      this.cachedKeys.set(key, index);
    }
    return index;
  }

  private tagged(tag: Tag, payload: number): void {
    if (payload > maxPayload) throw new RangeError(`a span batch cannot hold ${payload} items in one place`);
    this.word((payload << tagBits) | tag);
  }

  /** A count of leading attributes the same as the previous span's (keys and values), then the rest. */
  private attributes(attributes: Attributes): void {
    const { sharedKeys, sharedValues } = this;
    let shared = 0;
    let n = 0;
    const at = this.wordCount;
    this.word(0);
    this.word(0);
    for (const key in attributes) {
      const value = attributes[key];
      if (n === shared && n < this.sharedCount && sharedKeys[n] === key && sharedValues[n] === value) shared++;
      else {
        this.word(this.keyIndex(key));
        this.value(value);
        sharedKeys[n] = key;
        sharedValues[n] = value;
      }
      n++;
    }
    this.sharedCount = n;
    if (n - shared > maxPayload) throw new RangeError(`a span batch cannot hold ${n} attributes on one span`);
    this.words[at] = shared;
    this.words[at + 1] = n - shared;
  }

  private value(value: AttributeValue | undefined): void {
    switch (typeof value) {
      case 'string':
        return this.tagged(Tag.String, this.stringIndex(value));
      case 'number':
        // −0 fails `value > 0 || Object.is(value, 0)` and goes out as a double, which keeps its sign.
        if (Number.isInteger(value) && value <= maxPayload && (value > 0 || Object.is(value, 0))) return this.tagged(Tag.SmallInteger, value);
        this.number(value);
        return this.tagged(Tag.Number, 0);
      case 'boolean':
        return this.tagged(value ? Tag.True : Tag.False, 0);
      case 'undefined':
        return this.tagged(Tag.Undefined, 0);
      case 'object': {
        if (value === null) return this.tagged(Tag.Null, 0);
        if (Array.isArray(value)) {
          this.tagged(Tag.Array, value.length);
          for (let i = 0; i < value.length; i++) this.value(value[i]);
          return;
        }
        const keys = Object.keys(value);
        this.tagged(Tag.Object, keys.length);
        for (let i = 0; i < keys.length; i++) {
          this.word(this.keyIndex(keys[i]));
          this.value(value[keys[i]]);
        }
        return;
      }
      default:
        throw new TypeError(`a span holds a ${typeof value}, which is not an attribute value`);
    }
  }
}

/** Rebuilds the spans of a batch into `out`, in the order they were added. */
export function readSpanBatch(batch: SpanBatch, out: Span[]): void {
  new SpanBatchReader(batch).read(out);
}

/**
 * Each object key as one string object, batch after batch. A key that arrives as a new string (as
 * every string posted from another thread does) is looked up in V8's string table on each property
 * store; the one kept here was interned by its first use, and stores with it take the fast path.
 */
const knownKeys = new Map<string, string>();
/** Past this many keys (hostile input), the map starts over rather than grow without bound. */
const maxKnownKeys = 1 << 16;

function knownKey(key: string): string {
  const known = knownKeys.get(key);
  if (known !== undefined) return known;
  if (knownKeys.size === maxKnownKeys) knownKeys.clear();
  knownKeys.set(key, key);
  return key;
}

class SpanBatchReader {
  private readonly keys: string[];
  private readonly strings: string[];
  private readonly words: Uint32Array;
  private readonly numbers: Float64Array;
  private at = 0;
  private numberAt = 0;
  private readonly sharedKeys: string[] = [];
  private readonly sharedValues: AttributeValue[] = [];

  constructor(private readonly batch: SpanBatch) {
    this.keys = batch.keys.map(knownKey);
    ({ strings: this.strings, words: this.words, numbers: this.numbers } = batch);
  }

  read(out: Span[]): void {
    const { strings, words } = this;
    for (let n = 0; n < this.batch.count; n++) {
      const traceId = strings[words[this.at++]];
      const spanId = strings[words[this.at++]];
      const parentSpanId = this.optionalString();
      const service = strings[words[this.at++]];
      const name = strings[words[this.at++]];
      const enums = words[this.at++];
      const startNs = strings[words[this.at++]];
      const endNs = strings[words[this.at++]];
      const durationNs = this.numbers[this.numberAt++];
      const statusMessage = this.optionalString();
      const attributes = this.attributes();
      const events = this.value() as unknown as Span['events'];
      const links = this.value() as unknown as Span['links'];
      const code = this.value() as unknown as Span['code'];
      out.push({
        traceId,
        spanId,
        parentSpanId,
        service,
        name,
        kind: kinds[enums & 7],
        startNs,
        endNs,
        durationNs,
        status: statuses[(enums >> 3) & 3],
        statusMessage,
        errorClass: errorClasses[(enums >> 5) & 3],
        attributes,
        events,
        links,
        code,
        inProgress: inProgressValues[(enums >> 7) & 3],
        format: formats[(enums >> 9) & 3],
      });
    }
  }

  private optionalString(): string | undefined {
    const word = this.words[this.at++];
    return word === 0 ? undefined : this.strings[word - 1];
  }

  private attributes(): Attributes {
    const { sharedKeys, sharedValues, keys, words } = this;
    const shared = words[this.at++];
    const rest = words[this.at++];
    const attributes: Attributes = {};
    for (let i = 0; i < shared; i++) set(attributes, sharedKeys[i], sharedValues[i]);
    for (let i = shared; i < shared + rest; i++) {
      const key = keys[words[this.at++]];
      const value = this.value() as AttributeValue;
      set(attributes, key, value);
      sharedKeys[i] = key;
      sharedValues[i] = value;
    }
    return attributes;
  }

  private value(): AttributeValue | undefined {
    const word = this.words[this.at++];
    const payload = word >>> tagBits;
    switch ((word & ((1 << tagBits) - 1)) as Tag) {
      case Tag.String:
        return this.strings[payload];
      case Tag.SmallInteger:
        return payload;
      case Tag.Number:
        return this.numbers[this.numberAt++];
      case Tag.True:
        return true;
      case Tag.False:
        return false;
      case Tag.Null:
        return null;
      case Tag.Undefined:
        return undefined;
      case Tag.Array: {
        const array: AttributeValue[] = new Array(payload);
        for (let i = 0; i < payload; i++) array[i] = this.value() as AttributeValue;
        return array;
      }
      case Tag.Object: {
        const object: Attributes = {};
        for (let i = 0; i < payload; i++) {
          const key = this.keys[this.words[this.at++]];
          set(object, key, this.value() as AttributeValue);
        }
        return object;
      }
    }
  }
}

function set(object: Attributes, key: string, value: AttributeValue): void {
  // An own `__proto__` (JSON.parse makes those) would set the prototype if assigned.
  if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  else object[key] = value;
}
