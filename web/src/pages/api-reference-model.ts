/**
 * What the API reference page shows, worked out from the merged OpenAPI document without a browser: operations
 * grouped by tag, their parameters, and each JSON Schema flattened into indented rows (name, type, constraints)
 * that the page renders as text. References are followed; a schema that refers to itself stops at the repeat.
 * @module
 */

/** A JSON object of the document; the page treats the document as untrusted data. */
type Json = Record<string, unknown>;

/** The parts of an OpenAPI 3.1 document the page reads. */
export interface OpenApiDocument {
  openapi?: string;
  info?: { title?: string; version?: string; description?: string };
  tags?: { name: string; description?: string }[];
  paths?: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
}

/** What a {@link Constraint} can say; each is translated as `apiReference.constraint.<key>`. */
export const CONSTRAINT_KEYS = [
  'format',
  'enum',
  'const',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'pattern',
  'default',
  'closed',
  'readOnly',
  'writeOnly',
  'truncated',
] as const;

/** A fact about a schema's values besides its type, e.g. `{key: 'maximum', value: '100'}` → "≤ 100". */
export interface Constraint {
  key: (typeof CONSTRAINT_KEYS)[number];
  value: string;
}

/** One row of a flattened schema. */
export interface SchemaRow {
  /** Nesting level, 0 for the schema itself. */
  depth: number;
  /**
   * The property name; `[]` for array items, `*` for other properties, `|` for one alternative (`anyOf`,
   * `oneOf`), `&` for one part (`allOf`); empty for the root.
   */
  name: string;
  /** JSON Schema's words: `string`, `integer | null`, `object`, `anyOf`…, and a component's name when referenced. */
  type: string;
  required: boolean;
  constraints: Constraint[];
  description: string;
}

export interface ParameterView {
  name: string;
  in: string;
  required: boolean;
  type: string;
  constraints: Constraint[];
  description: string;
}

export interface ResponseView {
  status: string;
  description: string;
  /**
   * An error answer's shared component (`ErrorBody`), named instead of expanded: every error has that shape, and
   * the page says so once.
   */
  schemaName: string;
  schema: SchemaRow[];
}

export interface OperationView {
  /** Upper case, e.g. `GET`. */
  method: string;
  path: string;
  operationId: string;
  summary: string;
  description: string;
  /** The `x-goatflow-auth` level, e.g. `agent`; empty when the document does not say. */
  auth: string;
  scope: string;
  parameters: ParameterView[];
  body: { required: boolean; schema: SchemaRow[] } | undefined;
  responses: ResponseView[];
}

export interface TagGroup {
  /** The tag; empty for operations without one. */
  name: string;
  description: string;
  operations: OperationView[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace'];
/** Deeper schemas are cut off: a reference page is not the place for them, and it bounds the work. */
const MAX_DEPTH = 8;
/**
 * Rows beyond this many are cut off, with a last row saying so: depth alone does not bound a schema whose objects
 * each refer to many others (50 properties over 8 levels would be 50⁸ rows).
 */
export const MAX_SCHEMA_ROWS = 500;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The value a local `$ref` points to in the document, or `undefined`. */
export function resolveRef(doc: OpenApiDocument, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let at: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (!isObject(at) || !Object.hasOwn(at, key)) return undefined;
    at = at[key];
  }
  return at;
}

/** The component name a reference ends in, without its plugin prefix: `#/components/schemas/tickets.Ticket` → `Ticket`. */
function refName(ref: string): string {
  const last = ref.split('/').pop() ?? ref;
  return last.includes('.') ? last.slice(last.indexOf('.') + 1) : last;
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `string`, `integer | null`, `array`…: what the schema's `type` (or `const`/`enum`) says. */
function typeOf(schema: Json): string {
  if (Array.isArray(schema.type)) return schema.type.map(String).join(' | ');
  if (typeof schema.type === 'string') return schema.type;
  if (schema.const !== undefined) return typeof schema.const;
  if (isObject(schema.properties)) return 'object';
  if (schema.items !== undefined || schema.prefixItems !== undefined) return 'array';
  if (Array.isArray(schema.anyOf)) return 'anyOf';
  if (Array.isArray(schema.oneOf)) return 'oneOf';
  if (Array.isArray(schema.allOf)) return 'allOf';
  return 'any';
}

/** Keywords whose value is shown as is. */
const VALUE_KEYWORDS = [
  'format',
  'const',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'pattern',
  'default',
] as const;

/** What the schema says about its values besides the type. */
function constraintsOf(schema: Json): Constraint[] {
  const out: Constraint[] = [];
  if (Array.isArray(schema.enum)) out.push({ key: 'enum', value: schema.enum.map(show).join(', ') });
  for (const key of VALUE_KEYWORDS) {
    if (schema[key] === undefined) continue;
    // Values are JSON, so an empty default reads `""` and a string reads apart from a number.
    const value = key === 'default' || key === 'const' ? JSON.stringify(schema[key]) : show(schema[key]);
    out.push({ key, value });
  }
  if (schema.additionalProperties === false) out.push({ key: 'closed', value: '' });
  if (schema.readOnly === true) out.push({ key: 'readOnly', value: '' });
  if (schema.writeOnly === true) out.push({ key: 'writeOnly', value: '' });
  return out;
}

/**
 * Flattens a schema into rows, following `$ref`s; a reference already being expanded above is shown by name
 * and not expanded again. After {@link MAX_SCHEMA_ROWS} rows the rest is left out, and a last row (name `…`,
 * constraint `truncated`) says so.
 * @param doc - the document the references point into
 * @param schema - a JSON Schema (or a reference)
 */
export function schemaRows(doc: OpenApiDocument, schema: unknown): SchemaRow[] {
  const rows: SchemaRow[] = [];
  let truncated = false;
  const walk = (node: unknown, depth: number, name: string, required: boolean, seen: Set<string>) => {
    if (!isObject(node) || depth > MAX_DEPTH) return;
    if (rows.length >= MAX_SCHEMA_ROWS) {
      truncated = true;
      return;
    }
    const ref = typeof node.$ref === 'string' ? node.$ref : undefined;
    if (ref) {
      const target = resolveRef(doc, ref);
      if (seen.has(ref) || !isObject(target)) {
        rows.push({
          depth,
          name,
          type: refName(ref),
          required,
          constraints: [],
          description: text(node.description),
        });
        return;
      }
      // Keywords beside the reference (a description, a default) apply too.
      const merged = { ...target, ...Object.fromEntries(Object.entries(node).filter(([k]) => k !== '$ref')) };
      const index = rows.length;
      walk(merged, depth, name, required, new Set([...seen, ref]));
      const row = rows[index];
      if (row) row.type = `${refName(ref)} (${row.type})`;
      return;
    }
    rows.push({
      depth,
      name,
      type: typeOf(node),
      required,
      constraints: constraintsOf(node),
      description: text(node.description),
    });
    if (isObject(node.properties)) {
      const requiredNames = new Set(Array.isArray(node.required) ? node.required.map(String) : []);
      for (const [key, child] of Object.entries(node.properties)) {
        walk(child, depth + 1, key, requiredNames.has(key), seen);
      }
    }
    if (isObject(node.additionalProperties)) walk(node.additionalProperties, depth + 1, '*', false, seen);
    if (isObject(node.items)) walk(node.items, depth + 1, '[]', false, seen);
    if (Array.isArray(node.prefixItems)) {
      for (const [i, item] of node.prefixItems.entries()) walk(item, depth + 1, `[${i}]`, true, seen);
    }
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
      const list = node[key];
      if (Array.isArray(list))
        for (const item of list) walk(item, depth + 1, key === 'allOf' ? '&' : '|', false, seen);
    }
  };
  walk(schema, 0, '', true, new Set());
  if (truncated) {
    rows.push({
      depth: 0,
      name: '…',
      type: '',
      required: false,
      constraints: [{ key: 'truncated', value: String(MAX_SCHEMA_ROWS) }],
      description: '',
    });
  }
  return rows;
}

function jsonSchemaOf(content: unknown): unknown {
  if (!isObject(content)) return undefined;
  const json = content['application/json'] ?? Object.values(content)[0];
  return isObject(json) ? json.schema : undefined;
}

function deref(doc: OpenApiDocument, value: unknown): Json | undefined {
  if (isObject(value) && typeof value.$ref === 'string') {
    const target = resolveRef(doc, value.$ref);
    return isObject(target) ? target : undefined;
  }
  return isObject(value) ? value : undefined;
}

function parameterView(doc: OpenApiDocument, raw: unknown): ParameterView | undefined {
  const p = deref(doc, raw);
  if (!p || typeof p.name !== 'string') return undefined;
  const [root] = schemaRows(doc, p.schema);
  return {
    name: p.name,
    in: text(p.in),
    required: p.required === true,
    type: root?.type ?? 'any',
    constraints: root?.constraints ?? [],
    description: text(p.description) || root?.description || '',
  };
}

function operationView(
  doc: OpenApiDocument,
  path: string,
  method: string,
  raw: Json,
  item: Json,
): OperationView {
  const parameters = [
    ...(Array.isArray(item.parameters) ? item.parameters : []),
    ...(Array.isArray(raw.parameters) ? raw.parameters : []),
  ]
    .map((p) => parameterView(doc, p))
    .filter((p): p is ParameterView => p !== undefined);
  const requestBody = deref(doc, raw.requestBody);
  const responses = Object.entries(isObject(raw.responses) ? raw.responses : {})
    .map(([status, r]) => {
      const response = deref(doc, r) ?? {};
      const schema = jsonSchemaOf(response.content);
      const shared = Number(status) >= 400 && isObject(schema) && typeof schema.$ref === 'string';
      return {
        status,
        description: text(response.description),
        schemaName: shared ? refName(String(schema.$ref)) : '',
        schema: schema && !shared ? schemaRows(doc, schema) : [],
      };
    })
    .sort((a, b) => a.status.localeCompare(b.status));
  return {
    method: method.toUpperCase(),
    path,
    operationId: text(raw.operationId),
    summary: text(raw.summary),
    description: text(raw.description),
    auth: text(raw['x-goatflow-auth']),
    scope: text(raw['x-goatflow-scope']),
    parameters,
    body: requestBody
      ? {
          required: requestBody.required === true,
          schema: schemaRows(doc, jsonSchemaOf(requestBody.content)),
        }
      : undefined,
    responses,
  };
}

/**
 * The operations of the document by tag: in the order of the document's `tags`, then tags it does not list,
 * then (name `''`) operations without a tag. An operation with several tags shows under each.
 * @param doc - the parsed `GET /api/v1/openapi.json`
 */
export function groupByTag(doc: OpenApiDocument): TagGroup[] {
  const groups = new Map<string, TagGroup>();
  for (const tag of Array.isArray(doc.tags) ? doc.tags : []) {
    if (isObject(tag) && typeof tag.name === 'string' && !groups.has(tag.name)) {
      groups.set(tag.name, { name: tag.name, description: text(tag.description), operations: [] });
    }
  }
  const untagged: TagGroup = { name: '', description: '', operations: [] };
  for (const [path, item] of Object.entries(isObject(doc.paths) ? doc.paths : {})) {
    if (!isObject(item)) continue;
    for (const method of METHODS) {
      const raw = item[method];
      if (!isObject(raw)) continue;
      const operation = operationView(doc, path, method, raw, item);
      const tags = Array.isArray(raw.tags) ? raw.tags.filter((t): t is string => typeof t === 'string') : [];
      if (tags.length === 0) untagged.operations.push(operation);
      for (const tag of tags) {
        if (!groups.has(tag)) groups.set(tag, { name: tag, description: '', operations: [] });
        groups.get(tag)!.operations.push(operation);
      }
    }
  }
  return [...groups.values(), untagged].filter((g) => g.operations.length > 0);
}

/**
 * The groups with only the operations whose method, path, summary or operation id contain `query`
 * (case-insensitive); all of them for an empty query.
 */
export function filterGroups(groups: TagGroup[], query: string): TagGroup[] {
  const q = query.trim().toLowerCase();
  if (!q) return groups;
  return groups
    .map((g) => ({
      ...g,
      operations: g.operations.filter((o) =>
        [o.method, o.path, o.summary, o.operationId].some((s) => s.toLowerCase().includes(q)),
      ),
    }))
    .filter((g) => g.operations.length > 0);
}
