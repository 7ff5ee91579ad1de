/**
 * `startTestKernel()`: a real GoatFlow kernel for a plugin's tests — its own process, an embedded database in a
 * temporary folder, the plugins under test loaded in their real runtimes, and users to call their routes as.
 * @module
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ApiPluginStatus } from '../api-types.js';
import { TestClient } from './api-client.js';
import { linkPlugins } from './plugin-folders.js';
import { seedUsers, setUpPlugin, type TestUser } from './setup.js';
import { type KernelProcess, resolveKernel, spawnKernel } from './spawn-kernel.js';

/** The users a test kernel has when {@link StartTestKernelOptions.users} is not given. */
export const DEFAULT_TEST_USERS: readonly TestUser[] = [
  { login: 'agent', type: 'agent' },
  { login: 'customer', type: 'customer' },
];

/** What {@link startTestKernel} starts. */
export interface StartTestKernelOptions {
  /**
   * The folders of the plugins under test (each with its built `goatflow-plugin.json`). Default: the plugin
   * project at `cwd`, when it has a manifest.
   */
  plugins?: string[];
  /** The plugin project: where `@goatflow/kernel` is looked up. Default: `process.cwd()`. */
  cwd?: string;
  /** The folder of the `@goatflow/kernel` package to run, instead of looking it up from `cwd`. */
  kernelPackage?: string;
  /** Users to create (the `admin` account always exists). Default: {@link DEFAULT_TEST_USERS}. */
  users?: TestUser[];
  /** Settings to save for a plugin before it is enabled, by plugin id. */
  settings?: Record<string, Record<string, unknown>>;
  /** Enable the plugins under test (after granting them what they ask for). Default: true. */
  enable?: boolean;
  /** More environment variables for the kernel, e.g. `{ GOATFLOW_SMTP_URL: … }`; they override the defaults. */
  env?: Record<string, string>;
  /** How long the kernel may take to start (a busy CI machine can need a minute). Default: 120 seconds. */
  startTimeoutMs?: number;
  /**
   * The first-party plugins to start with the kernel, by id, e.g. `['tickets']` for a plugin that reads the
   * tickets plugin's views (the kernel's `GOATFLOW_CORE_PLUGINS`). They are enabled with what they ask for.
   * Default: `[]`, none, so the kernel starts quickly.
   */
  corePlugins?: string[];
}

/** A running test kernel. Call {@link TestKernel.stop} when done (an `afterAll`). */
export interface TestKernel {
  /** Its base URL, e.g. `http://127.0.0.1:39417`. */
  readonly url: string;
  /** A client signed in as the administrator. */
  readonly admin: TestClient;
  /** The ids of the plugins under test. */
  readonly plugins: readonly string[];
  /** Its temporary data folder (the embedded database); removed by {@link TestKernel.stop}. */
  readonly dataDir: string;
  /** Its temporary plugin folder (links to the plugins under test); removed by {@link TestKernel.stop}. */
  readonly pluginDir: string;
  /** A client signed in as a seeded user (or `admin`); the same client for the same login. */
  as(login: string): TestClient;
  /** A client signed in as nobody, for public routes and for checking that others are refused. */
  anonymous(): TestClient;
  /** A plugin's status as the admin API reports it (state, health, grants, issues, last error). */
  plugin(id: string): Promise<ApiPluginStatus>;
  /**
   * Reloads a plugin from its folder — after rebuilding it — without restarting the kernel, and answers its
   * status: `enabled` when the new version runs, `failed` with `lastError` and `issues` when it does not.
   */
  reload(id: string): Promise<ApiPluginStatus>;
  /** What the kernel wrote to its stdout and stderr so far (JSON log lines). */
  logs(): string;
  /** Stops the kernel (SIGTERM, then waits) and removes its temporary folders. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts a real GoatFlow kernel for a plugin's tests and loads the plugins under test into it.
 *
 * The kernel runs as its own process — `node --import tsx <@goatflow/kernel>/src/main.ts`, with
 * `@goatflow/kernel` resolved from the plugin project — on a free loopback port, with an embedded PostgreSQL
 * (PGlite) in a temporary data folder, so tests need no database server. Its output is captured, not printed
 * ({@link TestKernel.logs}); it is shown in the error when the start fails. `DATABASE_URL` and `GOATFLOW_*`
 * variables of the test process are not passed on (give them in `env` to use them).
 *
 * The plugins are put in a temporary `GOATFLOW_PLUGIN_DIR` as links to their folders. The kernel treats
 * plugins found there as third-party: installed but not enabled, with nothing granted. So this function then,
 * through the admin API, grants each plugin exactly what its manifest asks for, saves the given settings and
 * enables it, and fails — with the plugin's status and its last log lines — when it does not start. It creates
 * the users (an `agent` and a `customer` unless told otherwise), each with a client from {@link TestKernel.as}.
 *
 * ```ts
 * import { startTestKernel, type TestKernel } from '@goatflow/sdk/testing';
 * let kernel: TestKernel;
 * beforeAll(async () => { kernel = await startTestKernel(); }, 180_000);
 * afterAll(() => kernel?.stop());
 * it('greets', async () => {
 *   const res = await kernel.as('agent').get('/api/plugins/my-plugin/greeting');
 *   expect(res.status).toBe(200);
 * });
 * ```
 */
export async function startTestKernel(options: StartTestKernelOptions = {}): Promise<TestKernel> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const program = resolveKernel(cwd, options.kernelPackage);
  const pluginDirs = options.plugins ?? (fs.existsSync(path.join(cwd, 'goatflow-plugin.json')) ? [cwd] : []);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'goatflow-test-kernel-'));
  const dataDir = path.join(root, 'data');
  const pluginDir = path.join(root, 'plugins');
  fs.mkdirSync(dataDir);
  fs.mkdirSync(pluginDir);
  let kernel: KernelProcess | undefined;
  // A test process that ends without stop() (a crash, a forgotten afterAll) still leaves nothing behind.
  const onExit = () => {
    kernel?.kill();
    fs.rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  const cleanUp = async () => {
    process.off('exit', onExit);
    await kernel?.stop();
    await fs.promises.rm(root, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    const plugins = await linkPlugins(pluginDirs, pluginDir);
    const adminPassword = randomPassword();
    kernel = await spawnKernel({
      program,
      env: kernelEnv(options.env, {
        dataDir,
        pluginDir,
        adminPassword,
        corePlugins: options.corePlugins ?? [],
      }),
      timeoutMs: options.startTimeoutMs ?? 120_000,
    });
    const started = kernel;
    const admin = new TestClient(started.url, { login: 'admin', password: adminPassword });
    for (const p of plugins) {
      const settings = options.settings?.[p.id];
      await setUpPlugin(admin, p.id, p.dir, {
        enable: options.enable ?? true,
        ...(settings ? { settings } : {}),
      });
    }
    const users = (options.users ?? DEFAULT_TEST_USERS).map((u) => ({
      ...u,
      password: u.password ?? randomPassword(),
    }));
    await seedUsers(admin, users);
    const clients = new Map<string, TestClient>([['admin', admin]]);
    let stopping: Promise<void> | undefined;
    return {
      url: started.url,
      admin,
      plugins: plugins.map((p) => p.id),
      dataDir,
      pluginDir,
      as(login) {
        let client = clients.get(login);
        if (!client) {
          const user = users.find((u) => u.login === login);
          if (!user) {
            const known = ['admin', ...users.map((u) => u.login)].join(', ');
            throw new Error(`no test user "${login}": the test kernel has ${known} (see the users option)`);
          }
          client = new TestClient(started.url, { login, password: user.password });
          clients.set(login, client);
        }
        return client;
      },
      anonymous: () => new TestClient(started.url),
      plugin: async (id) => expectStatus(await admin.get(pluginPath(id)), `reading the status of ${id}`),
      reload: async (id) => expectStatus(await admin.post(`${pluginPath(id)}/reload`), `reloading ${id}`),
      logs: () => started.output(),
      stop() {
        stopping ??= cleanUp();
        return stopping;
      },
    };
  } catch (err) {
    await cleanUp().catch(() => {});
    throw err;
  }
}

/** The kernel's environment: the test process's, without its database and GoatFlow settings, then ours. */
function kernelEnv(
  extra: Record<string, string> | undefined,
  run: { dataDir: string; pluginDir: string; adminPassword: string; corePlugins: string[] },
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== 'DATABASE_URL' && !key.startsWith('GOATFLOW_')) env[key] = value;
  }
  return {
    ...env,
    PORT: '0',
    HOST: '127.0.0.1',
    GOATFLOW_DATA_DIR: run.dataDir,
    GOATFLOW_PLUGIN_DIR: run.pluginDir,
    GOATFLOW_ADMIN_PASSWORD: run.adminPassword,
    GOATFLOW_DB_POOL_SIZE: '4',
    GOATFLOW_SHUTDOWN_TIMEOUT_SECONDS: '2',
    GOATFLOW_CORE_PLUGINS: run.corePlugins.length ? run.corePlugins.join(',') : 'none',
    ...extra,
    // The "listening" line, which tells the port the kernel was given, is logged at `info`: no quieter level.
    GOATFLOW_LOG_LEVEL:
      extra?.GOATFLOW_LOG_LEVEL === 'debug' || extra?.GOATFLOW_LOG_LEVEL === 'trace'
        ? extra.GOATFLOW_LOG_LEVEL
        : 'info',
  };
}

function pluginPath(id: string): string {
  return `/api/admin/plugins/${encodeURIComponent(id)}`;
}

function expectStatus(res: { status: number; body: unknown }, what: string): ApiPluginStatus {
  if (res.status !== 200) throw new Error(`${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as ApiPluginStatus;
}

function randomPassword(): string {
  return randomBytes(18).toString('base64url');
}
