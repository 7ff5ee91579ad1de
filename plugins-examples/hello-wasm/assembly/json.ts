// Just enough JSON for a plugin: AssemblyScript has no JSON in its standard library, and everything a WASM
// plugin receives (its input, every Host API reply) and sends is JSON text. Values are handled as raw JSON
// text: `field` and `item` cut a member or element out of an object or array, `text` and `integer` read a
// scalar, and `quote` writes a string. Absent or malformed values read as "" (never valid JSON), so a caller
// can test for them without nullable types.

const QUOTE: i32 = 34; // "
const BACKSLASH: i32 = 92; // \
const COMMA: i32 = 44; // ,
const COLON: i32 = 58; // :
const OPEN_OBJECT: i32 = 123; // {
const CLOSE_OBJECT: i32 = 125; // }
const OPEN_ARRAY: i32 = 91; // [
const CLOSE_ARRAY: i32 = 93; // ]

function skipSpace(json: string, at: i32): i32 {
  while (at < json.length) {
    const c = json.charCodeAt(at);
    if (c != 32 && c != 9 && c != 10 && c != 13) break;
    at++;
  }
  return at;
}

/** The index just past the string that opens at `at`, or -1 when it never closes. */
function skipString(json: string, at: i32): i32 {
  for (let i = at + 1; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c == BACKSLASH) i++;
    else if (c == QUOTE) return i + 1;
  }
  return -1;
}

/** The index just past the value that starts at `at` (after spaces), or -1 when it is malformed. */
function skipValue(json: string, at: i32): i32 {
  at = skipSpace(json, at);
  if (at >= json.length) return -1;
  const first = json.charCodeAt(at);
  if (first == QUOTE) return skipString(json, at);
  if (first != OPEN_OBJECT && first != OPEN_ARRAY) {
    // A number, true, false or null runs until the next delimiter.
    let i = at;
    while (i < json.length) {
      const c = json.charCodeAt(i);
      if (c == COMMA || c == CLOSE_OBJECT || c == CLOSE_ARRAY || c == 32 || c == 9 || c == 10 || c == 13) break;
      i++;
    }
    return i > at ? i : -1;
  }
  let depth = 0;
  for (let i = at; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c == QUOTE) {
      i = skipString(json, i);
      if (i < 0) return -1;
      i--; // the loop's i++ lands just past the string
    } else if (c == OPEN_OBJECT || c == OPEN_ARRAY) {
      depth++;
    } else if (c == CLOSE_OBJECT || c == CLOSE_ARRAY) {
      depth--;
      if (depth == 0) return i + 1;
    }
  }
  return -1;
}

/** The raw JSON of member `name` of the object `json`, or "" when `json` is no object or has no such member. */
export function field(json: string, name: string): string {
  let at = skipSpace(json, 0);
  if (at >= json.length || json.charCodeAt(at) != OPEN_OBJECT) return '';
  at = skipSpace(json, at + 1);
  while (at < json.length && json.charCodeAt(at) == QUOTE) {
    const keyEnd = skipString(json, at);
    if (keyEnd < 0) return '';
    const key = text(json.substring(at, keyEnd));
    const colon = skipSpace(json, keyEnd);
    if (colon >= json.length || json.charCodeAt(colon) != COLON) return '';
    const start = skipSpace(json, colon + 1);
    const end = skipValue(json, start);
    if (end < 0) return '';
    if (key == name) return json.substring(start, end);
    at = skipSpace(json, end);
    if (at >= json.length || json.charCodeAt(at) != COMMA) return '';
    at = skipSpace(json, at + 1);
  }
  return '';
}

/** The raw JSON of element `index` of the array `json`, or "" when there is none. */
export function item(json: string, index: i32): string {
  let at = skipSpace(json, 0);
  if (at >= json.length || json.charCodeAt(at) != OPEN_ARRAY) return '';
  at = skipSpace(json, at + 1);
  for (let i = 0; at < json.length && json.charCodeAt(at) != CLOSE_ARRAY; i++) {
    const end = skipValue(json, at);
    if (end < 0) return '';
    if (i == index) return json.substring(at, end);
    at = skipSpace(json, end);
    if (at >= json.length || json.charCodeAt(at) != COMMA) return '';
    at = skipSpace(json, at + 1);
  }
  return '';
}

function hexDigit(c: i32): i32 {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * The string a raw JSON string literal stands for, escapes decoded (a `\uXXXX` pair that encodes a character
 * outside the BMP becomes that character, as AssemblyScript strings are UTF-16); `fallback` when `raw` is no
 * string.
 */
export function text(raw: string, fallback: string = ''): string {
  if (raw.length < 2 || raw.charCodeAt(0) != QUOTE || raw.charCodeAt(raw.length - 1) != QUOTE) return fallback;
  const parts = new Array<string>();
  let runStart = 1;
  const last = raw.length - 1;
  for (let i = 1; i < last; i++) {
    if (raw.charCodeAt(i) != BACKSLASH) continue;
    parts.push(raw.substring(runStart, i));
    const e = i + 1 < last ? raw.charCodeAt(i + 1) : 0;
    let skip = 1;
    if (e == 110) parts.push('\n');
    else if (e == 116) parts.push('\t');
    else if (e == 114) parts.push('\r');
    else if (e == 98) parts.push('\b');
    else if (e == 102) parts.push('\f');
    else if (e == 117) {
      if (i + 5 >= last) return fallback;
      let unit = 0;
      for (let k = 2; k <= 5; k++) {
        const d = hexDigit(raw.charCodeAt(i + k));
        if (d < 0) return fallback;
        unit = unit * 16 + d;
      }
      parts.push(String.fromCharCode(unit));
      skip = 5;
    } else if (e != 0) parts.push(String.fromCharCode(e)); // \" \\ \/
    else return fallback;
    i += skip;
    runStart = i + 1;
  }
  parts.push(raw.substring(runStart, last));
  return parts.join('');
}

/** The integer a raw JSON number stands for (a fraction is cut off); `fallback` when `raw` is no number. */
export function integer(raw: string, fallback: i64 = 0): i64 {
  if (raw.length == 0) return fallback;
  const first = raw.charCodeAt(0);
  if (first != 45 && (first < 48 || first > 57)) return fallback;
  const value = parseFloat(raw);
  return isFinite(value) ? <i64>value : fallback;
}

/** `value` as a JSON string literal: quotes, backslashes and control characters escaped, the rest as it is. */
export function quote(value: string): string {
  const parts = new Array<string>();
  parts.push('"');
  let runStart = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 32 && c != QUOTE && c != BACKSLASH) continue;
    parts.push(value.substring(runStart, i));
    if (c == QUOTE) parts.push('\\"');
    else if (c == BACKSLASH) parts.push('\\\\');
    else if (c == 10) parts.push('\\n');
    else if (c == 13) parts.push('\\r');
    else if (c == 9) parts.push('\\t');
    else parts.push('\\u00' + (c < 16 ? '0' : '1') + '0123456789abcdef'.charAt(c & 15));
    runStart = i + 1;
  }
  parts.push(value.substring(runStart));
  parts.push('"');
  return parts.join('');
}
