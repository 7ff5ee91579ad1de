/**
 * `@goatflow/sdk` as it is published: `npm pack` in sdk/ yields ESM with type declarations, the AssemblyScript
 * sources, the proto and the manifest's JSON Schema, README and LICENSE, and no tests or TypeScript sources; it
 * depends on nothing of the kernel or the web shell; installed from the tarball into a folder outside the
 * repository, its entry points load in plain Node (no tsx) and type-check in a consumer's TypeScript project.
 * Beside that, the repository's own tooling resolves the package to its sources (the `@goatflow/source` export
 * condition), so that kernel, web and tests never need a build of the SDK to see a change in it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sdkDir = path.join(root, 'sdk');
const SOURCE_CONDITION = '@goatflow/source';

interface PackageJson {
  name: string;
  version: string;
  exports: Record<string, string | Record<string, string>>;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
const pkg = JSON.parse(fs.readFileSync(path.join(sdkDir, 'package.json'), 'utf8')) as PackageJson;

/** The entry points compiled from src/ whose source exists (some are written alongside this test). */
const compiledEntries = Object.entries(pkg.exports).flatMap(([subpath, target]) =>
  typeof target === 'object' && fs.existsSync(path.join(sdkDir, target[SOURCE_CONDITION]!))
    ? [{ subpath, types: target.types!, js: target.default! }]
    : [],
);
const hasCli = fs.existsSync(path.join(sdkDir, 'src', 'cli', 'main.ts'));

/**
 * The environment of the npm and node processes: without what an enclosing `npm test` adds about this workspace
 * (its prefix, package and script, which would point npm back at the repository) or NODE_OPTIONS, which could add
 * the in-repo export condition. npm's own settings from the environment (its cache, registry) stay.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const local =
    /^(npm_config_local_prefix|npm_config_workspaces?|npm_package_.*|npm_lifecycle_.*|npm_command|init_cwd|node_options)$/i;
  for (const [key, value] of Object.entries(process.env)) if (!local.test(key)) env[key] = value;
  return env;
}

/** Every file under `dir` (recursively), with its modification time. */
function filesOf(dir: string): { file: string; mtimeMs: number }[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).flatMap((e) => {
    if (!e.isFile()) return [];
    const file = path.join(e.parentPath, e.name);
    return [{ file, mtimeMs: fs.statSync(file).mtimeMs }];
  });
}

/** Whether every file of sdk/dist is newer than every source it is built from. */
function distIsFresh(): boolean {
  const built = filesOf(path.join(sdkDir, 'dist'));
  const sources = [
    ...filesOf(path.join(sdkDir, 'src')),
    ...['package.json', 'tsconfig.json', 'tsconfig.build.json'].map((f) => ({
      file: f,
      mtimeMs: fs.statSync(path.join(sdkDir, f)).mtimeMs,
    })),
  ];
  return (
    built.length > 0 && Math.min(...built.map((f) => f.mtimeMs)) > Math.max(...sources.map((f) => f.mtimeMs))
  );
}

describe('the packed @goatflow/sdk', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'goatflow-sdk-package-'));
  const consumer = path.join(tmp, 'consumer');
  let files: string[] = [];
  let tarball = '';

  beforeAll(async () => {
    // Built unless sdk/dist is newer than every source (`npm test` has just built it). The build writes over
    // sdk/dist in place (no clean), so gRPC plugin processes of suites running meanwhile, which import the SDK
    // from dist, never find it missing; for the same reason the pack skips the prepack script, which cleans.
    if (!distIsFresh()) {
      const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
      await run(process.execPath, [tsc, '-p', 'sdk/tsconfig.build.json'], { cwd: root });
    }
    const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], {
      cwd: sdkDir,
      env: cleanEnv(),
    });
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    files = packed!.files.map((f) => f.path).sort();
    tarball = path.join(tmp, packed!.filename);

    // A project of a plugin developer, outside the repository: npm's cache has the dependencies.
    fs.mkdirSync(consumer);
    fs.writeFileSync(
      path.join(consumer, 'package.json'),
      JSON.stringify({ name: 'sdk-consumer', version: '1.0.0', private: true, type: 'module' }),
    );
    await run(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball],
      {
        cwd: consumer,
        env: cleanEnv(),
      },
    );
  }, 180_000);

  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('holds the build, the AssemblyScript sources, proto, schema, README and LICENSE', () => {
    for (const file of ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts']) {
      expect(files).toContain(file);
    }
    expect(files).toContain('dist/grpc/index.js');
    expect(files).toContain('dist/grpc/index.d.ts');
    for (const entry of compiledEntries) {
      expect(files, entry.subpath).toContain(entry.js.replace(/^\.\//, ''));
      expect(files, entry.subpath).toContain(entry.types.replace(/^\.\//, ''));
    }
    if (hasCli) expect(files).toContain('dist/cli/main.js');
    expect(files).toContain('assembly/index.ts');
    expect(files).toContain('assembly/abort.ts');
    expect(files.some((f) => f.startsWith('proto/') && f.endsWith('.proto'))).toBe(true);
    expect(files).toContain('schema/goatflow-plugin.schema.json');
  });

  it('leaves out the tests and the TypeScript sources', () => {
    // templates/ is what `goatflow-plugin new` writes, a scaffold's own test included.
    expect(
      files.filter((f) => !f.startsWith('templates/') && /\.test\.|\.test-|(^|\/)__tests__\//.test(f)),
    ).toEqual([]);
    expect(files.filter((f) => f.startsWith('src/'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.tsbuildinfo'))).toEqual([]);
  });

  it('depends on nothing of the kernel or the web shell', () => {
    const installed = JSON.parse(
      fs.readFileSync(path.join(consumer, 'node_modules', '@goatflow', 'sdk', 'package.json'), 'utf8'),
    ) as PackageJson;
    const dependencies = Object.keys({
      ...installed.dependencies,
      ...installed.peerDependencies,
      ...installed.optionalDependencies,
    });
    expect(dependencies.filter((d) => d.startsWith('@goatflow/'))).toEqual([]);
    expect(installed).not.toHaveProperty('private');

    const forbidden = /(?:from\s*|import\s*\(\s*)['"]@goatflow\/(?:kernel|web)(?:\/[^'"]*)?['"]/;
    const offenders = files.filter(
      (f) =>
        f.startsWith('dist/') &&
        forbidden.test(fs.readFileSync(path.join(consumer, 'node_modules', '@goatflow', 'sdk', f), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });

  it('loads in plain Node, without tsx', async () => {
    const script = [
      "const sdk = await import('@goatflow/sdk');",
      "const grpc = await import('@goatflow/sdk/grpc');",
      'const kinds = (m) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, typeof v]));',
      'console.log(JSON.stringify({ sdk: kinds(sdk), grpc: kinds(grpc) }));',
    ].join('\n');
    const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', script], {
      cwd: consumer,
      env: cleanEnv(),
    });
    const loaded = JSON.parse(stdout) as Record<'sdk' | 'grpc', Record<string, string>>;
    expect(loaded.sdk).toMatchObject({
      validateManifest: 'function',
      manifestSchema: 'object',
      PLUGIN_STATES: 'object',
    });
    expect(loaded.grpc).toMatchObject({ serve: 'function', SDK_VERSION: 'string' });
  });

  it.runIf(hasCli)('installs the goatflow-plugin command, runnable by node', () => {
    const bin = path.join(consumer, 'node_modules', '.bin', 'goatflow-plugin');
    expect(fs.existsSync(bin)).toBe(true);
    const main = fs.readFileSync(
      path.join(consumer, 'node_modules', '@goatflow', 'sdk', 'dist', 'cli', 'main.js'),
      'utf8',
    );
    expect(main.split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('type-checks in a consumer project from the declarations', async () => {
    fs.writeFileSync(
      path.join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
          // The consumer has no @types/node of its own; the repository's serves.
          typeRoots: [path.join(root, 'node_modules', '@types')],
        },
        files: ['check.ts'],
      }),
    );
    // `IsAny` catches an import that resolved to nothing (an `any`), which would type-check silently.
    fs.writeFileSync(
      path.join(consumer, 'check.ts'),
      [
        "import { validateManifest } from '@goatflow/sdk';",
        "import { serve } from '@goatflow/sdk/grpc';",
        'type IsAny<T> = 0 extends 1 & T ? true : false;',
        'export const typed: [IsAny<typeof validateManifest>, IsAny<typeof serve>] = [false, false];',
        'export const result: ReturnType<typeof validateManifest> = validateManifest({});',
      ].join('\n'),
    );
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const checked = await run(process.execPath, [tsc, '-p', consumer], {
      cwd: consumer,
      env: cleanEnv(),
    }).then(
      () => '',
      (err: { stdout?: string }) => err.stdout ?? String(err),
    );
    expect(checked).toBe('');
  });
});

describe('@goatflow/sdk inside the repository', () => {
  it('resolves to its TypeScript sources in the tests (as in the kernel and web, same config)', async () => {
    // A mock of the source module only takes effect when the import resolves to that very file.
    vi.doMock(path.join(sdkDir, 'src', 'index.ts'), () => ({ resolvedTo: 'src' }));
    const sdk = (await import('@goatflow/sdk')) as unknown as { resolvedTo?: string };
    expect(sdk.resolvedTo).toBe('src');
    vi.doUnmock(path.join(sdkDir, 'src', 'index.ts'));
  });

  it('resolves to its sources for tsc, with the options of the kernel, web and tests', () => {
    for (const project of ['kernel', 'web', 'tests']) {
      const config = ts.getParsedCommandLineOfConfigFile(
        path.join(root, project, 'tsconfig.json'),
        undefined,
        {
          ...ts.sys,
          onUnRecoverableConfigFileDiagnostic: (d) => {
            throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
          },
        },
      )!;
      const from = path.join(root, project, 'src', 'index.ts');
      for (const specifier of ['@goatflow/sdk', '@goatflow/sdk/grpc']) {
        const resolved = ts.resolveModuleName(specifier, from, config.options, ts.sys).resolvedModule;
        expect(path.relative(root, resolved?.resolvedFileName ?? ''), `${project}: ${specifier}`).toBe(
          specifier === '@goatflow/sdk' ? 'sdk/src/index.ts' : 'sdk/src/grpc/index.ts',
        );
      }
    }
  });
});
