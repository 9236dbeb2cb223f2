// Many small JSON-like values (objects, arrays, strings, numbers, booleans, null, undefined) in a
// compact form for sending from a worker thread: a tag and a number per value in two typed arrays
// (moved, not copied), all strings joined into one, and each distinct list of object keys once.
// Taking such a batch in costs the receiving thread — the one that must stay responsive — about a
// third of what structured clone or JSON.parse of the same values costs: the objects of a batch
// come in a few shapes (events, identities, resources) and are rebuilt key by key from their
// shape, with no keys to read, and the strings are cut from one instead of each copied on its own.
// (Strings are not deduplicated: hashing them costs the sender about what it saves the receiver.)
//
// unpackValues(packValues(values)) is deep-equal to `values`, as structured clone would give it.

export interface PackedValues {
  count: number;
  tags: Uint8Array;
  /** A number's value; an array's length; an object's shape; where a string ends in `strings`. */
  numbers: Float64Array;
  /** Every string, one after another, in the order the values hold them. */
  strings: string;
  /** Keys of each object shape, in order. */
  shapes: string[][];
}

const STRING = 1;
const NUMBER = 2;
const TRUE = 3;
const FALSE = 4;
const NULL = 5;
const UNDEFINED = 6;
const ARRAY = 7;
const OBJECT = 8;

/** Builds one batch: the tag and number arrays grow as values are written. */
class Packer {
  tags: Uint8Array;
  numbers: Float64Array;
  length = 0;
  readonly strings: string[] = [];
  stringsLength = 0;
  readonly shapes: string[][] = [];
  private readonly shapesByFirstKey = new Map<string, number[]>();
  private lastShape = -1;

  constructor(capacity: number) {
    this.tags = new Uint8Array(capacity);
    this.numbers = new Float64Array(capacity);
  }

  put(tag: number, value: number): void {
    if (this.length === this.tags.length) {
      const tags = new Uint8Array(2 * this.length);
      tags.set(this.tags);
      this.tags = tags;
      const numbers = new Float64Array(2 * this.length);
      numbers.set(this.numbers);
      this.numbers = numbers;
    }
    this.tags[this.length] = tag;
    this.numbers[this.length] = value;
    this.length++;
  }

  /**
   * The id of the shape with these keys. Objects of a batch come in a few shapes: the keys are
   * compared with those of the shapes seen with the same first key, the last one matched first
   * (property names are interned, so each comparison is a pointer's).
   */
  shapeOf(keys: string[]): number {
    if (this.lastShape >= 0 && sameKeys(this.shapes[this.lastShape], keys)) return this.lastShape;
    const first = keys.length > 0 ? keys[0] : '';
    let candidates = this.shapesByFirstKey.get(first);
    if (!candidates) this.shapesByFirstKey.set(first, (candidates = []));
    for (const id of candidates) {
      if (sameKeys(this.shapes[id], keys)) return (this.lastShape = id);
    }
    this.lastShape = this.shapes.length;
    this.shapes.push(keys);
    candidates.push(this.lastShape);
    return this.lastShape;
  }

  write(value: unknown): void {
    switch (typeof value) {
      case 'string':
        this.strings.push(value);
        this.stringsLength += value.length;
        this.put(STRING, this.stringsLength);
        return;
      case 'number':
        this.put(NUMBER, value);
        return;
      case 'boolean':
        this.put(value ? TRUE : FALSE, 0);
        return;
      case 'undefined':
        this.put(UNDEFINED, 0);
        return;
      case 'object':
        if (value === null) {
          this.put(NULL, 0);
        } else if (Array.isArray(value)) {
          this.put(ARRAY, value.length);
          for (let i = 0; i < value.length; i++) this.write(value[i]);
        } else {
          this.writeObject(Object.keys(value), Object.values(value));
        }
        return;
      default:
        throw new TypeError(`cannot pack a ${typeof value}`);
    }
  }

  /** An object with these keys and values (Object.values reads them all at once, in key order). */
  writeObject(keys: string[], values: unknown[]): void {
    this.put(OBJECT, this.shapeOf(keys));
    for (let i = 0; i < values.length; i++) this.write(values[i]);
  }

  packed(count: number): PackedValues {
    return {
      count,
      // Views of the whole buffers: they are moved, not copied, so the unused end costs nothing.
      tags: this.tags.subarray(0, this.length),
      numbers: this.numbers.subarray(0, this.length),
      strings: this.strings.join(''),
      shapes: this.shapes,
    };
  }
}

/**
 * Packs `values`, leaving `omit` out of each of them that is an object (a part the caller sends
 * another way; it is not read). Throws a TypeError on anything JSON-like values do not hold
 * (functions, bigints, symbols).
 */
export function packValues(values: readonly unknown[], omit?: string): PackedValues {
  // Room for 32 values an item before growing (an audit event, with its identity and resources, holds about 30).
  const packer = new Packer(Math.max(1024, 32 * values.length));
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (omit === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) {
      packer.write(value);
      continue;
    }
    const keys = Object.keys(value);
    const at = keys.indexOf(omit);
    if (at < 0) {
      packer.write(value);
      continue;
    }
    keys.splice(at, 1);
    packer.writeObject(keys, keys.map((key) => (value as Record<string, unknown>)[key]));
  }
  return packer.packed(values.length);
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function unpackValues(packed: PackedValues): unknown[] {
  const { tags, numbers, strings, shapes } = packed;
  let at = 0;
  let stringStart = 0;
  const read = (): unknown => {
    const tag = tags[at];
    const value = numbers[at];
    at++;
    switch (tag) {
      case STRING: {
        const string = strings.slice(stringStart, value);
        stringStart = value;
        return string;
      }
      case NUMBER: return value;
      case TRUE: return true;
      case FALSE: return false;
      case NULL: return null;
      case UNDEFINED: return undefined;
      case ARRAY: {
        const array = new Array<unknown>(value);
        for (let i = 0; i < value; i++) array[i] = read();
        return array;
      }
      case OBJECT: {
        const keys = shapes[value];
        const object: Record<string, unknown> = {};
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i];
          // An own "__proto__" (JSON.parse makes one) must stay a property, not become the prototype.
          if (key === '__proto__') Object.defineProperty(object, key, { value: read(), writable: true, enumerable: true, configurable: true });
          else object[key] = read();
        }
        return object;
      }
      default:
        throw new TypeError(`packed values are damaged: tag ${tag} at ${at - 1}`);
    }
  };
  const values = new Array<unknown>(packed.count);
  for (let i = 0; i < packed.count; i++) values[i] = read();
  return values;
}

/** The buffers to move with a packed batch (postMessage's transfer list). */
export function packedTransfer(packed: PackedValues): ArrayBuffer[] {
  return [packed.tags.buffer as ArrayBuffer, packed.numbers.buffer as ArrayBuffer];
}
