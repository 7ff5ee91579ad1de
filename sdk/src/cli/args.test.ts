import { describe, expect, it } from 'vitest';
import { type CommandSpec, formatHelp, parseCommandArgs } from './args.js';
import { UsageError } from './io.js';

const spec: CommandSpec = {
  name: 'demo',
  summary: 'A demo command.',
  positionals: [{ name: 'name', description: 'the name', required: true }],
  options: {
    runtime: { type: 'string', choices: ['wasm', 'grpc'], description: 'the runtime' },
    dir: { type: 'string', value: '<path>', description: 'the folder' },
    kernel: { type: 'string', description: 'the kernel', default: 'http://localhost:8080' },
    quiet: { type: 'boolean', short: 'q', description: 'say less' },
  },
  details: 'More words.',
};

function usageError(argv: string[]): UsageError {
  try {
    parseCommandArgs(spec, argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error(`parsed: ${argv.join(' ')}`);
}

describe('parseCommandArgs', () => {
  it('reads positionals, string and boolean options in any order, and fills defaults', () => {
    expect(parseCommandArgs(spec, ['--runtime', 'wasm', 'hello', '-q', '--dir=out'])).toEqual({
      values: { runtime: 'wasm', dir: 'out', quiet: true, kernel: 'http://localhost:8080' },
      positionals: ['hello'],
      help: false,
    });
  });

  it('answers --help and -h without checking the rest', () => {
    expect(parseCommandArgs(spec, ['--help']).help).toBe(true);
    expect(parseCommandArgs(spec, ['-h', '--runtime', 'nonsense']).help).toBe(true);
  });

  it('names an unknown option, a missing value, a missing or extra argument, and a bad choice', () => {
    expect(usageError(['x', '--verbose']).message).toContain("'--verbose'");
    expect(usageError(['x', '--dir']).message).toContain('--dir');
    expect(usageError([]).message).toBe('missing <name>: the name');
    expect(usageError(['a', 'b']).message).toBe('unexpected arguments: b');
    const choice = usageError(['x', '--runtime', 'jvm']);
    expect(choice.message).toBe('--runtime must be wasm or grpc, not "jvm"');
    expect(choice.hint).toBe('run goatflow-plugin demo --help to see the usage');
  });
});

describe('formatHelp', () => {
  it('lists the usage, arguments, options with their values, choices and defaults, and the details', () => {
    const help = formatHelp(spec);
    expect(help).toMatch(/^Usage: goatflow-plugin demo <name> \[options\]\n/);
    expect(help).toContain('--dir <path>');
    expect(help).toContain('(one of: wasm, grpc)');
    expect(help).toContain('(default: http://localhost:8080)');
    expect(help).toContain('-q, --quiet');
    expect(help).toContain('-h, --help');
    expect(help.trimEnd().endsWith('More words.')).toBe(true);
  });
});
