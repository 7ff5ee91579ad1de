#!/usr/bin/env node
// Writes docs/plugins/manifest-reference.md from the manifest's JSON Schema (sdk/schema/goatflow-plugin.schema.json,
// itself generated from the zod definition in sdk/src/manifest/schema.ts): every field with its path, type, whether
// it is required, its constraints and its description. `--check` writes nothing and exits 1 when the file on disk
// is not what the schema gives, naming the command that fixes it.
//
// The JSON Schema cannot say everything the manifest's validator checks (zod refinements such as "a semantic
// version" are lost in it), and not every field carries a `.describe()` yet: NOTES adds both, per field path. A
// note for a field the schema already describes, or for a field that no longer exists, is an error, so a note goes
// away as soon as the schema says it itself — and a new field without any description fails the generation.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCHEMA = 'sdk/schema/goatflow-plugin.schema.json';
const TARGET = 'docs/plugins/manifest-reference.md';
const COMMAND = 'node scripts/manifest-reference.mjs';

/** Keywords this generator renders; any other keyword in the schema is an error (so nothing is silently left out). */
const RENDERED = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'propertyNames',
  'enum',
  'const',
  'anyOf',
  'oneOf',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minItems',
  'maxItems',
  'uniqueItems',
  'format',
  'default',
  'description',
  'title',
  '$schema',
  '$id',
]);

const RUNTIMES_DOC = 'runtimes.md';
const HOST_API = 'host-api.md';

/**
 * Per field path: `description` for a field the schema does not describe, `checks` for what the validator checks
 * beyond the JSON Schema. Paths as in the tables: `contributes.routes[].method`; `entry (grpc)` for a field of one
 * runtime only.
 */
const NOTES = {
  $schema: {
    description:
      'The JSON Schema of this file, for editors (completion and checks), e.g. `./node_modules/@goatflow/sdk/schema/goatflow-plugin.schema.json`. The kernel ignores it.',
  },
  id: {
    description:
      'The plugin id. It names the plugin’s database schema (`-` becomes `_`) and role, its routes under `/api/plugins/<id>` and its assets under `/plugins/<id>/assets/`. Keep it once the plugin is installed.',
    checks: 'not `kernel`, `public`, `information-schema`, `goatflow`, `plugin`, `plugins` or `pg-…`',
  },
  version: {
    description:
      'The plugin’s version. An uploaded package must be newer than the installed one (or the very same package).',
    checks: 'a semantic version such as `1.2.3`',
  },
  name: { description: 'The name operators and users see.' },
  description: { description: 'What the plugin does, shown at Admin → Plugins.' },
  author: { description: 'Who wrote it, shown at Admin → Plugins.' },
  license: { description: 'Its license, e.g. an SPDX identifier such as `MIT`.' },
  kernelApi: {
    checks: 'a semver range such as `^1.0.0` that includes the kernel’s API version',
  },
  contributes: {
    description:
      'What the plugin adds: routes, dashboard widgets, menu entries and pages, jobs, event subscriptions, sign-in hooks, MCP tools, settings, translations, migrations and assets.',
  },
  settingsDefaults: {
    description:
      'Default values of the settings declared in `contributes.settings`; `config.get` answers them overlaid with what the operator saved. `definePlugin` fills it from the defaults of the settings’ zod schema.',
  },
  limits: {
    description: `Limits of every call of this plugin; see [Limits at a glance](${RUNTIMES_DOC}#limits-at-a-glance).`,
  },
  'limits.deadlineMs': {
    description: 'The deadline of every call, in milliseconds (default 5000). A missed one answers 504.',
  },
  'limits.maxMemoryMb': {
    description:
      'A WASM plugin’s memory cap in MiB (default 64); never above the operator’s `GOATFLOW_PLUGIN_MAX_MEMORY_MB`.',
  },
  runtime: {
    description: `\`wasm\`: a WebAssembly module the kernel runs in a sandbox in its own worker threads. \`grpc\`: a process of its own that the kernel starts and that talks to it over gRPC. See [runtimes](${RUNTIMES_DOC}).`,
  },
  'entry (wasm)': {
    description: 'The WebAssembly module, relative to the plugin folder, e.g. `dist/plugin.wasm`.',
    checks: 'a path inside the plugin folder ending in `.wasm`',
  },
  'entry (grpc)': { description: 'How the kernel starts the plugin’s process, in the plugin folder.' },
  'entry.args': { description: 'Its arguments, e.g. `["dist/main.js"]`.' },
  'permissions.db': {
    description: `Database access ([\`db.query\`, \`db.exec\`](${HOST_API}#dbquery--sql-params--rows-rowcount)).`,
  },
  'permissions.events': {
    description: `Publishing events ([\`events.publish\`](${HOST_API}#eventspublish--name-payload--id)).`,
  },
  'permissions.events.publish': { description: 'The event names it may publish, each listed exactly.' },
  'permissions.auth': { description: 'Sign-in hooks.' },
  'permissions.auth.hooks': { description: 'Attach the hooks declared in `contributes.hooks`.' },
  'permissions.identity': { description: 'Reading users.' },
  'permissions.identity.read': {
    description: `[\`identity.getUser\`](${HOST_API}#identitygetuser--id--a-user): read a user (never a password hash or a session).`,
  },
  'permissions.plugins': { description: 'Calling other plugins.' },
  'permissions.plugins.call': {
    description: `The ids of the plugins whose handlers [\`plugins.call\`](${HOST_API}#pluginscall--plugin-handler-input--the-handlers-output) may invoke.`,
  },
  'contributes.routes': {
    description: `HTTP routes, each served by a handler, under \`/api/plugins/<id>\` (see [Routes](${HOST_API}#routes-how-a-plugin-is-called)).`,
  },
  'contributes.routes[].method': { description: 'The HTTP method.' },
  'contributes.routes[].path': { checks: 'no `..` segment; `:name` segments become `params`' },
  'contributes.routes[].auth': {
    description:
      'Who may call it: `public` (no sign-in), `customer`, `agent`, `user` (anyone signed in) or `admin` (an administrator agent). Not signed in: 401; the wrong kind of user: 404.',
  },
  'contributes.routes[].handler': {
    description:
      'The handler that serves it: an exported function of the WASM module, or a key of `routes` in `definePlugin`.',
  },
  'contributes.widgets': {
    description:
      'Dashboard widgets: custom elements the web shell places in a slot, each in a card with its title.',
  },
  'contributes.widgets[].id': { description: 'Unique among the plugin’s widgets.' },
  'contributes.widgets[].slot': {
    description: 'Where on the dashboard: the main column or the side column.',
  },
  'contributes.widgets[].title': {
    description: 'Translation key of the card’s title, from the plugin’s `i18n` bundles.',
  },
  'contributes.widgets[].size': { description: 'How wide the card is.' },
  'contributes.widgets[].element': {
    description: 'The tag name of the custom element that `module` defines.',
  },
  'contributes.widgets[].module': { checks: 'a path inside the plugin folder' },
  'contributes.widgets[].refreshSeconds': {
    description:
      'Refresh interval: the shell calls the element’s `refresh()` (a `GoatflowWidget` reloads its data), else replaces the element.',
  },
  'contributes.widgets[].auth': { description: 'Who sees it (`user`: everyone signed in).' },
  'contributes.menu': { description: 'Entries in the web shell’s navigation.' },
  'contributes.menu[].id': { description: 'Unique among the plugin’s menu entries.' },
  'contributes.menu[].label': { description: 'Translation key of the label.' },
  'contributes.menu[].path': { description: 'The shell path it opens, usually one of the plugin’s `pages`.' },
  'contributes.menu[].location': {
    description: 'Which navigation: the agents’, the customers’ or the administration’s (admins only).',
  },
  'contributes.menu[].order': { description: 'Position among the entries; lower comes first.' },
  'contributes.pages': { description: 'Pages of the web shell, each a custom element shown at a path.' },
  'contributes.pages[].id': { description: 'Unique among the plugin’s pages.' },
  'contributes.pages[].path': { description: 'The shell path, e.g. `/hello` or `/admin/hello`.' },
  'contributes.pages[].title': { description: 'Translation key of the page title.' },
  'contributes.pages[].element': { description: 'The tag name of the custom element that `module` defines.' },
  'contributes.pages[].module': {
    description: 'ES module under `assets` that defines the element.',
    checks: 'a path inside the plugin folder',
  },
  'contributes.pages[].auth': { description: 'Who may open it.' },
  'contributes.jobs': {
    description: `Scheduled jobs; each slot runs once across all kernel instances (see [Jobs](${HOST_API}#jobs--contributesjobs-id-schedule-handler)).`,
  },
  'contributes.jobs[].id': { description: 'Unique among the plugin’s jobs.' },
  'contributes.jobs[].schedule': { checks: 'a valid cron expression (checked on enable)' },
  'contributes.jobs[].handler': { description: 'The handler it runs, with `{job: {id, scheduledFor}}`.' },
  'contributes.events': {
    description: `Event subscriptions: the handler gets each event of that name, at least once (see [\`events.publish\`](${HOST_API}#eventspublish--name-payload--id)).`,
  },
  'contributes.events[].name': { description: 'The event, e.g. `ticket.created`.' },
  'contributes.events[].handler': {
    description: 'The handler that gets `{event: {id, name, payload, publisher, createdAt}}`.',
  },
  'contributes.hooks': {
    description:
      'Sign-in hooks (needs `permissions.auth.hooks`). Declared and checked; this kernel does not call plugin hooks yet.',
  },
  'contributes.hooks[].point': {
    description:
      '`auth.second_factor`: a second factor after the password matched; `auth.authenticator`: accepts non-cookie credentials such as bearer tokens.',
  },
  'contributes.hooks[].handler': { description: 'The handler of the hook.' },
  'contributes.mcpTools': {
    description:
      'Tools for AI agents (Model Context Protocol). Declared and checked; this kernel does not serve MCP yet.',
  },
  'contributes.mcpTools[].name': { description: 'The tool’s name.' },
  'contributes.mcpTools[].description': { description: 'What the tool does, for the model.' },
  'contributes.mcpTools[].scope': { description: 'Token scope a caller needs.' },
  'contributes.mcpTools[].handler': { description: 'The handler that runs the tool.' },
  'contributes.mcpTools[].inputSchema': {
    description: 'JSON Schema of the tool’s input (`definePlugin` generates it from the zod `input`).',
  },
  'contributes.i18n': {
    description:
      'Translation bundles by locale (`en`, `de`, `pt-BR` …): JSON files of key → text, relative to the plugin folder.',
    checks: 'paths inside the plugin folder',
  },
  'contributes.settings': { checks: 'a schema Ajv compiles, and `settingsDefaults` valid against it' },
  'contributes.migrations': { checks: 'a path inside the plugin folder' },
  'contributes.assets': { checks: 'a path inside the plugin folder' },
};

/** A field as one table row. */
function row(fieldPath, node, required, notes, sections) {
  const note = notes.take(fieldPath);
  const description = node.description ?? note?.description;
  if (!description) {
    throw new Error(
      `${fieldPath} has no description: add .describe('…') to it in sdk/src/manifest/schema.ts and run \`npm run schema -w @goatflow/sdk\` (or add a note in scripts/manifest-reference.mjs)`,
    );
  }
  if (node.description && note?.description) {
    throw new Error(
      `${fieldPath}: the schema describes it now; remove its description from NOTES in scripts/manifest-reference.mjs`,
    );
  }
  const constraints = constraintsOf(node);
  if (note?.checks) constraints.push(`also checked: ${note.checks}`);
  const before = sections.length;
  const type = typeOf(node, fieldPath.replace(/ \(.*\)$/, ''), sections);
  if (sections.length > before) sections[sections.length - 1].description = description;
  return {
    path: fieldPath,
    type,
    required,
    constraints,
    description,
  };
}

function checkKeywords(node, where) {
  for (const key of Object.keys(node)) {
    if (!RENDERED.has(key)) {
      throw new Error(
        `${where} uses the JSON Schema keyword "${key}", which scripts/manifest-reference.mjs does not render yet: teach it (constraintsOf/typeOf)`,
      );
    }
  }
}

const json = (value) => `\`${JSON.stringify(value)}\``;
const code = (text) => `\`${text}\``;

/** The object schema an array or object field leads to (a section of its own), if any. */
function sectionOf(node, fieldPath) {
  if (node.type === 'object' && node.properties) return { path: fieldPath, node };
  if (node.type === 'array' && node.items?.type === 'object' && node.items.properties) {
    return { path: `${fieldPath}[]`, node: node.items };
  }
  return undefined;
}

function typeOf(node, fieldPath, sections) {
  const section = fieldPath && sectionOf(node, fieldPath);
  if (section) {
    sections.push(section);
    const link = `[${node.type === 'array' ? 'array of objects' : 'object'}](#${anchor(section.path)})`;
    return link;
  }
  if ('const' in node) return json(node.const);
  if (node.anyOf || node.oneOf) return (node.anyOf ?? node.oneOf).map((n) => typeOf(n)).join(' or ');
  if (node.type === 'array') return `array of ${node.items ? typeOf(node.items) : 'any'}`;
  if (node.type === 'object') return node.additionalProperties === undefined ? 'object' : 'object (map)';
  return node.type ?? 'any JSON';
}

function range(min, max, unit = '') {
  if (min === 1 && max === undefined) return 'not empty';
  if (min !== undefined && max !== undefined) return `${min}–${max}${unit}`;
  if (min !== undefined) return `≥ ${min}${unit}`;
  return `≤ ${max}${unit}`;
}

function constraintsOf(node) {
  const out = [];
  if (node.enum) out.push(`one of ${node.enum.map(json).join(', ')}`);
  if (node.pattern) out.push(`pattern ${code(node.pattern)}`);
  if (node.format) out.push(`format ${code(node.format)}`);
  if (node.minLength !== undefined || node.maxLength !== undefined) {
    const length = range(node.minLength, node.maxLength);
    out.push(length === 'not empty' ? length : `${length} characters`);
  }
  if (node.minimum !== undefined || node.maximum !== undefined) out.push(range(node.minimum, node.maximum));
  if (node.exclusiveMinimum !== undefined) out.push(`> ${node.exclusiveMinimum}`);
  if (node.exclusiveMaximum !== undefined) out.push(`< ${node.exclusiveMaximum}`);
  if (node.minItems !== undefined || node.maxItems !== undefined) {
    const items = range(node.minItems, node.maxItems);
    out.push(items === 'not empty' ? items : `${items} items`);
  }
  if (node.uniqueItems) out.push('no duplicates');
  const alternatives = node.anyOf ?? node.oneOf;
  if (alternatives) {
    for (const alt of alternatives) {
      checkKeywords(alt, 'an alternative');
      const inner = constraintsOf(alt);
      if (inner.length) out.push(`${typeOf(alt)}: ${inner.join(', ')}`);
    }
  }
  if (node.type === 'array' && node.items && !(node.items.type === 'object' && node.items.properties)) {
    checkKeywords(node.items, 'array items');
    const inner = constraintsOf(node.items);
    if (inner.length) out.push(`each: ${inner.join(', ')}`);
  }
  if (node.type === 'object' && !node.properties) {
    if (node.propertyNames) {
      checkKeywords(node.propertyNames, 'property names');
      const keys = constraintsOf(node.propertyNames);
      if (keys.length) out.push(`keys: ${keys.join(', ')}`);
    }
    const values = node.additionalProperties;
    if (values && typeof values === 'object') {
      checkKeywords(values, 'map values');
      const inner = constraintsOf(values);
      const type = typeOf(values);
      out.push(
        `values: ${type === 'any JSON' ? 'any JSON' : type}${inner.length ? `, ${inner.join(', ')}` : ''}`,
      );
    }
  }
  if (node.type === 'object' && node.properties && node.additionalProperties !== false) {
    out.push('other fields allowed');
  }
  if (node.default !== undefined) out.push(`default ${json(node.default)}`);
  return out;
}

/** GitHub's heading anchor for a heading that is just this path in backticks. */
function anchor(text) {
  return text.toLowerCase().replace(/[^a-z0-9 _-]/g, '');
}

/** Tracks which notes were used, so a note for a field that no longer exists is reported. */
function notesTracker() {
  const used = new Set();
  return {
    take(key) {
      if (NOTES[key]) used.add(key);
      return NOTES[key];
    },
    unused: () => Object.keys(NOTES).filter((k) => !used.has(k)),
  };
}

/** The rows of one object schema; nested objects are appended to `sections`. */
function rowsOf(section, notes, sections, qualifier = '') {
  checkKeywords(section.node, section.path || 'the manifest');
  const required = new Set(section.node.required ?? []);
  return Object.entries(section.node.properties).map(([name, node]) => {
    checkKeywords(node, `${section.path ? `${section.path}.` : ''}${name}`);
    const fieldPath = section.path ? `${section.path}.${name}` : name;
    const noteKey =
      qualifier && NOTES[`${fieldPath} (${qualifier})`] ? `${fieldPath} (${qualifier})` : fieldPath;
    const r = row(noteKey, node, required.has(name), notes, sections);
    return { ...r, path: fieldPath };
  });
}

function renderRows(rows) {
  const cell = (text) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
  const lines = [
    '| field | type | required | constraints | description |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${cell(code(r.path))}${r.only ? ` (${r.only})` : ''} | ${cell(r.type)} | ${r.required ? 'yes' : 'no'} | ${cell(r.constraints.join('; ') || '—')} | ${cell(r.description)} |`,
    );
  }
  return lines.join('\n');
}

function generate(schema) {
  const branches = schema.oneOf;
  if (!Array.isArray(branches) || !branches.every((b) => b.properties?.runtime?.const)) {
    throw new Error(`${SCHEMA}: expected a oneOf of objects told apart by a constant "runtime"`);
  }
  const notes = notesTracker();
  const runtimes = branches.map((b) => b.properties.runtime.const);

  // Every section (the manifest itself, then each nested object in order of appearance) rendered per runtime;
  // a field the same in every runtime is one row, a field that differs gets a row per runtime.
  const order = [];
  const bySection = new Map();
  branches.forEach((branch, i) => {
    const runtime = runtimes[i];
    const queue = [{ path: '', node: branch }];
    while (queue.length) {
      const section = queue.shift();
      const nested = [];
      const rows = rowsOf(section, notes, nested, runtime);
      queue.push(...nested);
      if (!bySection.has(section.path)) {
        bySection.set(section.path, { description: section.description, perRuntime: new Map() });
        order.push(section.path);
      }
      bySection.get(section.path).perRuntime.set(runtime, rows);
    }
  });

  const stale = notes.unused();
  if (stale.length) {
    throw new Error(
      `NOTES in scripts/manifest-reference.mjs name fields the schema does not have: ${stale.join(', ')} — remove or rename them`,
    );
  }

  const parts = [];
  for (const sectionPath of order) {
    const { perRuntime, description } = bySection.get(sectionPath);
    const present = [...perRuntime.keys()];
    const merged = [];
    const seen = new Set();
    for (const runtime of present) {
      for (const r of perRuntime.get(runtime)) {
        if (seen.has(r.path)) continue;
        seen.add(r.path);
        const variants = present.map((rt) => perRuntime.get(rt).find((x) => x.path === r.path));
        const same = variants.every((v) => v && JSON.stringify(v) === JSON.stringify(variants[0]));
        if (same) {
          merged.push(r);
        } else if (r.path === 'runtime') {
          merged.push({ ...r, type: 'string', constraints: [`one of ${runtimes.map(json).join(', ')}`] });
        } else {
          present.forEach((rt, i) => {
            if (variants[i]) merged.push({ ...variants[i], only: `${code('runtime')} ${json(rt)}` });
          });
        }
      }
    }
    const onlyIn =
      present.length < runtimes.length
        ? `Only with ${code('runtime')} ${present.map(json).join(' or ')}.`
        : '';
    if (sectionPath) {
      parts.push(`## ${code(sectionPath)}`, '');
      if (description) parts.push(description, '');
      if (onlyIn) parts.push(onlyIn, '');
      if (sectionPath.endsWith('[]')) parts.push(`Each item of ${code(sectionPath.slice(0, -2))}:`, '');
    } else {
      parts.push('## The manifest', '');
    }
    parts.push(renderRows(merged), '');
  }

  return `<!-- Generated by ${COMMAND} from ${SCHEMA}; do not edit. To change it, change sdk/src/manifest/schema.ts, run \`npm run schema -w @goatflow/sdk\`, then \`${COMMAND}\`. -->

# Manifest reference: \`goatflow-plugin.json\`

Every plugin has a \`goatflow-plugin.json\` at the root of its folder or package: what the kernel reads to know what the
plugin is, what it asks for and what it offers. With the SDK you do not write it by hand: \`goatflow-plugin build\`
generates it from the plugin's definition (\`src/plugin.ts\`, \`definePlugin\`), and \`goatflow-plugin validate\` fails
when the file on disk differs from the definition (see the [plugin guide](guide.md#the-manifest)).

This page is generated from the manifest's JSON Schema, [\`@goatflow/sdk/schema/goatflow-plugin.schema.json\`](../../${SCHEMA})
(${code(schema.$id)}), which the SDK ships for editors. How to read it:

- Every object is strict: a field not listed here is an error, never ignored.
- "required: no" with a default means the kernel uses the default when the field is left out.
- Patterns are JavaScript regular expressions that must match the whole value.
- "also checked" names what the kernel checks beyond the JSON Schema when it loads or receives the plugin. Every
  problem is reported with its JSON path, e.g. \`/contributes/routes/0/auth\`, at upload, at load and by
  \`goatflow-plugin validate\`.
- What each permission lets the plugin do is in the [Host API reference](${HOST_API}) and the
  [guide](guide.md#permissions).

${parts.join('\n').trimEnd()}
`;
}

function main() {
  const check = process.argv.includes('--check');
  const schema = JSON.parse(fs.readFileSync(path.join(root, SCHEMA), 'utf8'));
  const text = generate(schema);
  const target = path.join(root, TARGET);
  if (check) {
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
    if (current !== text) {
      process.stderr.write(
        `${TARGET} is out of date with ${SCHEMA}: run \`${COMMAND}\` and commit the result.\n`,
      );
      process.exit(1);
    }
    process.stdout.write(`${TARGET} is up to date.\n`);
    return;
  }
  fs.writeFileSync(target, text);
  process.stdout.write(`wrote ${TARGET}\n`);
}

try {
  main();
} catch (err) {
  process.stderr.write(`manifest-reference: ${err.message}\n`);
  process.exit(1);
}
