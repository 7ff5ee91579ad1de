/**
 * What a test kernel is given through its admin API before a test runs: the plugins under test granted and
 * enabled, and the users the test signs in as.
 * @module
 */
import type { ApiPluginLogLine, ApiPluginStatus, PermissionKey } from '../api-types.js';
import type { TestClient } from './api-client.js';

/** A user to create in the test kernel. */
export interface TestUser {
  /** The login; `kernel.as(login)` signs in with it. */
  login: string;
  /** Agents work tickets; customers raise them. Plugin routes check this (`auth: 'agent'` / `'customer'`). */
  type: 'agent' | 'customer';
  /** Makes the user an administrator (an agent in the `admin` group); it has no effect on a customer. */
  isAdmin?: boolean;
  /** Groups to put the user in (created when missing), with the `rw` permission; plugins see their names. */
  groups?: string[];
  /** Its password; a random one when omitted. */
  password?: string;
}

/** How long a plugin may take, after it was enabled, to report itself running. */
const RUNNING_TIMEOUT_MS = 10_000;

/**
 * Grants a plugin what its manifest asks for, saves the given settings and (unless `enable` is false) enables
 * it and waits until it runs. Throws with the plugin's status and last log lines when it does not.
 */
export async function setUpPlugin(
  admin: TestClient,
  id: string,
  dir: string,
  options: { settings?: Record<string, unknown>; enable: boolean },
): Promise<ApiPluginStatus> {
  const base = `/api/admin/plugins/${encodeURIComponent(id)}`;
  const found = await admin.get<ApiPluginStatus>(base);
  if (found.status === 404) {
    const all = await admin.get<{ items: ApiPluginStatus[] }>('/api/admin/plugins');
    const ids = all.body?.items?.map((p) => p.id).join(', ') || 'none';
    throw new Error(`the kernel did not find the plugin "${id}" (from ${dir}); it found: ${ids}`);
  }
  expectOk(found, `reading the status of ${id}`);
  if (found.body.issues.length) {
    const issues = found.body.issues.map((i) => `  ${i.path}: ${i.message}`).join('\n');
    throw new Error(`the kernel refused the manifest of ${id} (${dir}):\n${issues}`);
  }
  expectOk(await admin.put(`${base}/grants`, found.body.requested), `granting ${id} what it asks for`);
  if (options.settings)
    expectOk(await admin.put(`${base}/settings`, options.settings), `saving ${id}'s settings`);
  if (!options.enable) return (await admin.get<ApiPluginStatus>(base)).body;
  const enabled = await admin.post<ApiPluginStatus>(`${base}/enable`);
  if (enabled.status !== 200) {
    throw new Error(`${id} could not be enabled: ${message(enabled.body)}${await lastLogLines(admin, base)}`);
  }
  const deadline = Date.now() + RUNNING_TIMEOUT_MS;
  let status = enabled.body;
  while (!isRunning(status)) {
    if (Date.now() > deadline) {
      const health = status.health ? ` (${status.health.state}${errorOf(status.health.lastError)})` : '';
      throw new Error(
        `${id} was enabled but is ${status.state}${health}${errorOf(status.lastError)}${await lastLogLines(admin, base)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
    status = (await admin.get<ApiPluginStatus>(base)).body;
  }
  return status;
}

/** Creates the users (and their groups) through the admin API. */
export async function seedUsers(admin: TestClient, users: readonly (TestUser & { password: string })[]) {
  const groups = new Map<string, number>();
  const listed = await admin.get<{ items: { id: number; name: string }[] }>('/api/admin/groups');
  expectOk(listed, 'listing groups');
  for (const g of listed.body.items) groups.set(g.name, g.id);
  for (const user of users) {
    const created = await admin.post<{ id: number }>('/api/admin/users', {
      login: user.login,
      type: user.type,
      firstName: 'Test',
      lastName: user.login,
      email: `${user.login.replace(/@.*/, '').toLowerCase()}@example.com`,
      password: user.password,
    });
    if (created.status !== 201)
      throw new Error(`creating the user "${user.login}" failed: ${message(created.body)}`);
    const wanted = [...(user.groups ?? []), ...(user.isAdmin ? ['admin'] : [])];
    for (const name of new Set(wanted)) {
      let groupId = groups.get(name);
      if (groupId === undefined) {
        const group = await admin.post<{ id: number }>('/api/admin/groups', { name });
        if (group.status !== 201)
          throw new Error(`creating the group "${name}" failed: ${message(group.body)}`);
        groupId = group.body.id;
        groups.set(name, groupId);
      }
      const permissions: PermissionKey[] = ['rw'];
      const member = await admin.put(`/api/admin/groups/${groupId}/members/${created.body.id}`, {
        permissions,
      });
      expectOk(member, `adding ${user.login} to the group ${name}`);
    }
  }
}

function isRunning(status: ApiPluginStatus): boolean {
  return status.state === 'enabled' && (!status.health || status.health.state === 'running');
}

async function lastLogLines(admin: TestClient, base: string): Promise<string> {
  const res = await admin.get<{ items: ApiPluginLogLine[] }>(`${base}/logs?limit=20`);
  const items = res.status === 200 ? res.body.items : [];
  if (!items.length) return '';
  // The log answers newest first; a reader wants them in the order they happened.
  const lines = [...items].reverse().map((l) => `  ${l.at} ${l.level} ${l.message}`);
  return `\n--- its last log lines ---\n${lines.join('\n')}`;
}

function errorOf(text: string | undefined): string {
  return text ? `: ${text}` : '';
}

function message(body: unknown): string {
  const error = (body as { error?: { message?: unknown } } | undefined)?.error;
  return typeof error?.message === 'string' ? error.message : JSON.stringify(body);
}

function expectOk(res: { status: number; body: unknown }, what: string): void {
  if (res.status !== 200) throw new Error(`${what} failed: ${res.status} ${message(res.body)}`);
}
