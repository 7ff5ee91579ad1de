/**
 * `npm start`: reads the environment, starts the kernel, prints a generated admin password once, and stops
 * gracefully on SIGTERM/SIGINT.
 * @module
 */
import { loadConfig } from './config/config.js';
import { ConfigError } from './errors/index.js';
import { startKernel } from './kernel.js';

async function main(): Promise<void> {
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
  const kernel = await startKernel(config);
  if (kernel.generatedAdminPassword) {
    // Printed to the terminal, not the log: the log may be shipped elsewhere, the terminal is the operator's.
    process.stdout.write(
      `\n  GoatFlow created the admin account.\n    login:    admin\n    password: ${kernel.generatedAdminPassword}\n  It is shown only this once. Sign in at ${kernel.url} and change it.\n\n`,
    );
  }
  let signalled = false;
  const shutdown = (signal: string) => {
    if (signalled) return;
    signalled = true;
    kernel.logger.info({ signal }, 'shutting down');
    kernel.stop().then(
      () => process.exit(0),
      (err) => {
        kernel.logger.error({ err }, 'unclean shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(
    `GoatFlow failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
