/**
 * Runs the real GoatFlow kernel as a child process for a test. The SDK is published on its own and must not
 * import the kernel, so the kernel is found in the plugin project (it is a dev dependency there) and started as
 * a program: `node --import <tsx> <@goatflow/kernel>/src/main.ts`, the way `npm start` runs it.
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The kernel's log line that says it accepts requests; its `url` field has the port it was given. */
const LISTENING = 'GoatFlow kernel listening';
/** Output kept for {@link KernelProcess.output}; older output is dropped first. */
const MAX_OUTPUT_CHARS = 4 * 1024 * 1024;

/** Where the kernel was found and the node arguments that run it. */
export interface KernelProgram {
  /** The folder of the `@goatflow/kernel` package. */
  dir: string;
  /** Arguments for `node`: the TypeScript loader, resolve conditions and the kernel's main module. */
  args: string[];
}

/**
 * Finds `@goatflow/kernel` from a plugin project (`from`, resolved like the project's own imports), or takes
 * the package folder given, and the `tsx` loader it depends on. Throws an error that says what to install.
 */
export function resolveKernel(from: string, kernelPackage?: string): KernelProgram {
  let manifest: string;
  if (kernelPackage) {
    const given = path.resolve(kernelPackage);
    manifest = given.endsWith('package.json') ? given : path.join(given, 'package.json');
    if (!fs.existsSync(manifest)) throw new Error(`kernelPackage: ${manifest} does not exist`);
  } else {
    try {
      manifest = createRequire(path.join(path.resolve(from), 'package.json')).resolve(
        '@goatflow/kernel/package.json',
      );
    } catch {
      throw new Error(
        `startTestKernel runs the GoatFlow kernel, but @goatflow/kernel cannot be found from ${path.resolve(from)}. ` +
          'Install it in the plugin project (npm install --save-dev @goatflow/kernel), or pass kernelPackage.',
      );
    }
  }
  const dir = path.dirname(manifest);
  const main = path.join(dir, 'src', 'main.ts');
  if (!fs.existsSync(main))
    throw new Error(`${dir} has no src/main.ts: it is not the @goatflow/kernel package`);
  let tsx: string;
  try {
    // tsx is the kernel's own dependency, so it is resolved from there, not from the plugin project.
    tsx = createRequire(manifest).resolve('tsx');
  } catch {
    throw new Error(
      `tsx, which @goatflow/kernel runs with, cannot be found from ${dir}: reinstall the kernel`,
    );
  }
  return { dir, args: ['--import', pathToFileURL(tsx).href, ...sourceConditions(manifest), main] };
}

/**
 * The kernel runs from its TypeScript sources; where the SDK it uses ships its sources too (a workspace
 * checkout, whose `dist/` may be missing or stale), the kernel loads the SDK from those, like `npm start` does.
 */
function sourceConditions(kernelManifest: string): string[] {
  try {
    const sdkManifest = createRequire(kernelManifest).resolve('@goatflow/sdk/package.json');
    const root = JSON.parse(fs.readFileSync(sdkManifest, 'utf8')).exports?.['.'];
    const source = typeof root === 'object' && root ? root['@goatflow/source'] : undefined;
    if (typeof source === 'string' && fs.existsSync(path.join(path.dirname(sdkManifest), source))) {
      return ['--conditions=@goatflow/source'];
    }
  } catch {
    // No readable SDK manifest: let node resolve the SDK the ordinary way.
  }
  return [];
}

/** What {@link spawnKernel} needs. */
export interface SpawnKernelOptions {
  program: KernelProgram;
  /** The kernel's whole environment. */
  env: Record<string, string>;
  /** How long to wait for the kernel to listen before giving up. */
  timeoutMs: number;
}

/** A running kernel process. */
export interface KernelProcess {
  /** The base URL it listens on, e.g. `http://127.0.0.1:39417`. */
  readonly url: string;
  /** Everything it wrote to stdout and stderr so far (the last 4 MiB). */
  output(): string;
  /** Stops it gracefully (SIGTERM); kills it when it has not exited after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
  /** Kills it at once; for a test process that is exiting and cannot wait. */
  kill(): void;
}

/** Starts the kernel and resolves once it listens; rejects with its output when it exits or takes too long. */
export function spawnKernel(options: SpawnKernelOptions): Promise<KernelProcess> {
  const child = spawn(process.execPath, options.program.args, {
    cwd: options.program.dir,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const captured = new Output();
  // 'close' comes after the output pipes are drained, so the output is complete when it fires.
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return new Promise<KernelProcess>((resolve, reject) => {
    let partial = '';
    let started = false;
    const fail = (why: string) => {
      if (started) return;
      started = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${why}\n--- kernel output ---\n${captured.tail(60)}`));
    };
    const timer = setTimeout(
      () => fail(`the GoatFlow kernel did not start within ${options.timeoutMs} ms`),
      options.timeoutMs,
    );
    child.once('error', (err) => fail(`the GoatFlow kernel could not be run: ${err.message}`));
    child.once('close', (code, signal) => {
      fail(`the GoatFlow kernel exited (${signal ?? `code ${code}`}) before it started`);
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => captured.add(chunk));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      captured.add(chunk);
      if (started) return;
      partial += chunk;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const url = listeningUrl(line);
        if (!url) continue;
        started = true;
        partial = '';
        clearTimeout(timer);
        resolve(kernelProcess(child, url, captured, exited));
        return;
      }
    });
  });
}

function kernelProcess(
  child: ChildProcess,
  url: string,
  captured: Output,
  exited: Promise<void>,
): KernelProcess {
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    url,
    output: () => captured.text(),
    async stop(timeoutMs = 20_000) {
      if (!running()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
    kill() {
      if (running()) child.kill('SIGKILL');
    },
  };
}

/** The URL in the kernel's "listening" log line (pino writes one JSON object per line), if `line` is that. */
function listeningUrl(line: string): string | undefined {
  if (!line.includes(LISTENING)) return undefined;
  try {
    const entry = JSON.parse(line) as { msg?: unknown; url?: unknown };
    return entry.msg === LISTENING && typeof entry.url === 'string' ? entry.url : undefined;
  } catch {
    return undefined;
  }
}

/** The kernel's output, bounded so a chatty test cannot grow it without limit. */
class Output {
  private chunks: string[] = [];
  private size = 0;

  add(chunk: string): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > MAX_OUTPUT_CHARS && this.chunks.length > 1) this.size -= this.chunks.shift()!.length;
  }

  text(): string {
    return this.chunks.join('');
  }

  tail(lines: number): string {
    return this.text().trimEnd().split('\n').slice(-lines).join('\n');
  }
}
