/**
 * `@goatflow/sdk/assembly`: write a GoatFlow WASM plugin in AssemblyScript.
 *
 * - {@link readInvocation}, {@link output}, {@link fail}: a handler's input and context, its answer, its error;
 * - `host.db.query(...)`, `host.cache.get(...)` …: the Host API, each call a {@link HostResult};
 * - {@link JsonValue}, {@link parseJson}, {@link jsonObject}, {@link toJson}: JSON, which AssemblyScript lacks.
 *
 * Build with `--runtime incremental --maximumMemory <pages> --use abort=~lib/@goatflow/sdk/assembly/abort/abort`
 * (see the SDK's README). Only what a plugin uses ends up in its module, imports included.
 * @module
 */

// Makes the abort replacement part of every compilation that imports the SDK, which `--use abort=` requires.
import './abort';

export * from './host';
export * from './invocation';
export * from './json';
