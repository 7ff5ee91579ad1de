/**
 * The scaffold of `goatflow-plugin new`: naming rules and the rendering of the templates shipped in the SDK's
 * `templates/` folder (see templates/README.md).
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { PLUGIN_ID_PATTERN, RESERVED_PLUGIN_IDS } from '../manifest/schema.js';

/** The runtimes a plugin can be scaffolded for. */
export const RUNTIMES = ['wasm', 'grpc'] as const;
export type Runtime = (typeof RUNTIMES)[number];

/** Versions the scaffold pins, besides the SDK's own. */
export const SCAFFOLD_VERSIONS = { vitest: '4.1.12', assemblyscript: '0.28.20' } as const;

/** A plugin id that would be valid, derived from what the developer typed (`My Plugin` → `my-plugin`). */
export function suggestId(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}

/**
 * Why `name` cannot be a plugin id, or `undefined` when it can. The rules are the manifest's: 3–40 characters,
 * lower-case letters, digits and dashes, starting with a letter and not ending with a dash, not reserved.
 */
export function pluginIdProblem(name: string): string | undefined {
  if (!PLUGIN_ID_PATTERN.test(name)) {
    const why =
      name.length < 3 || name.length > 40
        ? `it has ${name.length} characters`
        : !/^[a-z]/.test(name)
          ? 'it does not start with a lower-case letter'
          : name.endsWith('-')
            ? 'it ends with a dash'
            : 'it contains characters other than lower-case letters, digits and dashes';
    return `"${name}" cannot be a plugin id: ${why}; an id is 3–40 lower-case letters, digits and dashes, starting with a letter (it names the plugin's routes, database schema and role)`;
  }
  if (RESERVED_PLUGIN_IDS.includes(name) || name.startsWith('pg-')) {
    return `"${name}" is reserved (kernel, public, information-schema, goatflow, plugin(s) and pg-* name schemas the kernel or PostgreSQL own)`;
  }
  return undefined;
}

/** The names the templates use. */
export interface ScaffoldNames {
  id: string;
  /** Human-readable: `hello-world` → `Hello World`. */
  name: string;
  /** The database schema: dashes become underscores. */
  schema: string;
  /** The widget's class: `hello-world` → `HelloWorldWidget`. */
  widgetClass: string;
  /** The widget's custom element: `hello-world-widget`. */
  element: string;
}

/** Words an id often holds that are not written capitalised in a display name. */
const DISPLAY_WORDS: Record<string, string> = {
  api: 'API',
  grpc: 'gRPC',
  wasm: 'WASM',
  mcp: 'MCP',
  sla: 'SLA',
  http: 'HTTP',
  crm: 'CRM',
  ai: 'AI',
};

/** Derives every name from a valid plugin id. */
export function scaffoldNames(id: string): ScaffoldNames {
  const words = id.split('-').filter(Boolean);
  const capitalised = words.map((w) => w[0]!.toUpperCase() + w.slice(1));
  return {
    id,
    name: words.map((w, i) => DISPLAY_WORDS[w] ?? capitalised[i]).join(' '),
    schema: id.replaceAll('-', '_'),
    widgetClass: `${capitalised.join('')}Widget`,
    // The manifest wants a custom element name without empty segments; an id may contain `--`.
    element: `${words.join('-')}-widget`,
  };
}

/** The `devDependencies` of a scaffolded project, sorted as npm writes them. */
export function scaffoldDevDependencies(runtime: Runtime, sdkVersion: string): Record<string, string> {
  const deps: Record<string, string> = {
    '@goatflow/kernel': `^${sdkVersion}`,
    '@goatflow/sdk': `^${sdkVersion}`,
    vitest: SCAFFOLD_VERSIONS.vitest,
  };
  if (runtime === 'wasm') deps.assemblyscript = SCAFFOLD_VERSIONS.assemblyscript;
  return Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)));
}

const RUNTIME_FILES: Record<Runtime, string> = {
  wasm: '| `assembly/index.ts` | the handlers in AssemblyScript, compiled to `dist/plugin.wasm` (`asconfig.json` for editors and `npx asc`) |',
  grpc: '| `src/handlers/`, `src/main.ts` | the handlers, and the program that serves them; bundled to `dist/main.js` |',
};

/** Replaces `{{key}}` for the keys given; other double braces (i18n parameters such as `{{count}}`) stay. */
export function renderTemplate(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) =>
    Object.hasOwn(values, key) ? values[key]! : whole,
  );
}

/** The files of a scaffold: path in the project (with `/`) → content. */
export function scaffoldFiles(
  templatesDir: string,
  runtime: Runtime,
  names: ScaffoldNames,
  sdkVersion: string,
): Map<string, string> {
  const devDependencies = Object.entries(scaffoldDevDependencies(runtime, sdkVersion))
    .map(([name, version]) => `    ${JSON.stringify(name)}: ${JSON.stringify(version)}`)
    .join(',\n');
  const values: Record<string, string> = {
    ...names,
    runtime,
    sdkVersion,
    devDependencies,
    runtimeFiles: RUNTIME_FILES[runtime],
  };
  const files = new Map<string, string>();
  const collect = (root: string, rel: string) => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        collect(root, child);
        continue;
      }
      const raw = fs.readFileSync(path.join(root, child), 'utf8');
      const isTemplate = child.endsWith('.tmpl');
      let target = isTemplate ? child.slice(0, -'.tmpl'.length) : child;
      target = target
        .split('/')
        .map((segment) => (segment === 'gitignore' ? '.gitignore' : segment))
        .join('/')
        .replaceAll('__id__', names.id)
        .replaceAll('__element__', names.element);
      files.set(target, isTemplate ? renderTemplate(raw, values) : raw);
    }
  };
  // The runtime's files come second and replace common ones of the same path.
  collect(path.join(templatesDir, 'common'), '');
  collect(path.join(templatesDir, runtime), '');
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}
