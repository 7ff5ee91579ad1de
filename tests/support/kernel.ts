/**
 * Starts a real kernel in this process for a test: real HTTP server on a free loopback port, real database,
 * silent logs. Environment overrides are given as the variables an operator would set.
 * @module
 */
import { createLogger, type Kernel, loadConfig, startKernel } from '@goatflow/kernel';
import { ApiClient } from './http-client.js';

export const ADMIN_PASSWORD = 'admin-test-password';

export interface TestKernelOptions {
  /** postgres:// URL of the database; omit to let the kernel start its embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  dataDir?: string;
  env?: Record<string, string>;
  /**
   * The first-party plugins (plugins-core) to start, by id (GOATFLOW_CORE_PLUGINS). Default: none, so the many
   * kernels the tests start pay nothing for plugins they do not test.
   */
  corePlugins?: string[];
}

export async function startTestKernel(options: TestKernelOptions = {}): Promise<Kernel> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    GOATFLOW_ADMIN_PASSWORD: ADMIN_PASSWORD,
    GOATFLOW_DB_POOL_SIZE: '4',
    GOATFLOW_SHUTDOWN_TIMEOUT_SECONDS: '2',
    GOATFLOW_CORE_PLUGINS: options.corePlugins?.length ? options.corePlugins.join(',') : 'none',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...(options.dataDir ? { GOATFLOW_DATA_DIR: options.dataDir } : {}),
    ...options.env,
  });
  const kernel = await startKernel(config, { logger: createLogger('silent') });
  return { ...kernel, url: `http://127.0.0.1:${kernel.port}` } as Kernel;
}

/** A client signed in as the admin. */
export async function adminClient(kernel: Kernel): Promise<ApiClient> {
  const client = new ApiClient(kernel.url);
  const res = await client.login('admin', ADMIN_PASSWORD);
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return client;
}

/** Creates a user through the admin API and returns a client signed in as them. */
export async function userClient(
  kernel: Kernel,
  admin: ApiClient,
  user: { login: string; type?: 'agent' | 'customer'; password?: string },
): Promise<{ client: ApiClient; id: number }> {
  const password = user.password ?? 'user-test-password';
  const created = await admin.post('/api/admin/users', {
    login: user.login,
    type: user.type ?? 'agent',
    firstName: 'Test',
    lastName: user.login,
    email: `${user.login.replace(/@.*/, '')}@example.com`,
    password,
  });
  if (created.status !== 201)
    throw new Error(`create user failed: ${created.status} ${JSON.stringify(created.body)}`);
  const client = new ApiClient(kernel.url);
  const res = await client.login(user.login, password);
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  return { client, id: created.body.id };
}
