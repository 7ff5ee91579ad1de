/**
 * Temporary plugin projects for the CLI's unit tests, and an in-memory {@link CliIo} that records what a command
 * printed. Test-only.
 * @module
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliIo } from './io.js';

/** Folders made by {@link tempDir}, removed by {@link removeTempDirs}. */
const made: string[] = [];

/** A new empty folder outside the repository. */
export function tempDir(prefix = 'goatflow-cli-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes every folder {@link tempDir} made; call it in `afterAll`. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes `files` (path with `/` → text, bytes or a JSON value) into `dir`. */
export function writeFiles(dir: string, files: Record<string, string | Uint8Array | object>): string {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, ...rel.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      typeof content === 'string' || content instanceof Uint8Array
        ? content
        : `${JSON.stringify(content, null, 2)}\n`,
    );
  }
  return dir;
}

/** A project in a new folder with `files`. */
export function tempProject(files: Record<string, string | Uint8Array | object>): string {
  return writeFiles(tempDir(), files);
}

/** An io whose output is kept in `stdout` and `stderr`. */
export function memoryIo(cwd: string, env: Record<string, string | undefined> = {}) {
  const io = {
    stdout: '',
    stderr: '',
    cwd,
    env,
    out(text: string) {
      io.stdout += text;
    },
    err(text: string) {
      io.stderr += text;
    },
  } satisfies CliIo & { stdout: string; stderr: string };
  return io;
}
