/**
 * JSON for AssemblyScript plugins. AssemblyScript's standard library has none, and everything a WASM plugin
 * receives (its invocation, every Host API reply) and sends (its output, every Host API argument) is JSON.
 *
 * One class, {@link JsonValue}, holds any JSON value as a tree. Reading never fails midway: `get` and `at` on
 * something that is not there give JSON `null`, and `asString`, `asI64` … give a fallback for a value of
 * another type, so a chain like `doc.get('context').get('user').get('id').asI64()` needs no checks in between.
 * AssemblyScript has no exceptions a plugin could catch, so a malformed document makes {@link parseJson}
 * return `null` instead of throwing.
 *
 * Strings are AssemblyScript strings (UTF-16): `\uXXXX` escapes, surrogate pairs included, become the code
 * units they stand for, and {@link quote} writes a lone surrogate as an escape so the output stays valid UTF-8.
 * Numbers are kept as `f64` together with the text they were parsed from, so an integer beyond 2^53 (a
 * `bigint` id) reads exactly with `asI64` and is written back unchanged.
 * @module
 */

/** What a {@link JsonValue} is. */
export enum JsonKind {
  Null,
  Bool,
  Number,
  String,
  Array,
  Object,
}

// Deeper documents are refused: the parser and the writer recurse, and WebAssembly's stack is not unbounded.
const MAX_DEPTH = 512;
// Objects with more members than this get a Map from key to position; smaller ones are searched in order.
const INDEXED_FROM = 8;
// The largest magnitude an f64 holds as an exact integer, 2^53.
const EXACT_INTEGER_LIMIT: f64 = 9007199254740992.0;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * A JSON value: null, a boolean, a number, a string, an array or an object (whose members keep their order).
 * Build one with {@link jsonObject}, {@link jsonArray} and {@link toJson}; read one with {@link parseJson}.
 */
export class JsonValue {
  private _kind: JsonKind;
  private _bool: bool = false;
  private _number: f64 = 0;
  // A string's value, or the exact text of a number ("" for a number made from an f64).
  private _text: string = '';
  // An array's elements or an object's member values.
  private _items: JsonValue[] | null = null;
  // An object's member names, in the same order as _items.
  private _keys: string[] | null = null;
  private _index: Map<string, i32> | null = null;

  /** Use the factories ({@link toJson}, {@link jsonObject} …); this one makes an empty value of `kind`. */
  constructor(kind: JsonKind) {
    this._kind = kind;
    if (kind == JsonKind.Array || kind == JsonKind.Object) this._items = new Array<JsonValue>();
    if (kind == JsonKind.Object) this._keys = new Array<string>();
  }

  /** JSON `null`. */
  static null(): JsonValue {
    return new JsonValue(JsonKind.Null);
  }

  /** `true` or `false`. */
  static bool(value: bool): JsonValue {
    const v = new JsonValue(JsonKind.Bool);
    v._bool = value;
    return v;
  }

  /** A number; NaN and the infinities are written as `null`, as JavaScript's JSON.stringify does. */
  static number(value: f64): JsonValue {
    const v = new JsonValue(JsonKind.Number);
    v._number = value;
    return v;
  }

  /** An integer, exact even beyond 2^53 (it is written digit for digit). */
  static integer(value: i64): JsonValue {
    return JsonValue.numberWithText(<f64>value, value.toString());
  }

  /** A string. */
  static string(value: string): JsonValue {
    const v = new JsonValue(JsonKind.String);
    v._text = value;
    return v;
  }

  /** What kind of value this is. */
  get kind(): JsonKind {
    return this._kind;
  }

  /** Whether this is JSON `null`, which is also what `get` and `at` give for something that is not there. */
  isNull(): bool {
    return this._kind == JsonKind.Null;
  }

  /** Whether this is `true` or `false` (the `is…` checks let a plugin tell a wrong type from a fallback). */
  isBool(): bool {
    return this._kind == JsonKind.Bool;
  }

  /** Whether this is a number. */
  isNumber(): bool {
    return this._kind == JsonKind.Number;
  }

  /** Whether this is a string. */
  isString(): bool {
    return this._kind == JsonKind.String;
  }

  /** Whether this is an array. */
  isArray(): bool {
    return this._kind == JsonKind.Array;
  }

  /** Whether this is an object. */
  isObject(): bool {
    return this._kind == JsonKind.Object;
  }

  /** The string, or `fallback` when this is not a string (a number is not turned into text). */
  asString(fallback: string = ''): string {
    return this._kind == JsonKind.String ? this._text : fallback;
  }

  /** The boolean, or `fallback` when this is not one. */
  asBool(fallback: bool = false): bool {
    return this._kind == JsonKind.Bool ? this._bool : fallback;
  }

  /** The number, or `fallback` when this is not a number. */
  asF64(fallback: f64 = 0): f64 {
    return this._kind == JsonKind.Number ? this._number : fallback;
  }

  /**
   * The number as an integer: exact when it was written as one (even beyond 2^53), cut towards zero when it has
   * a fraction; `fallback` when this is not a number or does not fit in an i64.
   */
  asI64(fallback: i64 = 0): i64 {
    if (this._kind != JsonKind.Number) return fallback;
    if (this._text.length > 0) {
      const exact = parseInteger(this._text);
      if (exact.ok) return exact.value;
    }
    const n = this._number;
    // 2^63 itself does not fit; NaN fails both comparisons.
    if (!(n > -9223372036854775808.0 && n < 9223372036854775808.0)) return fallback;
    return <i64>n;
  }

  /** Like {@link asI64}, and `fallback` for a number outside the i32 range. */
  asI32(fallback: i32 = 0): i32 {
    if (this._kind != JsonKind.Number) return fallback;
    const n = this.asI64(i64.MIN_VALUE);
    if (n == i64.MIN_VALUE || n < <i64>i32.MIN_VALUE || n > <i64>i32.MAX_VALUE) return fallback;
    return <i32>n;
  }

  /** How many elements an array or members an object has; 0 for anything else. */
  get length(): i32 {
    const items = this._items;
    return items === null ? 0 : items.length;
  }

  /** Element `index` of an array; JSON `null` when there is none or this is no array. */
  at(index: i32): JsonValue {
    const items = this._items;
    if (this._kind != JsonKind.Array || items === null || index < 0 || index >= items.length) {
      return JsonValue.null();
    }
    return unchecked(items[index]);
  }

  /** Member `key` of an object; JSON `null` when it is absent or this is no object (see {@link has}). */
  get(key: string): JsonValue {
    const at = this.indexOf(key);
    return at < 0 ? JsonValue.null() : unchecked(this._items![at]);
  }

  /** Whether this is an object with a member `key` (which may be `null`). */
  has(key: string): bool {
    return this.indexOf(key) >= 0;
  }

  /** An object's member names in order; empty for anything else. */
  keys(): string[] {
    const keys = this._keys;
    return keys === null ? new Array<string>() : keys.slice(0);
  }

  /**
   * Sets member `key` of this object to `value` (a bool, number, string, array of those or a JsonValue, see
   * {@link toJson}), replacing one of the same name in place. Returns this object, so calls chain. Aborts when
   * this is no object: that is a mistake in the plugin, not something to carry on from.
   */
  set<T>(key: string, value: T): JsonValue {
    if (this._kind != JsonKind.Object) abort('JsonValue.set on a value that is not an object');
    this.put(key, toJson<T>(value));
    return this;
  }

  /** Appends `value` (as {@link set} takes it) to this array and returns the array. Aborts when this is no array. */
  push<T>(value: T): JsonValue {
    if (this._kind != JsonKind.Array) abort('JsonValue.push on a value that is not an array');
    this._items!.push(toJson<T>(value));
    return this;
  }

  /** The value as compact JSON text. */
  stringify(): string {
    const parts = new Array<string>();
    this.writeTo(parts, 0);
    return parts.join('');
  }

  /** The same as {@link stringify}, so a value can be concatenated into text. */
  toString(): string {
    return this.stringify();
  }

  /** @internal A number with the exact text to write for it (what was parsed, or an integer's digits). */
  static numberWithText(value: f64, text: string): JsonValue {
    const v = new JsonValue(JsonKind.Number);
    v._number = value;
    v._text = text;
    return v;
  }

  /** @internal Adds or replaces a member without the kind check (the parser knows it has an object). */
  put(key: string, value: JsonValue): void {
    const at = this.indexOf(key);
    const items = this._items!;
    if (at >= 0) {
      items[at] = value;
      return;
    }
    const keys = this._keys!;
    keys.push(key);
    items.push(value);
    const index = this._index;
    if (index !== null) index.set(key, keys.length - 1);
  }

  private indexOf(key: string): i32 {
    const keys = this._keys;
    if (this._kind != JsonKind.Object || keys === null) return -1;
    if (keys.length <= INDEXED_FROM) {
      for (let i = 0; i < keys.length; i++) if (unchecked(keys[i]) == key) return i;
      return -1;
    }
    let index = this._index;
    if (index === null) {
      index = new Map<string, i32>();
      for (let i = 0; i < keys.length; i++) index.set(unchecked(keys[i]), i);
      this._index = index;
    }
    return index.has(key) ? index.get(key) : -1;
  }

  private writeTo(parts: string[], depth: i32): void {
    if (depth > MAX_DEPTH) abort('JsonValue.stringify: nested deeper than ' + MAX_DEPTH.toString());
    switch (this._kind) {
      case JsonKind.Null:
        parts.push('null');
        break;
      case JsonKind.Bool:
        parts.push(this._bool ? 'true' : 'false');
        break;
      case JsonKind.Number:
        parts.push(this._text.length > 0 ? this._text : formatNumber(this._number));
        break;
      case JsonKind.String:
        quoteInto(parts, this._text);
        break;
      case JsonKind.Array: {
        const items = this._items!;
        parts.push('[');
        for (let i = 0; i < items.length; i++) {
          if (i > 0) parts.push(',');
          unchecked(items[i]).writeTo(parts, depth + 1);
        }
        parts.push(']');
        break;
      }
      default: {
        const items = this._items!;
        const keys = this._keys!;
        parts.push('{');
        for (let i = 0; i < items.length; i++) {
          if (i > 0) parts.push(',');
          quoteInto(parts, unchecked(keys[i]));
          parts.push(':');
          unchecked(items[i]).writeTo(parts, depth + 1);
        }
        parts.push('}');
      }
    }
  }
}

/** A new, empty JSON object, to fill with `set`. */
export function jsonObject(): JsonValue {
  return new JsonValue(JsonKind.Object);
}

/** A new, empty JSON array, to fill with `push`. */
export function jsonArray(): JsonValue {
  return new JsonValue(JsonKind.Array);
}

/**
 * Any AssemblyScript value as JSON, decided at compile time by its type: `bool` → a boolean, an integer type →
 * an exact integer, `f32`/`f64` → a number, `string` → a string (`null` for a null `string | null`), an array
 * of any of these → an array, a `JsonValue` as it is (JSON `null` for a null one). Another type does not
 * compile.
 */
export function toJson<T>(value: T): JsonValue {
  if (isBoolean<T>()) return JsonValue.bool(<bool>value);
  // Written with the integer's own digits, so an i64 or u64 beyond 2^53 stays exact.
  if (isInteger<T>()) return JsonValue.numberWithText(<f64>value, value.toString());
  if (isFloat<T>()) return JsonValue.number(<f64>value);
  if (isNullable<T>()) {
    if (changetype<usize>(value) == 0) return JsonValue.null();
  }
  if (isString<T>()) return JsonValue.string(changetype<string>(value));
  if (isArray<T>()) {
    const array = jsonArray();
    // @ts-ignore: T is an array type here
    for (let i = 0; i < value.length; i++) array.push(unchecked(value[i]));
    return array;
  }
  if (value instanceof JsonValue) return changetype<JsonValue>(value);
  ERROR('toJson: the value must be a bool, a number, a string, an array of these or a JsonValue');
  return JsonValue.null();
}

/**
 * Parses JSON text (RFC 8259: one value, whitespace around it allowed) into a tree; `null` when the text is not
 * valid JSON or nests deeper than 512 levels.
 */
export function parseJson(text: string): JsonValue | null {
  const parser = new Parser(text);
  parser.skipSpace();
  const value = parser.value(0);
  if (value === null) return null;
  parser.skipSpace();
  return parser.at == text.length ? value : null;
}

/** `value` as a JSON string literal, for building JSON text by hand; {@link JsonValue} does the same inside. */
export function quote(value: string): string {
  const parts = new Array<string>();
  quoteInto(parts, value);
  return parts.join('');
}

const HEX = '0123456789abcdef';

function hex4(unit: i32): string {
  return (
    '\\u' +
    HEX.charAt((unit >> 12) & 15) +
    HEX.charAt((unit >> 8) & 15) +
    HEX.charAt((unit >> 4) & 15) +
    HEX.charAt(unit & 15)
  );
}

function quoteInto(parts: string[], value: string): void {
  parts.push('"');
  let runStart = 0;
  const n = value.length;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x20 && c != QUOTE && c != BACKSLASH && (c < 0xd800 || c > 0xdfff)) continue;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++; // a well-formed surrogate pair: a character beyond the BMP, written as it is
        continue;
      }
    }
    if (i > runStart) parts.push(value.substring(runStart, i));
    if (c == QUOTE) parts.push('\\"');
    else if (c == BACKSLASH) parts.push('\\\\');
    else if (c == 0x0a) parts.push('\\n');
    else if (c == 0x0d) parts.push('\\r');
    else if (c == 0x09) parts.push('\\t');
    else if (c == 0x08) parts.push('\\b');
    else if (c == 0x0c) parts.push('\\f');
    // Other control characters, and a lone surrogate, which has no UTF-8 form.
    else parts.push(hex4(c));
    runStart = i + 1;
  }
  if (runStart < n) parts.push(runStart == 0 ? value : value.substring(runStart));
  parts.push('"');
}

function formatNumber(n: f64): string {
  if (!isFinite(n)) return 'null';
  // Whole numbers without "1.0"'s fraction; -0 as 0, as JSON.stringify does.
  if (n == Math.floor(n) && Math.abs(n) < EXACT_INTEGER_LIMIT) return (<i64>n).toString();
  return n.toString();
}

class IntegerResult {
  constructor(
    public ok: bool,
    public value: i64,
  ) {}
}

/** The exact value of an integer literal (`-?[0-9]+`), or not ok for anything else or beyond i64. */
function parseInteger(text: string): IntegerResult {
  const n = text.length;
  let i = 0;
  const negative = n > 0 && text.charCodeAt(0) == 0x2d;
  if (negative) i = 1;
  if (i >= n) return new IntegerResult(false, 0);
  // Accumulate negatively: i64's negative range is one larger, so i64.MIN_VALUE parses too.
  let value: i64 = 0;
  for (; i < n; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return new IntegerResult(false, 0);
    if (value < (i64.MIN_VALUE + <i64>d) / 10) return new IntegerResult(false, 0);
    value = value * 10 - <i64>d;
  }
  if (!negative) {
    if (value == i64.MIN_VALUE) return new IntegerResult(false, 0);
    value = -value;
  }
  return new IntegerResult(true, value);
}

function isDigit(c: i32): bool {
  return c >= 0x30 && c <= 0x39;
}

function hexValue(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** A recursive-descent parser over one text; each method returns null (or -1) where the text is not JSON. */
class Parser {
  at: i32 = 0;
  private end: i32;
  // Pieces of the string being read, reused from string to string.
  private parts: string[] = new Array<string>();

  constructor(private text: string) {
    this.end = text.length;
  }

  skipSpace(): void {
    while (this.at < this.end) {
      const c = this.text.charCodeAt(this.at);
      if (c != 0x20 && c != 0x0a && c != 0x0d && c != 0x09) return;
      this.at++;
    }
  }

  value(depth: i32): JsonValue | null {
    if (depth > MAX_DEPTH || this.at >= this.end) return null;
    const c = this.text.charCodeAt(this.at);
    if (c == QUOTE) {
      const s = this.string();
      return s === null ? null : JsonValue.string(s);
    }
    if (c == 0x7b) return this.object(depth);
    if (c == 0x5b) return this.array(depth);
    if (c == 0x2d || isDigit(c)) return this.number();
    if (this.literal('true')) return JsonValue.bool(true);
    if (this.literal('false')) return JsonValue.bool(false);
    if (this.literal('null')) return JsonValue.null();
    return null;
  }

  private literal(word: string): bool {
    if (!this.text.startsWith(word, this.at)) return false;
    this.at += word.length;
    return true;
  }

  private object(depth: i32): JsonValue | null {
    const object = jsonObject();
    this.at++; // {
    this.skipSpace();
    if (this.at < this.end && this.text.charCodeAt(this.at) == 0x7d) {
      this.at++;
      return object;
    }
    while (true) {
      if (this.at >= this.end || this.text.charCodeAt(this.at) != QUOTE) return null;
      const key = this.string();
      if (key === null) return null;
      this.skipSpace();
      if (this.at >= this.end || this.text.charCodeAt(this.at) != 0x3a) return null;
      this.at++; // :
      this.skipSpace();
      const member = this.value(depth + 1);
      if (member === null) return null;
      // A repeated name keeps its first place and takes the last value, as JSON.parse does.
      object.put(key, member);
      this.skipSpace();
      if (this.at >= this.end) return null;
      const c = this.text.charCodeAt(this.at++);
      if (c == 0x7d) return object;
      if (c != 0x2c) return null;
      this.skipSpace();
    }
  }

  private array(depth: i32): JsonValue | null {
    const array = jsonArray();
    this.at++; // [
    this.skipSpace();
    if (this.at < this.end && this.text.charCodeAt(this.at) == 0x5d) {
      this.at++;
      return array;
    }
    while (true) {
      const item = this.value(depth + 1);
      if (item === null) return null;
      array.push(item);
      this.skipSpace();
      if (this.at >= this.end) return null;
      const c = this.text.charCodeAt(this.at++);
      if (c == 0x5d) return array;
      if (c != 0x2c) return null;
      this.skipSpace();
    }
  }

  /** `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, exactly as RFC 8259 has it. */
  private number(): JsonValue | null {
    const text = this.text;
    const start = this.at;
    let i = start;
    if (text.charCodeAt(i) == 0x2d) i++;
    if (i >= this.end || !isDigit(text.charCodeAt(i))) return null;
    if (text.charCodeAt(i) == 0x30) i++;
    else while (i < this.end && isDigit(text.charCodeAt(i))) i++;
    if (i < this.end && text.charCodeAt(i) == 0x2e) {
      i++;
      if (i >= this.end || !isDigit(text.charCodeAt(i))) return null;
      while (i < this.end && isDigit(text.charCodeAt(i))) i++;
    }
    if (i < this.end && (text.charCodeAt(i) | 0x20) == 0x65) {
      i++;
      if (i < this.end && (text.charCodeAt(i) == 0x2b || text.charCodeAt(i) == 0x2d)) i++;
      if (i >= this.end || !isDigit(text.charCodeAt(i))) return null;
      while (i < this.end && isDigit(text.charCodeAt(i))) i++;
    }
    this.at = i;
    const literal = text.substring(start, i);
    return JsonValue.numberWithText(parseFloat(literal), literal);
  }

  /** The string that opens at `at`, escapes decoded; null when it is malformed or never closes. */
  private string(): string | null {
    const text = this.text;
    const parts = this.parts;
    parts.length = 0;
    let i = this.at + 1;
    let runStart = i;
    while (i < this.end) {
      const c = text.charCodeAt(i);
      if (c == QUOTE) {
        this.at = i + 1;
        if (parts.length == 0) return text.substring(runStart, i);
        if (i > runStart) parts.push(text.substring(runStart, i));
        return parts.join('');
      }
      if (c < 0x20) return null; // control characters must be escaped
      if (c != BACKSLASH) {
        i++;
        continue;
      }
      if (i > runStart) parts.push(text.substring(runStart, i));
      if (i + 1 >= this.end) return null;
      const e = text.charCodeAt(i + 1);
      i += 2;
      if (e == QUOTE) parts.push('"');
      else if (e == BACKSLASH) parts.push('\\');
      else if (e == 0x2f) parts.push('/');
      else if (e == 0x6e) parts.push('\n');
      else if (e == 0x74) parts.push('\t');
      else if (e == 0x72) parts.push('\r');
      else if (e == 0x62) parts.push('\b');
      else if (e == 0x66) parts.push('\f');
      else if (e == 0x75) {
        if (i + 4 > this.end) return null;
        let unit = 0;
        for (let k = 0; k < 4; k++) {
          const d = hexValue(text.charCodeAt(i + k));
          if (d < 0) return null;
          unit = (unit << 4) | d;
        }
        i += 4;
        // A pair written as two escapes becomes the two UTF-16 code units of one character.
        parts.push(String.fromCharCode(unit));
      } else return null;
      runStart = i;
    }
    return null;
  }
}
