/**
 * A minimal npm registry on loopback for the `@goatflow` scope, so a test can install our packages the way a plugin
 * developer does (`npx`, `npm install`) although they are not on npmjs.org — and CI reaches only that registry.
 * Each workspace package is packed with `npm pack`, exactly what `npm publish` would upload, and served with a
 * packument (GET `/@goatflow%2f<name>`) and its tarball; everything else keeps coming from the default registry.
 *
 * Every registry gets a fresh random path prefix: npm caches packuments and `npx` reuses its install of a package
 * whose tarball URL did not change, so a new URL per run is what makes a rebuilt SDK reach the test instead of last
 * run's copy. Tarballs are cached by integrity, which changes with their contents.
 * @module
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCOPE = '@goatflow';

/** A package the registry serves. */
export interface PublishedPackage {
  /** `@goatflow/sdk` */
  name: string;
  version: string;
  /** The packed .tgz on disk. */
  tarball: string;
  /** The URL npm downloads it from. */
  url: string;
  /** SHA-512 subresource integrity (`sha512-…`) of the .tgz. */
  integrity: string;
  /** SHA-1 hex of the .tgz (the packument's legacy `shasum`). */
  shasum: string;
}

export interface LocalRegistry {
  /** The registry URL, with a trailing slash, for `@goatflow:registry=`. */
  url: string;
  packages: PublishedPackage[];
  /** Paths asked for, in order (without the random prefix): what npm fetched from here. */
  requests: string[];
  /**
   * The contents of an `.npmrc` that takes `@goatflow` packages from this registry and everything else from the
   * default registry, preferring npm's cache (CI's `npm ci` filled it) over the network.
   */
  npmrc(): string;
  stop(): Promise<void>;
}

export interface LocalRegistryOptions {
  /** Workspace folders to publish, e.g. `['sdk', 'kernel', 'web']`; each must be a `@goatflow/…` package. */
  packages: string[];
}

/** What vitest puts into `process.env` of its workers (besides `VITEST*`). */
const VITEST_SET = ['TEST', 'NODE_ENV', 'DEV', 'PROD', 'SSR', 'MODE', 'BASE_URL', 'VITE_NAME'];

/**
 * The environment for npm and the commands a developer would type, without what this process inherited from
 * npm or vitest: under `npm test`, npm exports `npm_config_*` (its prefix, userconfig, cache…) which would point
 * a child npm at the repository, and vitest's variables would confuse a nested vitest.
 */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (/^(npm_|NPM_CONFIG_)|^VITEST|^__VITEST/i.test(key)) continue;
    if (VITEST_SET.includes(key) || ['INIT_CWD', 'NODE_OPTIONS', 'DATABASE_URL'].includes(key)) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/** Packs the packages and serves them; stop() closes the server and deletes the tarballs. */
export async function startLocalRegistry(options: LocalRegistryOptions): Promise<LocalRegistry> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goatflow-registry-'));
  const prefix = `/${randomBytes(8).toString('hex')}/`;
  const requests: string[] = [];
  let packed: Awaited<ReturnType<typeof pack>>[];
  try {
    // Built one after the other (two builds at once would only fight over two cores), packed side by side.
    for (const name of options.packages) await prepare(name);
    packed = await Promise.all(options.packages.map((name) => pack(name, dir)));
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const packuments = new Map<string, object>();
  const tarballs = new Map<string, string>();

  const server = http.createServer((req, res) => {
    const raw = req.url ?? '';
    if (req.method !== 'GET' || !raw.startsWith(prefix)) return notFound(res);
    const rest = decodeURIComponent(raw.slice(prefix.length).split('?')[0]!);
    requests.push(rest);
    const packument = packuments.get(rest);
    if (packument) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(packument));
      return;
    }
    const tarball = tarballs.get(rest);
    if (tarball) {
      const bytes = fs.readFileSync(tarball);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
      res.end(bytes);
      return;
    }
    notFound(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`;

  const packages = packed.map(({ manifest, tarball }): PublishedPackage => {
    const bytes = fs.readFileSync(tarball);
    const name = manifest.name as string;
    const version = manifest.version as string;
    const file = `${name}/-/${name.slice(SCOPE.length + 1)}-${version}.tgz`;
    const published: PublishedPackage = {
      name,
      version,
      tarball,
      url: `${url}${file}`,
      integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
      shasum: createHash('sha1').update(bytes).digest('hex'),
    };
    tarballs.set(file, tarball);
    packuments.set(name, {
      _id: name,
      name,
      'dist-tags': { latest: version },
      versions: {
        [version]: {
          ...manifest,
          _id: `${name}@${version}`,
          dist: { tarball: published.url, shasum: published.shasum, integrity: published.integrity },
        },
      },
      time: { [version]: new Date().toISOString() },
    });
    return published;
  });

  return {
    url,
    packages,
    requests,
    npmrc: () =>
      [
        `${SCOPE}:registry=${url}`,
        'prefer-offline=true',
        'fund=false',
        'audit=false',
        'update-notifier=false',
        '',
      ].join('\n'),
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function notFound(res: http.ServerResponse): void {
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: 'Not found' }));
}

/**
 * What a package needs built before it is packed. Packing runs with `--ignore-scripts`: the SDK's `prepack`
 * deletes dist/ before rebuilding it, which would pull the build from under a suite running beside this one, so
 * the build is brought up to date here instead — and skipped when it already is (`npm test` builds both first).
 */
async function prepare(name: string): Promise<void> {
  if (name === 'sdk') {
    const dist = path.join(ROOT, 'sdk', 'dist', 'index.js');
    if (isStale(dist, [path.join(ROOT, 'sdk', 'src')])) {
      await run(process.execPath, [
        path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
        '-p',
        'sdk/tsconfig.build.json',
      ]);
    }
  } else if (name === 'web') {
    const index = path.join(ROOT, 'web', 'dist', 'index.html');
    if (isStale(index, [path.join(ROOT, 'web', 'src'), path.join(ROOT, 'web', 'index.html')])) {
      await run(process.execPath, [
        path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
        'build',
        '--logLevel',
        'warn',
        'web',
      ]);
    }
  }
}

/** True when `output` is missing or older than any non-test file under `inputs`. */
function isStale(output: string, inputs: string[]): boolean {
  if (!fs.existsSync(output)) return true;
  const built = fs.statSync(output).mtimeMs;
  const newer = (p: string): boolean => {
    const stat = fs.statSync(p);
    if (stat.isFile()) return !/\.test\.ts$/.test(p) && stat.mtimeMs > built;
    return fs.readdirSync(p).some((entry) => newer(path.join(p, entry)));
  };
  return inputs.some((p) => fs.existsSync(p) && newer(p));
}

/** Runs a program to completion (without blocking the event loop: a kernel may be starting beside it). */
function run(cmd: string, args: string[], cwd = ROOT): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, env: cleanEnv(), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const how = error.signal ?? `exit ${error.code}`;
      reject(
        new Error(
          `${[path.basename(cmd), ...args].join(' ')} (in ${cwd}) failed (${how}):\n${stdout}${stderr}`,
        ),
      );
    });
  });
}

/** `npm pack` of one workspace folder into `dir`; answers its package.json and the .tgz. */
async function pack(
  name: string,
  dir: string,
): Promise<{ manifest: Record<string, unknown>; tarball: string }> {
  const cwd = path.join(ROOT, name);
  const manifest = JSON.parse(fs.readFileSync(path.join(cwd, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  if (typeof manifest.name !== 'string' || !manifest.name.startsWith(`${SCOPE}/`)) {
    throw new Error(`${cwd}/package.json is not a ${SCOPE} package`);
  }
  // --pack-destination keeps the .tgz out of the repository; pack never touches node_modules or the lockfile.
  const out = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], cwd);
  const [result] = JSON.parse(out.slice(out.indexOf('['))) as { filename: string }[];
  if (!result) throw new Error(`npm pack in ${cwd} reported no package`);
  return { manifest, tarball: path.join(dir, result.filename) };
}
