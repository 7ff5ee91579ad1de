/**
 * One call of a handler, from the plugin's side: what the kernel passed in, and how the handler answers.
 *
 * A handler is an exported function with no parameters that returns `i32`: 0 after setting its output (JSON;
 * no output reads as `null`), or non-zero after {@link fail} to fail the call with `plugin_error` and a text.
 * Its input is the UTF-8 JSON document `{"input": …, "context": …}`, which {@link readInvocation} reads.
 * @module
 */
import { readInput, setError, setOutput, utf8 } from './extism';
import { HostResult } from './host';
import { JsonValue, parseJson } from './json';

/** The user an invocation acts for. */
export class User {
  constructor(
    public id: i64,
    public login: string,
    /** `agent` or `customer`. */
    public type: string,
    public isAdmin: bool,
    /** The names of the user's groups. */
    public groups: string[],
  ) {}
}

/** Who and what an invocation is for: the same context a gRPC handler gets as `ctx`. */
export class Context {
  constructor(
    public pluginId: string,
    /** The handler's name, as the manifest names it. */
    public handler: string,
    /**
     * The user the call acts for, whose rights every host call has; `null` for work the kernel starts (event
     * deliveries, jobs).
     */
    public user: User | null,
    /** The token scopes of the request, for calls made with an API token. */
    public scopes: string[],
    /** The user's language (`en`, `de` …); `i18n.t` uses it unless told otherwise. */
    public locale: string,
    /** The request's id, for log lines that should be traced back to it. */
    public requestId: string,
  ) {}
}

/** What the kernel passed to this call. */
export class Invocation {
  constructor(
    /**
     * The handler's input: for a route `{method, path, params, query, body}`, for an event `{event}`, for a job
     * `{job}`, for `plugins.call` what the caller passed; JSON `null` when there is none.
     */
    public input: JsonValue,
    public context: Context,
    /** The whole document, for fields this SDK does not know yet. */
    public document: JsonValue,
  ) {}
}

function strings(array: JsonValue): string[] {
  const out = new Array<string>();
  for (let i = 0; i < array.length; i++) out.push(array.at(i).asString());
  return out;
}

/**
 * Reads this call's input and context. It parses the whole input, so call it once per handler; do not keep the
 * result in a global either, as the next call may run in another instance (or the same one, for another user).
 * Aborts when the input is not JSON, which the kernel never sends.
 */
export function readInvocation(): Invocation {
  const doc = parseJson(inputText());
  if (doc === null) abort('the invocation input is not JSON');
  const document = doc!;
  const context = document.get('context');
  const u = context.get('user');
  const user = u.isObject()
    ? new User(
        u.get('id').asI64(),
        u.get('login').asString(),
        u.get('type').asString(),
        u.get('isAdmin').asBool(),
        strings(u.get('groups')),
      )
    : null;
  return new Invocation(
    document.get('input'),
    new Context(
      context.get('pluginId').asString(),
      context.get('handler').asString(),
      user,
      strings(context.get('scopes')),
      context.get('locale').asString('en'),
      context.get('requestId').asString(),
    ),
    document,
  );
}

/** The raw input document as text, for a handler that does its own reading. */
export function inputText(): string {
  return String.UTF8.decode(readInput());
}

/** The raw input document as UTF-8 bytes, to pass on unread. */
export function inputBytes(): ArrayBuffer {
  return readInput();
}

/** Sets the handler's output to `value`. */
export function output(value: JsonValue): void {
  setOutput(utf8(value.stringify()));
}

/**
 * Sets the handler's output to `json`, JSON text the plugin wrote itself, as UTF-8. (as-pdk's
 * `Host.outputString` passes the string's length in UTF-16 units as its byte count, which cuts non-ASCII text.)
 */
export function outputText(json: string): void {
  setOutput(utf8(json));
}

/** Sets the handler's output to `bytes`, which must be UTF-8 JSON. */
export function outputBytes(bytes: ArrayBuffer): void {
  setOutput(bytes);
}

/**
 * Fails the call with `message`, which the caller sees in its `plugin_error` (and an HTTP client as a 502).
 * Return its result from the handler: `return fail('…')`. Unlike a trap, this keeps the instance serving.
 */
export function fail(message: string): i32 {
  setError(message);
  return 1;
}

/** Fails the call with why a host call failed (`code: fn: message`); `return failWith(result)`. */
export function failWith(result: HostResult): i32 {
  const error = result.error;
  return fail(error === null ? 'failWith: the host call did not fail' : error.toString());
}
