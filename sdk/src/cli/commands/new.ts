/**
 * `goatflow-plugin new <name> --runtime wasm|grpc`: a new plugin project with a route, a widget, a setting, a
 * migration, translations and a test that passes once it is built.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { type CommandSpec, formatHelp, parseCommandArgs } from '../args.js';
import { CliError, type CliIo, UsageError } from '../io.js';
import {
  pluginIdProblem,
  RUNTIMES,
  type Runtime,
  scaffoldFiles,
  scaffoldNames,
  suggestId,
} from '../scaffold.js';
import { sdkPackage } from '../sdk-package.js';

export const newSpec: CommandSpec = {
  name: 'new',
  summary: 'Create a plugin project: a route, a dashboard widget, a setting, a migration and a passing test.',
  positionals: [
    {
      name: 'name',
      description: 'The plugin id: 3–40 lower-case letters, digits and dashes, e.g. hello-world',
      required: true,
    },
  ],
  options: {
    runtime: {
      type: 'string',
      value: '<runtime>',
      choices: RUNTIMES,
      description:
        'wasm: AssemblyScript, sandboxed inside the kernel; grpc: TypeScript on Node.js in its own process',
    },
    dir: {
      type: 'string',
      value: '<path>',
      description: 'The folder to create the project in (default: ./<name>); must be new or empty',
    },
  },
  details:
    'Then: cd into the folder, npm install, npm run build, npm test. See the README it writes for the rest.',
};

/** Runs `goatflow-plugin new`. */
export async function runNew(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(newSpec, argv);
  if (args.help) {
    io.out(formatHelp(newSpec));
    return 0;
  }
  const id = args.positionals[0]!;
  const problem = pluginIdProblem(id);
  if (problem) {
    const suggestion = suggestId(id);
    throw new CliError(
      problem,
      suggestion && !pluginIdProblem(suggestion)
        ? `try goatflow-plugin new ${suggestion}`
        : 'choose another name, e.g. goatflow-plugin new my-plugin',
    );
  }
  const runtime = args.values.runtime as Runtime | undefined;
  if (!runtime) {
    throw new UsageError(
      '--runtime is required: wasm (AssemblyScript, sandboxed inside the kernel) or grpc (TypeScript in its own process)',
      'new',
    );
  }
  const dir = path.resolve(io.cwd, (args.values.dir as string | undefined) ?? id);
  if (fs.existsSync(dir) && (!fs.statSync(dir).isDirectory() || fs.readdirSync(dir).length > 0)) {
    throw new CliError(
      `${dir} already exists and is not an empty folder`,
      'choose another name or pass --dir <path> to a new or empty folder',
    );
  }

  const sdk = sdkPackage();
  if (!fs.existsSync(sdk.templatesDir)) {
    throw new CliError(
      `the scaffold templates are missing from @goatflow/sdk (${sdk.templatesDir})`,
      'reinstall @goatflow/sdk; the package ships them in templates/',
    );
  }
  const files = scaffoldFiles(sdk.templatesDir, runtime, scaffoldNames(id), sdk.version);
  for (const [rel, content] of files) {
    const file = path.join(dir, ...rel.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }

  const shown = path.relative(io.cwd, dir) || '.';
  io.out(
    [
      `✓ created ${id} (${runtime}) in ${shown}: ${files.size} files`,
      '',
      'Next:',
      ...(shown === '.' ? [] : [`  cd ${shown.includes(' ') ? JSON.stringify(shown) : shown}`]),
      '  npm install',
      '  npm run build      # goatflow-plugin.json, the plugin, its widget',
      '  npm test           # the plugin in a real kernel',
      '  npm run pack       # the package to upload',
      '',
    ].join('\n'),
  );
  return 0;
}
