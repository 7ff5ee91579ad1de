/**
 * Loading a project's definition (`src/plugin.ts`, `export default definePlugin({...})`) to generate its
 * manifest. This is the one module of the CLI that touches the definePlugin API.
 *
 * The definition is TypeScript and may import the plugin's handlers and their packages, so it is bundled with
 * esbuild (packages left external) into a temporary `.mjs` inside the project's `node_modules/.cache`, where
 * Node.js resolves those packages from the project, and imported. The bundle also re-exports the project's own
 * `buildManifest` and `manifestDrift` (and `openApiDocument` of `@goatflow/sdk/openapi`): the definition's zod
 * schemas then meet the same copy of the SDK (and of zod) that created them, even when the CLI runs from another
 * installation.
 * @module
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type DefinedPlugin,
  isDefinedPlugin,
  buildManifest as ownBuildManifest,
  manifestDrift as ownManifestDrift,
} from '../define/index.js';
import type { PluginManifestInput } from '../manifest/schema.js';
import { type OpenApiDocument, openApiDocument as ownOpenApiDocument } from '../openapi/index.js';
import { bundle, nodeConditions } from './bundle.js';
import { CliError } from './io.js';
import { DEFINITION_FILE, type Project } from './project.js';

/** A project's definition and what it generates. */
export interface LoadedDefinition {
  plugin: DefinedPlugin;
  /** The manifest generated from the definition (without `$schema`). */
  manifest: PluginManifestInput;
  /** How a manifest read from disk differs from the generated one; empty when they agree. */
  drift(manifestOnDisk: unknown): string[];
  /** The OpenAPI document of the routes, for `contributes.openapi`; `undefined` when the plugin has no routes. */
  openApi: OpenApiDocument | undefined;
}

/** The SDK functions the definition's own copy of the SDK provides. */
interface DefinitionSdk {
  buildManifest?: typeof ownBuildManifest;
  manifestDrift?: typeof ownManifestDrift;
  openApiDocument?: typeof ownOpenApiDocument;
}

let counter = 0;

/** Wraps what was defined in-process (tests, or a caller that imported it) like a loaded definition. */
export function definitionOf(plugin: DefinedPlugin, sdk: DefinitionSdk = {}): LoadedDefinition {
  const build = sdk.buildManifest ?? ownBuildManifest;
  const drift = sdk.manifestDrift ?? ownManifestDrift;
  const document = sdk.openApiDocument ?? ownOpenApiDocument;
  let manifest: PluginManifestInput;
  let openApi: OpenApiDocument | undefined;
  try {
    manifest = build(plugin);
    if (manifest.contributes?.openapi)
      openApi = document(plugin, { title: plugin.name, version: plugin.version });
  } catch (err) {
    throw definitionError(err);
  }
  return { plugin, manifest, drift: (onDisk) => drift(plugin, onDisk), openApi };
}

function definitionError(err: unknown): CliError {
  const e = err as Error & { code?: string };
  if (e?.name === 'PluginDefinitionError') {
    return new CliError(
      `${DEFINITION_FILE} does not make a valid manifest: ${e.message}`,
      `fix the fields named above in ${DEFINITION_FILE} (their paths are those of goatflow-plugin.json)`,
    );
  }
  if (e?.name === 'OpenApiBuildError') {
    return new CliError(
      `${DEFINITION_FILE}: ${e.message}`,
      `fix the routes named above in ${DEFINITION_FILE}: each becomes an operation of openapi.json`,
    );
  }
  if (e?.code === 'ERR_MODULE_NOT_FOUND') {
    return new CliError(
      `${DEFINITION_FILE} imports a package that is not installed: ${e.message}`,
      'run npm install in the plugin project',
    );
  }
  return new CliError(
    `${DEFINITION_FILE} failed while loading: ${e?.stack ?? String(err)}`,
    `${DEFINITION_FILE} runs at build time: keep side effects (network, files, timers) out of it and its imports`,
  );
}

/**
 * Bundles and imports `src/plugin.ts` of `project`. Throws a {@link CliError} when it does not compile, fails
 * while loading, or does not export a definition.
 */
export async function loadDefinition(project: Project): Promise<LoadedDefinition> {
  const result = await bundle(`compiling ${DEFINITION_FILE}`, {
    stdin: {
      contents: [
        `export { default } from './${DEFINITION_FILE}';`,
        "export * as __goatflowSdk from '@goatflow/sdk';",
        // Imported only when asked for: an SDK older than its openapi entry still builds the manifest.
        "export const __goatflowOpenApi = () => import('@goatflow/sdk/openapi');",
      ].join('\n'),
      resolveDir: project.dir,
      sourcefile: 'goatflow-plugin-definition.ts',
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    conditions: nodeConditions(),
    write: false,
  });
  const code = result.outputFiles?.[0]?.text ?? '';
  const cacheDir = project.file(path.join('node_modules', '.cache', 'goatflow-plugin'));
  fs.mkdirSync(cacheDir, { recursive: true });
  // A fresh name every time: Node.js caches modules by URL, and `dev` loads changed definitions again.
  const file = path.join(
    cacheDir,
    `definition-${process.pid}-${++counter}-${randomBytes(4).toString('hex')}.mjs`,
  );
  fs.writeFileSync(file, code);
  let loaded: { default?: unknown; __goatflowSdk?: DefinitionSdk };
  let openApiSdk: Pick<DefinitionSdk, 'openApiDocument'> | undefined;
  try {
    loaded = await import(pathToFileURL(file).href);
    const importOpenApi = (loaded as { __goatflowOpenApi?: () => Promise<DefinitionSdk> }).__goatflowOpenApi;
    openApiSdk = await importOpenApi?.().catch(() => undefined);
  } catch (err) {
    throw definitionError(err);
  } finally {
    fs.rmSync(file, { force: true });
  }
  if (!isDefinedPlugin(loaded.default)) {
    throw new CliError(
      `${DEFINITION_FILE} does not export a plugin definition as its default export`,
      `end it with \`export default definePlugin({ ... })\`, definePlugin imported from '@goatflow/sdk'`,
    );
  }
  return definitionOf(loaded.default, {
    ...loaded.__goatflowSdk,
    ...(openApiSdk?.openApiDocument ? { openApiDocument: openApiSdk.openApiDocument } : {}),
  });
}
