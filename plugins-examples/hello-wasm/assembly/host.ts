// The GoatFlow Host API from AssemblyScript. Every function is an import of module `extism:host/user` taking
// the Extism memory offset of its UTF-8 JSON arguments and returning the offset of the UTF-8 JSON reply,
// `{"ok":true,"value":…}` or `{"ok":false,"error":{"code":…,"message":…}}`. Declare only the imports you use:
// the kernel refuses a module that imports anything else.
import { Host, Memory } from '@extism/as-pdk';
import { field, text } from './json';

@external('extism:host/env', 'length')
declare function extism_length(offset: u64): u64;
@external('extism:host/env', 'error_set')
declare function extism_error_set(offset: u64): void;

@external('extism:host/user', 'db_query')
declare function db_query(offset: u64): u64;
@external('extism:host/user', 'db_exec')
declare function db_exec(offset: u64): u64;
@external('extism:host/user', 'cache_get')
declare function cache_get(offset: u64): u64;
@external('extism:host/user', 'cache_set')
declare function cache_set(offset: u64): u64;
@external('extism:host/user', 'cache_delete')
declare function cache_delete(offset: u64): u64;
// Not Extism's own config_get (module extism:host/env), which is always empty here: this one returns the
// plugin's settings, the manifest's settingsDefaults overlaid with what the operator set.
@external('extism:host/user', 'config_get')
declare function config_get(offset: u64): u64;
@external('extism:host/user', 'i18n_t')
declare function i18n_t(offset: u64): u64;
@external('extism:host/user', 'log')
declare function host_log(offset: u64): u64;
@external('extism:host/user', 'identity_get_user')
declare function identity_get_user(offset: u64): u64;
@external('extism:host/user', 'events_publish')
declare function events_publish(offset: u64): u64;
@external('extism:host/user', 'audit_record')
declare function audit_record(offset: u64): u64;

/** The Host API functions this plugin calls. */
export enum Fn {
  DbQuery,
  DbExec,
  CacheGet,
  CacheSet,
  CacheDelete,
  ConfigGet,
  I18nT,
  Log,
  IdentityGetUser,
  EventsPublish,
  AuditRecord,
}

const NAMES: string[] = [
  'db.query',
  'db.exec',
  'cache.get',
  'cache.set',
  'cache.delete',
  'config.get',
  'i18n.t',
  'log',
  'identity.getUser',
  'events.publish',
  'audit.record',
];

function dispatch(fn: Fn, offset: u64): u64 {
  switch (fn) {
    case Fn.DbQuery:
      return db_query(offset);
    case Fn.DbExec:
      return db_exec(offset);
    case Fn.CacheGet:
      return cache_get(offset);
    case Fn.CacheSet:
      return cache_set(offset);
    case Fn.CacheDelete:
      return cache_delete(offset);
    case Fn.ConfigGet:
      return config_get(offset);
    case Fn.I18nT:
      return i18n_t(offset);
    case Fn.Log:
      return host_log(offset);
    case Fn.IdentityGetUser:
      return identity_get_user(offset);
    case Fn.EventsPublish:
      return events_publish(offset);
    default:
      return audit_record(offset);
  }
}

/** What a host call answered: its raw JSON value when `ok`, else the kernel's error code and message. */
export class Reply {
  constructor(
    public ok: bool,
    public value: string,
    public code: string,
    public message: string,
  ) {}
}

/** Writes the UTF-8 bytes of `value` to a new Extism memory block (the caller frees it). */
function toMemory(value: string): Memory {
  return Memory.allocateBytes(Uint8Array.wrap(String.UTF8.encode(value)));
}

/** Calls Host API function `fn` with `args` (a JSON object as text) and frees both memory blocks. */
export function call(fn: Fn, args: string): Reply {
  const request = toMemory(args);
  const offset = dispatch(fn, request.offset);
  request.free();
  // Offset 0: not even an error reply could be stored, e.g. the Extism memory budget is spent.
  if (offset == 0) return new Reply(false, '', 'host_error', NAMES[fn] + ' gave no reply');
  const block = new Memory(offset, extism_length(offset));
  const reply = block.toString();
  block.free();
  if (field(reply, 'ok') == 'true') return new Reply(true, field(reply, 'value'), '', '');
  const error = field(reply, 'error');
  return new Reply(
    false,
    '',
    text(field(error, 'code'), 'host_error'),
    NAMES[fn] + ': ' + text(field(error, 'message')),
  );
}

/** Sets the handler's output to the UTF-8 bytes of `json`; as-pdk's outputString cuts non-ASCII text short. */
export function output(json: string): void {
  Host.output(Uint8Array.wrap(String.UTF8.encode(json)));
}

/** Fails the call with `message` as its error text (the caller gets 502 plugin_error); return the result. */
export function fail(message: string): i32 {
  extism_error_set(toMemory(message).offset);
  return 1;
}

/** Fails the call with what a refused or failed host call answered. */
export function failWith(reply: Reply): i32 {
  return fail(reply.code + ': ' + reply.message);
}
