/**
 * The plugin quickstart (docs/plugins/quickstart.md), run as written, for both runtimes: its marked command blocks
 * (```` ```sh quickstart wasm grpc ````) are taken from the page and typed, word for word and in order, into one
 * shell per runtime in a temporary folder outside the repository — scaffold with `npx`, `npm install`, build, the
 * scaffold's own tests, pack, then sign in, upload, grant and enable through the admin API with curl against a
 * kernel that runs from this repository for the whole file. Then each widget must show, in Chromium, the greeting
 * its route answers — with no kernel restart.
 *
 * Our packages are not on npmjs.org, so a registry on loopback serves `@goatflow/*` packed from this workspace
 * (tests/support/local-registry.ts); everything else comes from the npm registry, through npm's cache first.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserSession,
  screenshot,
  signIn,
  startBrowserSession,
  waitForText,
} from '../support/browser.js';
import { ADMIN_PASSWORD, adminClient } from '../support/kernel.js';
import { cleanEnv, type LocalRegistry, startLocalRegistry } from '../support/local-registry.js';

const QUICKSTART = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'docs',
  'plugins',
  'quickstart.md',
);
const RUNTIMES = ['wasm', 'grpc'] as const;
type Runtime = (typeof RUNTIMES)[number];

/** What step 5 of the quickstart promises the widget shows to the admin. */
const GREETING = 'Hello, admin!';
/** The longest one command may take: `npm install` on a cold cache, a first `npm test` on a busy machine. */
const COMMAND_TIMEOUT_MS = 300_000;

/**
 * The commands of the quickstart's marked blocks for a runtime, in order: a block's info string is `sh quickstart`
 * followed by the runtimes it is for. A command is a line, with the lines a trailing backslash continues.
 */
function quickstartCommands(markdown: string, runtime: Runtime): string[] {
  const commands: string[] = [];
  let block: string[] | undefined;
  let ours = false;
  for (const line of markdown.split('\n')) {
    const fence = /^```(.*)$/.exec(line);
    if (fence && block === undefined) {
      const [lang, marker, ...runtimes] = fence[1]!.trim().split(/\s+/);
      block = [];
      ours = lang === 'sh' && marker === 'quickstart' && runtimes.includes(runtime);
      continue;
    }
    if (fence) {
      if (ours) commands.push(...splitCommands(block!));
      block = undefined;
      continue;
    }
    block?.push(line);
  }
  return commands;
}

function splitCommands(lines: string[]): string[] {
  const commands: string[] = [];
  let current: string[] = [];
  for (const line of lines) {
    if (!current.length && (!line.trim() || line.trim().startsWith('#'))) continue;
    current.push(line);
    if (!line.endsWith('\\')) {
      commands.push(current.join('\n'));
      current = [];
    }
  }
  if (current.length) commands.push(current.join('\n'));
  return commands;
}

interface CommandRun {
  command: string;
  status: number;
  output: string;
  seconds: number;
}

/**
 * One bash, fed commands one at a time like a terminal: `cd` and variables carry over from one command to the
 * next. Each command runs as typed, inside `{ …; } </dev/null` (so nothing waits for input, and `cd` still
 * applies), followed by a marker line with its exit status.
 */
class Shell {
  readonly runs: CommandRun[] = [];
  private readonly child: ChildProcess;
  private readonly marker = `__quickstart_${randomBytes(6).toString('hex')}__`;
  private output = '';
  private onOutput: (() => void) | undefined;

  constructor(cwd: string, env: Record<string, string>) {
    this.child = spawn('bash', ['--noprofile', '--norc'], {
      cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group, so a timeout can stop npm and everything it started.
      detached: true,
    });
    const add = (chunk: Buffer) => {
      this.output += chunk.toString('utf8');
      this.onOutput?.();
    };
    this.child.stdout!.on('data', add);
    this.child.stderr!.on('data', add);
    this.child.on('close', () => this.onOutput?.());
    // One stream, in the order things happened, like a terminal shows it.
    this.child.stdin!.write('exec 2>&1\n');
  }

  run(command: string, timeoutMs = COMMAND_TIMEOUT_MS): Promise<CommandRun> {
    const started = Date.now();
    this.output = '';
    const done = new RegExp(`\\n?${this.marker} (\\d+)\\n`);
    return new Promise((resolve, reject) => {
      const finish = (status: number, output: string) => {
        clearTimeout(timer);
        this.onOutput = undefined;
        const run = { command, status, output, seconds: (Date.now() - started) / 1000 };
        this.runs.push(run);
        resolve(run);
      };
      const timer = setTimeout(() => {
        this.kill();
        reject(
          new Error(`\`${command}\` did not finish within ${timeoutMs / 1000} s:\n${tail(this.output)}`),
        );
      }, timeoutMs);
      this.onOutput = () => {
        const match = done.exec(this.output);
        if (match) finish(Number(match[1]), this.output.slice(0, match.index));
        else if (this.child.exitCode !== null || this.child.signalCode !== null) {
          finish(this.child.exitCode ?? 128, this.output);
        }
      };
      this.child.stdin!.write(`{\n${command}\n} </dev/null\nprintf '\\n%s %d\\n' '${this.marker}' "$?"\n`);
    });
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null && this.child.pid) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}

function tail(text: string, lines = 80): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** `npx` installs into one folder per package in npm's cache, so two at once would race: they take turns. */
let npxTurn: Promise<unknown> = Promise.resolve();
function inTurn<T>(command: string, work: () => Promise<T>): Promise<T> {
  if (!command.startsWith('npx ')) return work();
  const turn = npxTurn.then(work);
  npxTurn = turn.catch(() => undefined);
  return turn;
}

interface QuickstartRun {
  runtime: Runtime;
  /** The folder the shell ended in: the plugin project. */
  project: string;
  shell: Shell;
}

/** Runs a runtime's quickstart commands; rejects naming the first command that failed, with its output. */
async function runQuickstart(runtime: Runtime, commands: string[], env: Record<string, string>) {
  const home = path.join(work, runtime);
  fs.mkdirSync(home);
  const shell = new Shell(home, env);
  shells.push(shell);
  for (const command of commands) {
    const run = await inTurn(command, () => shell.run(command));
    if (run.status !== 0) {
      throw new Error(
        `quickstart (${runtime}): \`${command}\` exited with ${run.status} after ${run.seconds.toFixed(1)} s:\n${tail(run.output)}`,
      );
    }
  }
  const pwd = await shell.run('pwd');
  return { runtime, project: pwd.output.trim(), shell };
}

let work: string;
let registry: LocalRegistry | undefined;
let session: BrowserSession | undefined;
let page: Page;
const shells: Shell[] = [];
const runs = new Map<Runtime, Promise<QuickstartRun>>();

beforeAll(async () => {
  // The quickstart's admin API steps are curl commands; say so at once rather than after minutes of npm.
  if (spawnSync('curl', ['--version']).status !== 0) {
    throw new Error(
      'the quickstart uses curl, which is not installed: apt-get install curl (or your equivalent)',
    );
  }
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'goatflow-quickstart-'));
  // The kernel the quickstart installs into runs from the start, for the whole file: nothing restarts it.
  const [packed, started] = await Promise.allSettled([
    startLocalRegistry({ packages: ['sdk', 'kernel', 'web'] }),
    startBrowserSession({ kernel: { dataDir: path.join(work, 'kernel-data') } }),
  ]);
  // Kept before anything is thrown, so afterAll stops whichever of the two did start.
  if (packed.status === 'fulfilled') registry = packed.value;
  if (started.status === 'fulfilled') session = started.value;
  if (packed.status === 'rejected') throw packed.reason;
  if (started.status === 'rejected') throw started.reason;
  page = started.value.page;
  const npmrc = path.join(work, '.npmrc');
  fs.writeFileSync(npmrc, packed.value.npmrc());
  const env = cleanEnv({
    NPM_CONFIG_USERCONFIG: npmrc,
    // What the reader exports before the admin API steps (the unmarked block of step 4).
    GOATFLOW_URL: started.value.kernel.url,
    GOATFLOW_ADMIN_PASSWORD: ADMIN_PASSWORD,
  });
  const markdown = fs.readFileSync(QUICKSTART, 'utf8');
  // Both runtimes at once: most of the time goes to npm and to starting kernels, which overlap well.
  for (const runtime of RUNTIMES) {
    const run = runQuickstart(runtime, quickstartCommands(markdown, runtime), env);
    run.catch(() => undefined); // awaited, and reported, by the test of that runtime
    runs.set(runtime, run);
  }
}, 240_000);

afterAll(async () => {
  for (const shell of shells) shell.kill();
  await session?.stop();
  await registry?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
  const summary = shells
    .map((s) => s.runs.map((r) => `${r.command.split('\n')[0]!.slice(0, 60)}: ${r.seconds.toFixed(1)} s`))
    .map((lines, i) => `quickstart ${RUNTIMES[i]}:\n  ${lines.join('\n  ')}`)
    .join('\n');
  if (summary) process.stdout.write(`${summary}\n`);
});

describe('the plugin quickstart, run as written', () => {
  it('has marked commands for both runtimes: scaffold, install, build, test, pack, upload, grant, enable', () => {
    const markdown = fs.readFileSync(QUICKSTART, 'utf8');
    for (const runtime of RUNTIMES) {
      const commands = quickstartCommands(markdown, runtime);
      expect(commands[0]).toMatch(new RegExp(`goatflow-plugin new \\S+ --runtime ${runtime}$`));
      for (const expected of ['npm install', 'npm run build', 'npm test', 'npm run pack']) {
        expect(commands).toContain(expected);
      }
      for (const endpoint of ['/api/auth/login', '/upload', '/grants', '/enable']) {
        expect(commands.some((c) => c.includes(endpoint))).toBe(true);
      }
    }
  });

  for (const runtime of RUNTIMES) {
    it(`scaffolds, installs, builds, tests, packs and installs a ${runtime} plugin`, async () => {
      const { project } = await runs.get(runtime)!;
      // Our packages came from the workspace, through the local registry (not from some public namesake).
      expect(registry!.requests).toEqual(
        expect.arrayContaining(['@goatflow/sdk', '@goatflow/kernel', '@goatflow/web']),
      );
      const manifest = JSON.parse(fs.readFileSync(path.join(project, 'goatflow-plugin.json'), 'utf8'));
      expect(manifest.runtime).toBe(runtime);
      expect(fs.existsSync(path.join(project, `${manifest.id}-${manifest.version}.tgz`))).toBe(true);

      // Enabled by the quickstart's curl, and running in the kernel that has been up all along.
      const admin = await adminClient(session!.kernel);
      const deadline = Date.now() + 20_000;
      let status = (await admin.get(`/api/admin/plugins/${manifest.id}`)).body;
      while (status.state !== 'enabled' || (status.health && status.health.state !== 'running')) {
        if (Date.now() > deadline)
          throw new Error(`${manifest.id} is not running: ${JSON.stringify(status)}`);
        await new Promise((r) => setTimeout(r, 200));
        status = (await admin.get(`/api/admin/plugins/${manifest.id}`)).body;
      }
      expect(status).toMatchObject({ id: manifest.id, firstParty: false, granted: manifest.permissions });
    }, 600_000);
  }

  it('shows both widgets on the dashboard, each with the greeting from its route', async () => {
    const projects = await Promise.all(RUNTIMES.map((r) => runs.get(r)!));
    await signIn(page, 'admin', ADMIN_PASSWORD);
    for (const { project } of projects) {
      const manifest = JSON.parse(fs.readFileSync(path.join(project, 'goatflow-plugin.json'), 'utf8'));
      const widget = manifest.contributes.widgets[0];
      const card = page.getByTestId(`widget-${manifest.id}-${widget.id}`);
      await waitForText(card, manifest.name, 20_000);
      await waitForText(card, GREETING, 20_000);
    }
    await screenshot(page, 'quickstart-dashboard');
  }, 120_000);
});
