/**
 * Signals for plugin processes, and the guarantee that none outlives the kernel. Each plugin runs as the leader
 * of its own process group (spawned `detached`), so a signal reaches everything it started too — a plugin
 * launched through a wrapper (`npx`, a shell script) leaves no orphan behind.
 * @module
 */
import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();
let hookInstalled = false;

/** Sends `signal` to the process group of `child`, falling back to the process itself. Never throws. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  }
}

/**
 * Remembers a running plugin process so that it is killed when the kernel process exits, however it exits
 * through `process.exit` or the end of the event loop. (A kernel killed with SIGKILL runs no hook at all; then the
 * plugin notices its socket closing and exits by itself — the SDK does that.)
 */
export function track(child: ChildProcess): void {
  live.add(child);
  if (!hookInstalled) {
    hookInstalled = true;
    // 'exit' handlers must be synchronous, so there is no grace period here: SIGKILL is the only sure signal.
    process.on('exit', () => {
      for (const c of live) signalGroup(c, 'SIGKILL');
    });
  }
}

/** Forgets a process that has exited. */
export function untrack(child: ChildProcess): void {
  live.delete(child);
}

/**
 * Stops a process: SIGTERM to its group, then SIGKILL after `graceMs` if it is still there. Resolves when it
 * has exited.
 */
export function terminate(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined)
    return Promise.resolve();
  return new Promise<void>((resolve) => {
    const kill = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    signalGroup(child, 'SIGTERM');
  });
}
