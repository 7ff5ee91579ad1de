/**
 * What a command talks to: its output streams, working directory and environment, passed in so that tests run
 * commands in-process and read what they printed; and {@link CliError}, the one way a command fails.
 * @module
 */

/** A command's surroundings. */
export interface CliIo {
  /** Writes to standard output; the text carries its own line ends. */
  out(text: string): void;
  /** Writes to standard error. */
  err(text: string): void;
  /** The directory relative paths are resolved against. */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** The process's own streams, directory and environment. */
export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
  };
}

/**
 * A failure the developer can act on: `message` says what is wrong, `hint` what to do about it. The entry point
 * prints both and exits with 1; anything else thrown is a bug in the CLI and is printed with its stack.
 */
export class CliError extends Error {
  /**
   * @param message - what is wrong
   * @param hint - what to do
   */
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A command line the command cannot parse; printed with a pointer to its `--help`. */
export class UsageError extends CliError {
  constructor(message: string, command?: string) {
    super(message, `run goatflow-plugin ${command ? `${command} ` : ''}--help to see the usage`);
    this.name = 'UsageError';
  }
}

/** Formats an error for the terminal: `goatflow-plugin <command>: <message>` and the hint under it. */
export function formatError(command: string | undefined, err: CliError): string {
  const head = `goatflow-plugin${command ? ` ${command}` : ''}: ${err.message}\n`;
  return err.hint ? `${head}  → ${err.hint}\n` : head;
}
