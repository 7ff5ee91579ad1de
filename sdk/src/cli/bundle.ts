/**
 * esbuild, set up the ways the CLI bundles: the definition (to import it at build time), a gRPC plugin's program
 * (one self-contained file the kernel runs without node_modules) and widgets (browser modules with Lit inlined).
 * @module
 */
import { type BuildOptions, build, formatMessages, type Message } from 'esbuild';
import { CliError } from './io.js';

/**
 * The `--conditions` (`-C`) this Node.js process was started with, so that a bundle resolves packages the way
 * the running CLI does: inside the GoatFlow repository the CLI runs with `--conditions=@goatflow/source` and
 * bundles the SDK from its sources; an installed CLI has none and bundles the SDK's compiled files.
 */
export function nodeConditions(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS ?? '',
): string[] {
  const args = [...execArgv, ...nodeOptions.split(/\s+/).filter(Boolean)];
  const conditions: string[] = [];
  args.forEach((arg, i) => {
    const inline = /^(?:--conditions|-C)=(.+)$/.exec(arg);
    if (inline) conditions.push(inline[1]!);
    else if ((arg === '--conditions' || arg === '-C') && args[i + 1]) conditions.push(args[i + 1]!);
  });
  return [...new Set(conditions)];
}

/**
 * Makes `require`, `__filename` and `__dirname` work in an ES module bundle: CommonJS packages inlined into it
 * (`@grpc/grpc-js` among them) call `require('node:…')` for built-ins and some read `__dirname`. The banner
 * declares them under names no bundled module uses, and {@link NODE_ESM_DEFINE} points the free (global) uses
 * at those names: declaring `__dirname` itself would clash with an ES module that declares its own.
 */
export const NODE_ESM_BANNER = [
  "import { createRequire as __goatflowCreateRequire } from 'node:module';",
  "import { fileURLToPath as __goatflowFileURLToPath } from 'node:url';",
  "import { dirname as __goatflowPathDirname } from 'node:path';",
  'const require = __goatflowCreateRequire(import.meta.url);',
  'const __goatflowFilename = __goatflowFileURLToPath(import.meta.url);',
  'const __goatflowDirname = __goatflowPathDirname(__goatflowFilename);',
].join('\n');

/** See {@link NODE_ESM_BANNER}; esbuild's `define` replaces only unbound identifiers. */
export const NODE_ESM_DEFINE: Record<string, string> = {
  __filename: '__goatflowFilename',
  __dirname: '__goatflowDirname',
};

async function describeFailure(what: string, errors: Message[]): Promise<CliError> {
  const text = (await formatMessages(errors, { kind: 'error', color: false })).join('').trim();
  return new CliError(`${what} failed:\n${text}`, 'fix the errors above and build again');
}

/**
 * Runs esbuild with `options`; a failure becomes a {@link CliError} with esbuild's messages (file, line, what).
 * @param what - names the bundle in the error, e.g. "bundling src/main.ts"
 */
export async function bundle(
  what: string,
  options: BuildOptions,
): Promise<Awaited<ReturnType<typeof build>>> {
  try {
    return await build({ logLevel: 'silent', ...options });
  } catch (err) {
    const errors = (err as { errors?: Message[] }).errors;
    if (Array.isArray(errors) && errors.length > 0) throw await describeFailure(what, errors);
    throw err;
  }
}
