/**
 * `npm start`: reads the environment, starts the kernel, prints a generated admin password once, and stops
 * gracefully on SIGTERM/SIGINT — also when the signal arrives while the kernel is still starting. A second
 * signal exits at once.
 * @module
 */
import { loadConfig } from './config/config.js';
import { ConfigError } from './errors/index.js';
import { type Kernel, startKernel } from './kernel.js';

let kernel: Kernel | undefined;
let stopRequested = false;

function stopAndExit(): void {
  if (!kernel) return; // still starting: main() stops it as soon as it is up
  kernel.logger.info('shutting down');
  kernel.stop().then(
    () => process.exit(0),
    (err) => {
      kernel?.logger.error({ err }, 'unclean shutdown');
      process.exit(1);
    },
  );
}

function onSignal(signal: NodeJS.Signals): void {
  if (stopRequested) {
    process.stderr.write(`${signal} again: exiting without waiting.\n`);
    process.exit(130);
  }
  stopRequested = true;
  stopAndExit();
}

async function main(): Promise<void> {
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  kernel = await startKernel(config);
  if (kernel.generatedAdminPassword) {
    // Printed to the terminal, not the log: the log may be shipped elsewhere, the terminal is the operator's.
    process.stdout.write(
      `\n  GoatFlow created the admin account.\n    login:    admin\n    password: ${kernel.generatedAdminPassword}\n  It is shown only this once. Sign in at ${kernel.url} and change it.\n\n`,
    );
  }
  if (stopRequested) stopAndExit();
}

main().catch((err) => {
  process.stderr.write(
    `GoatFlow failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
