/**
 * One Extism plugin instance inside a worker, with the two things `@extism/extism` 1.0.3 does not give:
 *
 * 1. A bound on Extism memory. Extism's "memory" (the blocks behind alloc, input, output, vars and host
 *    replies) is host-side ArrayBuffers, outside the module's declared maximum; 1.0.3 has no `memory` option
 *    to bound it, so a plugin could alloc() until the process runs out. Here `alloc` is charged against a
 *    budget (and `free` credits it); going past the budget traps the plugin like a failed allocation.
 * 2. The handler's return code. `plugin.call()` ignores it, but Extism's contract is that a non-zero return
 *    is a failure, so the runtime runs the export itself with the same begin/end steps `call()` uses.
 *
 * Both need Extism's call context, which 1.0.3 does not expose. It hands the context to every host function
 * through `fn.bind(null, context)` while linking, so our kernel-function overrides carry a `bind` that keeps
 * it; the begin/end/store steps are the context's symbol-keyed methods. All knowledge of Extism internals is
 * in this file, and {@link ExtismPlugin#instantiate} checks for it and fails loudly if a different Extism
 * version lacks it. The package is pinned to 1.0.3 for this reason.
 *
 * Plain JavaScript (worker threads do not inherit the TypeScript loader).
 * @module
 */

/** Thrown (through the WASM frames, trapping the plugin) when the plugin exceeds its Extism memory budget. */
export class ExtismMemoryLimitError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'ExtismMemoryLimitError';
  }
}

/**
 * @typedef {{ trace(text: string): void, debug(text: string): void, info(text: string): void,
 *   warn(text: string): void, error(text: string): void }} PluginLogger
 * @typedef {(callContext: unknown, ...args: any[]) => unknown} HostFunction
 * @typedef {{ kind: 'ok', output: Uint8Array | null }
 *   | { kind: 'unknown_handler' }
 *   | { kind: 'failed', rc: number, message: string }
 *   | { kind: 'trapped', message: string }} CallOutcome
 */

/** Extism block addresses carry the block index in their top 16 bits. */
const blockIndex = (/** @type {bigint} */ address) => Number(BigInt(address) >> 48n);
/**
 * Blocks one call may create. Addresses travel as signed i64, so from index 2^15 on they turn negative and
 * Extism 1.0.3 can no longer find the block; blocks are only reclaimed when the call ends.
 */
const MAX_BLOCKS = 1 << 15;

const decoder = new TextDecoder();

/**
 * Extism adopts the whole ArrayBuffer behind a Uint8Array it stores, so a view into a larger buffer would hand
 * the plugin bytes around it; store only views that span their buffer exactly.
 * @param {Uint8Array} bytes
 */
const exact = (bytes) =>
  bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();

/**
 * @param {object} object
 * @param {string} description
 * @returns {symbol | undefined}
 */
function symbolNamed(object, description) {
  return Object.getOwnPropertySymbols(object).find((s) => s.description === description);
}

export class ExtismPlugin {
  /** Bytes of Extism memory the plugin may hold at once. */
  #budget;
  /** Bytes currently charged. */
  #used = 0;
  /** Charged bytes per block index, so that `free` credits exactly what was charged. */
  #charged = new Map();
  /** @type {PluginLogger} */
  #logger;
  /** @type {any} Extism's CallContext, captured while linking. */
  #context = null;
  /** @type {Record<string, Function>} Extism's own kernel functions, before our overrides replaced them. */
  #originals = {};
  /** @type {{ begin: symbol, end: symbol, store: symbol, getBlock: symbol } | null} */
  #steps = null;
  /** @type {any} */
  #plugin = null;
  /** @type {Record<string, unknown>} */
  #exports = {};
  /** Length the plugin passed to output_set (Extism 1.0.3 itself ignores it and returns the whole block). */
  #outputLength = -1;
  /** Whether a handler is running (as opposed to the module's start function, or nothing). */
  #inCall = false;
  /** Error text the module set while it was starting, when Extism has no call to attach it to. */
  #startError = /** @type {string | null} */ (null);

  /**
   * @param {{ maxMemoryBytes: number, logger: PluginLogger }} options
   */
  constructor({ maxMemoryBytes, logger }) {
    this.#budget = maxMemoryBytes;
    this.#logger = logger;
  }

  /**
   * Instantiates the module: no WASI, no Extism HTTP, foreground (this worker is already off the main thread).
   * @param {typeof import('@extism/extism').createPlugin} createPlugin
   * @param {WebAssembly.Module} module
   * @param {Record<string, HostFunction>} hostApi functions for the `extism:host/user` module.
   */
  async instantiate(createPlugin, module, hostApi) {
    try {
      await this.#create(createPlugin, module, hostApi);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new Error(
        this.#startError === null
          ? `the module could not be instantiated: ${why}`
          : `the module's start function failed: ${this.#startError} (${why})`,
      );
    }
  }

  /**
   * @param {typeof import('@extism/extism').createPlugin} createPlugin
   * @param {WebAssembly.Module} module
   * @param {Record<string, HostFunction>} hostApi
   */
  async #create(createPlugin, module, hostApi) {
    const plugin = await createPlugin(
      { wasm: [{ module }] },
      {
        useWasi: false,
        runInWorker: false,
        allowedHosts: [],
        allowedPaths: {},
        config: {},
        enableWasiOutput: false,
        logger: /** @type {Console} */ (/** @type {unknown} */ (this.#logger)),
        fetch: () => Promise.reject(new Error('network access is not available to plugins')),
        // A fresh object per instance: Extism binds these to this instance's context.
        functions: { 'extism:host/env': this.#kernelOverrides(), 'extism:host/user': { ...hostApi } },
      },
    );
    const context = this.#context;
    if (!context)
      throw new Error('unsupported @extism/extism version: host functions were not bound to a context');
    const proto = Object.getPrototypeOf(context);
    const steps = {
      begin: symbolNamed(proto, 'begin'),
      end: symbolNamed(proto, 'end'),
      store: symbolNamed(proto, 'store-value'),
      getBlock: symbolNamed(proto, 'get-block'),
    };
    for (const [name, symbol] of Object.entries(steps)) {
      if (!symbol || typeof context[symbol] !== 'function') {
        throw new Error(`unsupported @extism/extism version: the call context has no "${name}" step`);
      }
    }
    if (!['free', 'output_set', 'error_set'].every((name) => typeof this.#originals[name] === 'function')) {
      throw new Error('unsupported @extism/extism version: kernel functions not found on the call context');
    }
    this.#steps = /** @type {{ begin: symbol, end: symbol, store: symbol, getBlock: symbol }} */ (steps);
    this.#plugin = plugin;
    this.#exports = (await plugin.getInstance()).exports;
  }

  /**
   * Runs the exported function `handler` with `input` as its Extism input.
   * @param {string} handler
   * @param {Uint8Array} input
   * @returns {CallOutcome}
   */
  call(handler, input) {
    const fn = Object.hasOwn(this.#exports, handler) ? this.#exports[handler] : undefined;
    if (typeof fn !== 'function') return { kind: 'unknown_handler' };
    const context = this.#context;
    const steps = /** @type {NonNullable<typeof this.#steps>} */ (this.#steps);
    const inputIndex = context[steps.store](exact(input));
    this.#track(inputIndex, input.byteLength);
    this.#outputLength = -1;
    context[steps.begin](inputIndex);
    /** @type {unknown} */
    let thrown = null;
    let rc = 0;
    this.#inCall = true;
    try {
      rc = Number(fn());
    } catch (err) {
      thrown = err;
    } finally {
      this.#inCall = false;
    }
    const [errorIndex, outputIndex] = context[steps.end]();
    const errorText = errorIndex === null ? null : this.#blockText(errorIndex);
    if (thrown !== null) {
      const what =
        thrown instanceof ExtismMemoryLimitError
          ? thrown.message
          : `trapped: ${thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown)}`;
      return { kind: 'trapped', message: errorText ? `${what} (${errorText})` : what };
    }
    if (errorIndex !== null || rc !== 0) {
      return { kind: 'failed', rc, message: errorText ?? 'no error message was set' };
    }
    if (outputIndex === null) return { kind: 'ok', output: null };
    const block = new Uint8Array(context[steps.getBlock](outputIndex).buffer);
    const length =
      this.#outputLength >= 0 ? Math.min(this.#outputLength, block.byteLength) : block.byteLength;
    return { kind: 'ok', output: block.subarray(0, length) };
  }

  /**
   * Reads a block the plugin passed to a host function.
   * @param {bigint} address
   * @returns {Uint8Array | null}
   */
  read(address) {
    // The block itself rather than Extism's `read`, which wraps it in a new PluginOutput (a DataView) each time.
    const steps = this.#steps;
    if (steps === null) return null;
    try {
      const block = this.#context[steps.getBlock](blockIndex(address));
      return block ? new Uint8Array(block.buffer) : null;
    } catch {
      // No such block.
      return null;
    }
  }

  /**
   * Stores bytes for the plugin to read (a host reply), within the budget.
   * @param {Uint8Array} bytes
   * @returns {bigint | null} the block's address, or null when the budget does not allow it.
   */
  store(bytes) {
    if (this.#used + bytes.byteLength > this.#budget) return null;
    const address = this.#context.store(exact(bytes));
    const index = blockIndex(address);
    this.#track(index, bytes.byteLength);
    return index < MAX_BLOCKS ? address : null;
  }

  /** Drops every block of the finished call (Extism's `reset`) and the budget with them. */
  reset() {
    this.#plugin?.reset();
    this.#used = 0;
    this.#charged.clear();
  }

  /** Bytes of Extism memory held now (for tests and diagnostics). */
  get memoryUsed() {
    return this.#used;
  }

  /**
   * @param {number} index
   * @param {number} bytes
   */
  #track(index, bytes) {
    this.#used += bytes;
    this.#charged.set(index, (this.#charged.get(index) ?? 0) + bytes);
  }

  /** @param {number} index */
  #blockText(index) {
    if (this.#steps === null) return null;
    try {
      const block = this.#context[this.#steps.getBlock](index);
      return decoder.decode(block.buffer);
    } catch {
      return null;
    }
  }

  /**
   * Extism links host functions with `fn.bind(null, context)`. Ours answer that bind themselves: they keep the
   * context (and, before any override is installed, a copy of Extism's own kernel functions) and return a
   * function closed over it.
   * @param {(context: any, ...args: any[]) => unknown} implementation
   */
  #withContext(implementation) {
    const fn = (/** @type {any} */ context, /** @type {any[]} */ ...args) => implementation(context, ...args);
    fn.bind = (/** @type {unknown} */ _this, /** @type {any} */ context) => {
      if (!this.#context) {
        this.#context = context;
        const env = symbolNamed(context, 'env');
        if (env) this.#originals = { ...context[env] };
      }
      return (/** @type {any[]} */ ...args) => implementation(context, ...args);
    };
    return fn;
  }

  #kernelOverrides() {
    const logLine = (/** @type {keyof PluginLogger} */ level) =>
      this.#withContext((context, /** @type {bigint} */ address) => {
        const bytes = context.read(address);
        this.#logger[level](bytes ? bytes.text() : '');
      });
    return {
      alloc: this.#withContext((context, /** @type {bigint} */ size) => {
        const bytes = Number(size);
        if (this.#used + bytes > this.#budget) {
          throw new ExtismMemoryLimitError(
            `the plugin tried to hold more than ${this.#budget} bytes of Extism memory ` +
              `(${this.#used} in use, ${bytes} more requested); free blocks it no longer needs`,
          );
        }
        const address = context.alloc(size);
        const index = blockIndex(address);
        this.#track(index, bytes);
        if (index >= MAX_BLOCKS) {
          throw new ExtismMemoryLimitError(
            `the plugin allocated more than ${MAX_BLOCKS} Extism blocks in one call; free is not enough, ` +
              'Extism reclaims blocks only when the call ends: allocate fewer, larger blocks',
          );
        }
        return address;
      }),
      free: this.#withContext((_context, /** @type {bigint} */ address) => {
        const index = blockIndex(address);
        const charged = this.#charged.get(index);
        if (charged !== undefined) {
          this.#used -= charged;
          this.#charged.delete(index);
        }
        this.#originals.free?.(address);
      }),
      // Outside a call (in the start function) Extism 1.0.3 has nowhere to put the error and would throw;
      // keep the text for the load error instead.
      error_set: this.#withContext((context, /** @type {bigint} */ address) => {
        if (this.#inCall) return this.#originals.error_set?.(address);
        this.#startError = context.read(address)?.text() ?? null;
      }),
      output_set: this.#withContext(
        (_context, /** @type {bigint} */ address, /** @type {bigint} */ length) => {
          this.#outputLength = Number(length);
          return this.#originals.output_set?.(address, length);
        },
      ),
      // Extism 1.0.3 lacks these two; newer PDKs import them.
      log_trace: logLine('trace'),
      // Extism's levels run from 0 (trace) to 4 (error). Everything is passed on (the kernel filters what it
      // keeps); the per-invocation line cap bounds the volume.
      get_log_level: this.#withContext(() => 0),
    };
  }
}
