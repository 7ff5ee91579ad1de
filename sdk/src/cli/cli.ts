/**
 * The `goatflow-plugin` command line: dispatches to the commands, prints a {@link CliError} as the message and
 * what to do, and answers with the exit code (0 or 1).
 * @module
 */
import type { CommandSpec } from './args.js';
import { buildSpec, runBuild } from './commands/build.js';
import { devSpec, runDev } from './commands/dev.js';
import { newSpec, runNew } from './commands/new.js';
import { packSpec, runPack } from './commands/pack.js';
import { runValidate, validateSpec } from './commands/validate.js';
import { CliError, type CliIo, formatError } from './io.js';
import { sdkPackage } from './sdk-package.js';

/** A command: its interface and how it runs. */
interface Command {
  spec: CommandSpec;
  run(argv: string[], io: CliIo): Promise<number>;
}

/** The commands, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  { spec: newSpec, run: runNew },
  { spec: buildSpec, run: runBuild },
  { spec: validateSpec, run: runValidate },
  { spec: packSpec, run: runPack },
  { spec: devSpec, run: runDev },
];

/** The overall `--help`. */
export function mainHelp(): string {
  return [
    'Usage: goatflow-plugin <command> [options]',
    '',
    'Create, build, check and pack GoatFlow plugins.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.spec.name.padEnd(10)} ${c.spec.summary}`),
    '',
    'Run goatflow-plugin <command> --help for its options.',
    '',
  ].join('\n');
}

/**
 * Runs the command line `argv` (without `node` and the script) and answers the exit code. Never throws for a
 * {@link CliError}; anything else is a bug and is printed with its stack.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(mainHelp());
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(`${sdkPackage().version}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.spec.name === name);
  if (!command) {
    io.err(
      formatError(
        undefined,
        new CliError(
          `unknown command "${name}"`,
          `the commands are ${COMMANDS.map((c) => c.spec.name).join(', ')}; goatflow-plugin --help explains them`,
        ),
      ),
    );
    return 1;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof CliError) {
      io.err(formatError(name, err));
      return 1;
    }
    io.err(
      `goatflow-plugin ${name}: unexpected error (a bug in goatflow-plugin, please report it):\n${(err as Error)?.stack ?? String(err)}\n`,
    );
    return 1;
  }
}
