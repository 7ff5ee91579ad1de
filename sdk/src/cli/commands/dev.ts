/**
 * `goatflow-plugin dev`: build, then rebuild on every change and have a running kernel reload the plugin from
 * its folder (`POST /api/admin/plugins/<id>/reload`), without restarting the kernel.
 * @module
 */
import fs from 'node:fs';
import { type CommandSpec, formatHelp, parseCommandArgs } from '../args.js';
import { CliError, type CliIo } from '../io.js';
import { openProject, type Project } from '../project.js';
import { buildProject } from './build.js';

/** The folders whose changes trigger a rebuild; outputs (dist/, assets/, the manifest) are not among them. */
export const WATCHED_FOLDERS = ['src', 'assembly', 'web', 'migrations', 'i18n'];

/** How long changes are collected before one rebuild: editors write a file in several steps. */
const DEBOUNCE_MS = 200;

export const devSpec: CommandSpec = {
  name: 'dev',
  summary:
    'Build, then rebuild on every change and reload the plugin in a running kernel without restarting it.',
  options: {
    dir: { type: 'string', value: '<path>', description: 'The plugin project (default: the current folder)' },
    kernel: {
      type: 'string',
      value: '<url>',
      description: 'The running kernel',
      default: 'http://localhost:8080',
    },
  },
  details: [
    'The kernel must already know the plugin: start it with GOATFLOW_PLUGIN_DIR set to a folder that holds this',
    'project folder (or a symlink to it), and enable the plugin once in the admin UI. dev then rebuilds on',
    `changes in ${WATCHED_FOLDERS.map((f) => `${f}/`).join(', ')} and asks the kernel to reload the plugin from disk.`,
    '',
    'It signs in as an administrator with GOATFLOW_ADMIN_LOGIN (default: admin) and GOATFLOW_ADMIN_PASSWORD.',
    'Stop it with Ctrl+C.',
  ].join('\n'),
};

/** A signed-in admin session at a kernel, enough to ask for reloads. */
export class KernelSession {
  private cookie: string | undefined;
  private csrfToken: string | undefined;

  constructor(
    readonly baseUrl: string,
    private readonly login: string,
    private readonly password: string,
  ) {}

  private async request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrfToken && method !== 'GET') headers['x-csrf-token'] = this.csrfToken;
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl), {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      throw new CliError(
        `cannot reach the kernel at ${this.baseUrl}: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`,
        'start the kernel (with GOATFLOW_PLUGIN_DIR holding this project) or pass its address with --kernel <url>',
      );
    }
    const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
    if (cookies.length) this.cookie = cookies.join('; ');
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text for the message
    }
    return { status: res.status, body: parsed };
  }

  /** Signs in and reads the CSRF token the kernel wants on writes. */
  async signIn(): Promise<void> {
    const res = await this.request('POST', '/api/auth/login', { login: this.login, password: this.password });
    const body = res.body as { status?: string; csrfToken?: string } | undefined;
    if (res.status !== 200 || body?.status !== 'authenticated') {
      throw new CliError(
        `the kernel at ${this.baseUrl} refused the sign-in as "${this.login}" (${res.status}${body?.status ? `, ${body.status}` : ''})`,
        'set GOATFLOW_ADMIN_LOGIN and GOATFLOW_ADMIN_PASSWORD to an administrator without a second factor',
      );
    }
    const me = await this.request('GET', '/api/auth/me');
    this.csrfToken = (me.body as { csrfToken?: string } | undefined)?.csrfToken ?? body.csrfToken;
  }

  /** Asks the kernel to reload a plugin; signs in again once when the session has expired. */
  async reload(pluginId: string): Promise<{ state: string; lastError?: string }> {
    const path = `/api/admin/plugins/${encodeURIComponent(pluginId)}/reload`;
    if (!this.cookie) await this.signIn();
    let res = await this.request('POST', path);
    if (res.status === 401 || res.status === 403) {
      await this.signIn();
      res = await this.request('POST', path);
    }
    const body = res.body as {
      state?: string;
      lastError?: string;
      error?: { code?: string; message?: string };
    };
    if (res.status === 404) {
      throw new CliError(
        `the kernel at ${this.baseUrl} has no plugin "${pluginId}"${body?.error?.message ? ` (${body.error.message})` : ''}`,
        "put this project folder (or a symlink to it) into the kernel's GOATFLOW_PLUGIN_DIR and restart the kernel once",
      );
    }
    if (res.status !== 200) {
      throw new CliError(
        `the kernel refused to reload "${pluginId}": ${res.status} ${body?.error?.message ?? JSON.stringify(res.body)}`,
        res.status === 405 || res.status === 501
          ? 'this kernel is too old for dev reloads; restart it to pick up changes'
          : 'see the message above',
      );
    }
    return { state: body.state ?? 'unknown', ...(body.lastError ? { lastError: body.lastError } : {}) };
  }
}

/** Options of {@link runDev} beyond the command line, for tests. */
export interface DevOptions {
  /** Stops watching; by default SIGINT and SIGTERM do. */
  signal?: AbortSignal;
  /** Called after each build-and-reload round, with whether it succeeded. */
  onRound?: (ok: boolean) => void;
}

async function round(project: Project, session: KernelSession, io: CliIo, id: { current?: string }) {
  const started = Date.now();
  try {
    const result = await buildProject(project);
    id.current = result.manifest.id;
    io.out(`✓ built ${result.manifest.id} in ${Date.now() - started} ms\n`);
    const status = await session.reload(result.manifest.id);
    if (status.lastError) {
      io.err(`✗ reloaded, but the kernel reports ${status.state}: ${status.lastError}\n`);
      return false;
    }
    io.out(`✓ reloaded in the kernel (${status.state})\n`);
    return true;
  } catch (err) {
    // Whatever failed (the build, the kernel, the network, the disk), dev reports it and keeps watching: the
    // next save is another try.
    if (err instanceof CliError) io.err(`✗ ${err.message}\n${err.hint ? `  → ${err.hint}\n` : ''}`);
    else io.err(`✗ ${err instanceof Error ? err.message : String(err)}\n`);
    return false;
  }
}

/** Runs `goatflow-plugin dev` until stopped. */
export async function runDev(argv: string[], io: CliIo, options: DevOptions = {}): Promise<number> {
  const args = parseCommandArgs(devSpec, argv);
  if (args.help) {
    io.out(formatHelp(devSpec));
    return 0;
  }
  const project = openProject(io, args.values.dir as string | undefined);
  const kernel = args.values.kernel as string;
  try {
    new URL(kernel);
  } catch {
    throw new CliError(
      `--kernel ${kernel} is not a URL`,
      "pass the kernel's address, e.g. --kernel http://localhost:8080",
    );
  }
  const password = io.env.GOATFLOW_ADMIN_PASSWORD;
  if (!password) {
    throw new CliError(
      'GOATFLOW_ADMIN_PASSWORD is not set: dev signs in to the kernel as an administrator to reload the plugin',
      'export GOATFLOW_ADMIN_PASSWORD (and GOATFLOW_ADMIN_LOGIN unless it is "admin")',
    );
  }
  const session = new KernelSession(kernel, io.env.GOATFLOW_ADMIN_LOGIN || 'admin', password);
  const id: { current?: string } = {};

  const stop = new AbortController();
  const onSignal = () => stop.abort();
  if (options.signal) options.signal.addEventListener('abort', onSignal, { once: true });
  else {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }

  let running: Promise<void> = Promise.resolve();
  let pending = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      // Rounds never overlap: a change during a build leads to one more round after it.
      if (pending) return;
      pending = true;
      running = running.then(async () => {
        pending = false;
        if (stop.signal.aborted) return;
        // Not `onRound?.(await round(…))`: an optional call skips evaluating its arguments when absent.
        const ok = await round(project, session, io, id);
        options.onRound?.(ok);
      });
    }, DEBOUNCE_MS);
  };

  const watchers: fs.FSWatcher[] = [];
  try {
    const ok = await round(project, session, io, id);
    options.onRound?.(ok);
    for (const folder of WATCHED_FOLDERS) {
      if (!project.exists(folder)) continue;
      watchers.push(fs.watch(project.file(folder), { recursive: true }, schedule));
    }
    io.out(
      `watching ${WATCHED_FOLDERS.filter((f) => project.exists(f))
        .map((f) => `${f}/`)
        .join(', ')} — Ctrl+C to stop\n`,
    );
    if (!stop.signal.aborted) {
      await new Promise<void>((resolve) =>
        stop.signal.addEventListener('abort', () => resolve(), { once: true }),
      );
    }
  } finally {
    clearTimeout(timer);
    for (const w of watchers) w.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await running.catch(() => {});
  }
  return 0;
}
