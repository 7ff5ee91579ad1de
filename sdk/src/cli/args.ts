/**
 * Command lines: each command declares its options and positionals once ({@link CommandSpec}); the same
 * declaration parses `argv` with `node:util` `parseArgs` (strict: an unknown option or a missing value is an
 * error naming it) and prints `--help`.
 * @module
 */
import { parseArgs } from 'node:util';
import { UsageError } from './io.js';

/** One option of a command. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Shown in `--help` as the value's name, e.g. `<path>`. */
  value?: string;
  description: string;
  /** The value when the option is not given; only for string options. */
  default?: string;
  /** The allowed values of a string option. */
  choices?: readonly string[];
}

/** A command's interface, for parsing and for `--help`. */
export interface CommandSpec {
  name: string;
  /** One line, shown in the command list. */
  summary: string;
  positionals?: { name: string; description: string; required: boolean }[];
  options: Record<string, OptionSpec>;
  /** Paragraphs printed after the options. */
  details?: string;
}

/** What {@link parseCommandArgs} found. */
export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  help: boolean;
}

/**
 * Parses a command's arguments (without the command name). `--help`/`-h` is always accepted; with it, nothing
 * else is checked. Throws a {@link UsageError} naming the option or argument that is wrong.
 */
export function parseCommandArgs(spec: CommandSpec, argv: string[]): ParsedArgs {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, o] of Object.entries(spec.options)) {
    options[name] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    // parseArgs' messages name the option ("Unknown option '--foo'", "Option '--dir <value>' argument
    // missing"); keep them, without the advice about '--' which does not apply here.
    const message = (err as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(message, spec.name);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const help = values.help === true;
  delete values.help;
  if (help) return { values, positionals: parsed.positionals, help };

  const declared = spec.positionals ?? [];
  if (parsed.positionals.length > declared.length) {
    const extra = parsed.positionals.slice(declared.length).join(' ');
    throw new UsageError(`unexpected argument${declared.length ? 's' : ''}: ${extra}`, spec.name);
  }
  declared.forEach((p, i) => {
    if (p.required && parsed.positionals[i] === undefined) {
      throw new UsageError(`missing <${p.name}>: ${p.description}`, spec.name);
    }
  });
  for (const [name, o] of Object.entries(spec.options)) {
    const value = values[name];
    if (value === undefined && o.default !== undefined) values[name] = o.default;
    if (typeof value === 'string' && o.choices && !o.choices.includes(value)) {
      throw new UsageError(`--${name} must be ${o.choices.join(' or ')}, not "${value}"`, spec.name);
    }
    if (typeof value === 'string' && value === '') {
      throw new UsageError(`--${name} needs a value`, spec.name);
    }
  }
  return { values, positionals: parsed.positionals, help };
}

/** The `--help` text of a command. */
export function formatHelp(spec: CommandSpec): string {
  const positionals = (spec.positionals ?? []).map((p) => (p.required ? `<${p.name}>` : `[${p.name}]`));
  const lines = [
    `Usage: goatflow-plugin ${[spec.name, ...positionals, spec.options && '[options]'].filter(Boolean).join(' ')}`,
    '',
    spec.summary,
    '',
  ];
  if (spec.positionals?.length) {
    lines.push('Arguments:');
    for (const p of spec.positionals) lines.push(`  ${p.name.padEnd(22)} ${p.description}`);
    lines.push('');
  }
  lines.push('Options:');
  const entries: [string, OptionSpec][] = [
    ...Object.entries(spec.options),
    ['help', { type: 'boolean', short: 'h', description: 'Show this help' }],
  ];
  for (const [name, o] of entries) {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.value ?? '<value>'}` : ''}`;
    const extra = [
      o.choices ? `one of: ${o.choices.join(', ')}` : '',
      o.default !== undefined ? `default: ${o.default}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    lines.push(`  ${flag.padEnd(22)} ${o.description}${extra ? ` (${extra})` : ''}`);
  }
  if (spec.details) lines.push('', spec.details.trim());
  return `${lines.join('\n')}\n`;
}
