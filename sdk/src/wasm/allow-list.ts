/**
 * The only imports a WASM plugin may have. Everything a plugin can do outside its own memory goes through one
 * of these functions, so this list *is* the plugin's attack surface: Extism's kernel functions (its memory,
 * input, output, logging) and the GoatFlow Host API, which the kernel checks against the plugin's grants on
 * every call. Filesystem, clock, network and environment (WASI, Extism's own HTTP) are deliberately absent.
 * @module
 */
import { type FunctionSignature, formatSignature, type ModuleImport } from './module-inspector.js';

/** The module of Extism's kernel functions, which every Extism PDK imports. */
export const EXTISM_KERNEL_MODULE = 'extism:host/env';
/** The module of user-defined host functions in Extism; GoatFlow puts the Host API there. */
export const HOST_API_MODULE = 'extism:host/user';

const I32 = 'i32';
const I64 = 'i64';
const sig = (params: string[], results: string[]): FunctionSignature => ({ params, results });

/**
 * Extism kernel functions a plugin may import, with the exact signature the Extism runtimes give them. These
 * only touch the plugin's own Extism memory (blocks the runtime bounds), its input and output, its own
 * variables and its log. `config_get` reads Extism's manifest config, which this runtime leaves empty (plugin
 * settings come from the Host API's `config_get`). `log_trace` and `get_log_level` are provided by this
 * runtime for newer PDKs. Left out on purpose: `http_request`, `http_status_code`, `http_headers`.
 */
export const EXTISM_KERNEL_FUNCTIONS: ReadonlyMap<string, FunctionSignature> = new Map([
  ['alloc', sig([I64], [I64])],
  ['free', sig([I64], [])],
  ['length', sig([I64], [I64])],
  ['length_unsafe', sig([I64], [I64])],
  ['load_u8', sig([I64], [I32])],
  ['load_u64', sig([I64], [I64])],
  ['store_u8', sig([I64, I32], [])],
  ['store_u64', sig([I64, I64], [])],
  ['input_offset', sig([], [I64])],
  ['input_length', sig([], [I64])],
  ['input_load_u8', sig([I64], [I32])],
  ['input_load_u64', sig([I64], [I64])],
  ['output_set', sig([I64, I64], [])],
  ['error_set', sig([I64], [])],
  ['config_get', sig([I64], [I64])],
  ['var_get', sig([I64], [I64])],
  ['var_set', sig([I64, I64], [])],
  ['log_trace', sig([I64], [])],
  ['log_debug', sig([I64], [])],
  ['log_info', sig([I64], [])],
  ['log_warn', sig([I64], [])],
  ['log_error', sig([I64], [])],
  ['get_log_level', sig([], [I32])],
]);

/**
 * The Host API as WASM imports (module `extism:host/user`), mapped to the function name the kernel's
 * `HostCallHandler` receives (`db.query`, `cache.get`, … as in the gRPC protocol). Every one
 * has the signature `(i64) -> i64`: the argument is the Extism memory offset of a UTF-8 JSON document with the
 * arguments, the result the offset of the UTF-8 JSON reply `{"ok":true,"value":…}` or
 * `{"ok":false,"error":{"code":…,"message":…}}`.
 */
export const HOST_API_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ['db_query', 'db.query'],
  ['db_exec', 'db.exec'],
  ['db_transaction', 'db.transaction'],
  ['cache_get', 'cache.get'],
  ['cache_set', 'cache.set'],
  ['cache_delete', 'cache.delete'],
  ['http_fetch', 'http.fetch'],
  ['email_send', 'email.send'],
  ['i18n_t', 'i18n.t'],
  ['log', 'log'],
  ['config_get', 'config.get'],
  ['events_publish', 'events.publish'],
  ['identity_get_user', 'identity.getUser'],
  ['plugins_call', 'plugins.call'],
  ['audit_record', 'audit.record'],
]);

/** The signature of every Host API import. */
export const HOST_API_SIGNATURE: FunctionSignature = sig([I64], [I64]);

/** Whether an import may be linked, and if not, why — phrased for the plugin's developer. */
export type ImportVerdict = { allowed: true } | { allowed: false; reason: string };

const ALLOWED_SUMMARY =
  `allowed are the Extism kernel functions in "${EXTISM_KERNEL_MODULE}" ` +
  `(${[...EXTISM_KERNEL_FUNCTIONS.keys()].join(', ')}) and the GoatFlow Host API in "${HOST_API_MODULE}" ` +
  `(${[...HOST_API_FUNCTIONS.keys()].join(', ')})`;

/**
 * The `env` imports AssemblyScript's standard library adds when plugin code reaches for what a sandboxed plugin
 * does not have, with what to do instead: the module name alone would leave the developer guessing which line of
 * their code caused it.
 */
const ASSEMBLYSCRIPT_ENV_HINTS: ReadonlyMap<string, string> = new Map([
  [
    'seed',
    'Math.random (a plugin has no source of randomness; derive values from the input, or ask the Host API)',
  ],
  [
    'Date.now',
    'Date.now() or new Date() (a plugin has no clock; use the time in the invocation input if any)',
  ],
  ['trace', 'trace() (log with host.log instead)'],
  ['console.log', 'console.log (log with host.log instead)'],
  ['console.info', 'console.info (log with host.log instead)'],
  ['console.warn', 'console.warn (log with host.log instead)'],
  ['console.error', 'console.error (log with host.log instead)'],
  ['console.debug', 'console.debug (log with host.log instead)'],
  ['performance.now', 'performance.now() (a plugin has no clock)'],
  ['process.exit', 'process.exit (return fail(...) from the handler instead)'],
]);

function sameSignature(a: FunctionSignature, b: FunctionSignature): boolean {
  return (
    a.params.length === b.params.length &&
    a.results.length === b.results.length &&
    a.params.every((p, i) => p === b.params[i]) &&
    a.results.every((p, i) => p === b.results[i])
  );
}

function refuse(imp: ModuleImport, why: string): ImportVerdict {
  return { allowed: false, reason: `import ${imp.module}::${imp.name} is not allowed: ${why}` };
}

/**
 * Judges one import. A function that is on the list but declared with another signature is refused too: the
 * runtime would otherwise hand it values of the wrong type at the first call.
 */
export function checkImport(imp: ModuleImport): ImportVerdict {
  const expected =
    imp.module === EXTISM_KERNEL_MODULE
      ? EXTISM_KERNEL_FUNCTIONS.get(imp.name)
      : imp.module === HOST_API_MODULE && HOST_API_FUNCTIONS.has(imp.name)
        ? HOST_API_SIGNATURE
        : undefined;

  if (expected) {
    if (imp.kind !== 'function') return refuse(imp, `it must be a function, not a ${imp.kind}`);
    if (imp.signature && !sameSignature(imp.signature, expected)) {
      return refuse(
        imp,
        `it must have the signature ${formatSignature(expected)}, the module declares ${formatSignature(imp.signature)}`,
      );
    }
    return { allowed: true };
  }

  if (imp.module === 'wasi_snapshot_preview1' || imp.module.startsWith('wasi')) {
    return refuse(
      imp,
      'plugins run without WASI (no filesystem, clock, random, environment or sockets); build the plugin ' +
        'without WASI support (AssemblyScript: without @assemblyscript/wasi-shim; Rust: --target ' +
        `wasm32-unknown-unknown) and use the Host API instead; ${ALLOWED_SUMMARY}`,
    );
  }
  if (imp.module === EXTISM_KERNEL_MODULE && imp.name.startsWith('http_')) {
    return refuse(
      imp,
      `Extism's own HTTP functions are disabled; call the Host API's http_fetch ("${HOST_API_MODULE}"), ` +
        "which is checked against the plugin's http grant",
    );
  }
  if (imp.module === 'env' && imp.name === 'abort') {
    return refuse(
      imp,
      'AssemblyScript imports env::abort unless told otherwise; build with `asc --use abort=<your abort function>` ' +
        `(for example one that calls error_set, then unreachable()); ${ALLOWED_SUMMARY}`,
    );
  }
  const hint = imp.module === 'env' ? ASSEMBLYSCRIPT_ENV_HINTS.get(imp.name) : undefined;
  if (hint) {
    return refuse(
      imp,
      `module "env" is not available to plugins; AssemblyScript imports it for ${hint}; ${ALLOWED_SUMMARY}`,
    );
  }
  if (imp.kind === 'memory') {
    return refuse(
      imp,
      `a plugin must define its own memory (with a maximum), not import one; ${ALLOWED_SUMMARY}`,
    );
  }
  if (imp.module === HOST_API_MODULE) {
    return refuse(imp, `"${imp.name}" is not a GoatFlow Host API function; ${ALLOWED_SUMMARY}`);
  }
  if (imp.module === EXTISM_KERNEL_MODULE) {
    return refuse(
      imp,
      `"${imp.name}" is not an Extism kernel function this runtime offers; ${ALLOWED_SUMMARY}`,
    );
  }
  return refuse(imp, `module "${imp.module}" is not available to plugins; ${ALLOWED_SUMMARY}`);
}
