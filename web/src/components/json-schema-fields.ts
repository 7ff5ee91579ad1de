/**
 * The model behind `<gf-json-schema-form>`, free of the DOM so it is unit-tested in Node: which control each
 * property of a JSON Schema (2020-12, `type: "object"`) gets, the form's draft from the values in effect, the
 * typed values back from the draft, and the kernel's field errors matched to the fields they name.
 *
 * The form does not validate: the kernel checks the values against the same schema and answers with field
 * errors. What the model does is type conversion (numbers, booleans, lists, JSON) and one rule about empty
 * controls: a control left empty leaves its setting unset, while a control emptied by the admin sets the empty
 * value (`""`, `[]`, `false`) — except numbers and choices, which have no empty value and are then unset.
 * @module
 */
import type { FieldIssue } from '../api/client.js';
import { ApiError } from '../api/client.js';
import { fieldIssueMessage } from '../i18n/field-message.js';

export type JsonObject = Record<string, unknown>;

interface BaseField {
  /** The property's name in its object. */
  name: string;
  /** The property path from the root, dot-separated (`smtp.host`): draft key, error path and test id. */
  key: string;
  /** A unique element id inside the form. */
  domId: string;
  /** The schema's `title`, else the property name. */
  label: string;
  description: string | undefined;
  required: boolean;
  readOnly: boolean;
}

export type TextInput = 'text' | 'email' | 'url' | 'password' | 'date';

export interface TextField extends BaseField {
  kind: 'text';
  input: TextInput;
}

export interface NumberField extends BaseField {
  kind: 'number';
  integer: boolean;
  minimum: number | undefined;
  maximum: number | undefined;
  /** The input's `step`: `multipleOf`, 1 for integers, else `any`. */
  step: string;
}

export interface BooleanField extends BaseField {
  kind: 'boolean';
}

export interface SelectOption {
  /** The option's value as JSON text, so non-string choices keep their type. */
  value: string;
  label: string;
}

export interface SelectField extends BaseField {
  kind: 'select';
  options: SelectOption[];
}

/** An array of strings, one per line. */
export interface LinesField extends BaseField {
  kind: 'lines';
}

export interface ObjectField extends BaseField {
  kind: 'object';
  shape: ObjectShape;
}

/** Anything the form has no control for: edited as JSON rather than dropped. */
export interface JsonField extends BaseField {
  kind: 'json';
}

export type SchemaField =
  | TextField
  | NumberField
  | BooleanField
  | SelectField
  | LinesField
  | ObjectField
  | JsonField;

export interface ObjectShape {
  fields: SchemaField[];
  /** `additionalProperties: false`: values the schema does not describe cannot be kept. */
  closed: boolean;
}

/** The form's state: control text per field key (checked state for booleans). */
export type Draft = Record<string, string | boolean>;

/** Keywords that change what shape a value may have: such a property is edited as JSON. */
const UNSUPPORTED = [
  '$ref',
  '$dynamicRef',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
  'const',
  'dependentSchemas',
  'patternProperties',
  'prefixItems',
  'unevaluatedProperties',
];

const TEXT_FORMATS: Record<string, TextInput> = {
  email: 'email',
  'idn-email': 'email',
  uri: 'url',
  iri: 'url',
  date: 'date',
  password: 'password',
};

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** `oneOf: [{const, title}, …]`, the usual way to give choices labels. */
function labelledChoices(schema: JsonObject): SelectOption[] | undefined {
  const choices = schema.oneOf;
  if (!Array.isArray(choices) || choices.length === 0) return undefined;
  if (!choices.every((choice) => isJsonObject(choice) && 'const' in choice)) return undefined;
  return (choices as JsonObject[]).map((choice) => ({
    value: JSON.stringify(choice.const),
    label: text(choice.title) ?? String(choice.const),
  }));
}

function enumChoices(schema: JsonObject): SelectOption[] | undefined {
  if (!Array.isArray(schema.enum) || schema.enum.length === 0) return undefined;
  return schema.enum.map((value) => ({
    value: JSON.stringify(value),
    label: typeof value === 'string' ? value : JSON.stringify(value),
  }));
}

function numberField(base: BaseField, schema: JsonObject, integer: boolean): NumberField {
  const multipleOf = finite(schema.multipleOf);
  return {
    ...base,
    kind: 'number',
    integer,
    minimum: finite(schema.minimum),
    maximum: finite(schema.maximum),
    step: multipleOf !== undefined ? String(multipleOf) : integer ? '1' : 'any',
  };
}

function describeField(
  name: string,
  schema: unknown,
  parent: string[],
  required: boolean,
  ids: { next: number },
): SchemaField {
  const path = [...parent, name];
  const node = isJsonObject(schema) ? schema : {};
  const base: BaseField = {
    name,
    key: path.join('.'),
    domId: `setting-${ids.next++}`,
    label: text(node.title) ?? name,
    description: text(node.description),
    required,
    readOnly: node.readOnly === true,
  };
  const json: JsonField = { ...base, kind: 'json' };
  if (!isJsonObject(schema)) return json;

  const labelled = labelledChoices(node);
  if (labelled && (node.type === undefined || typeof node.type === 'string')) {
    return { ...base, kind: 'select', options: labelled };
  }
  if (UNSUPPORTED.some((keyword) => keyword in node)) return json;
  // `type: ["string", "null"]` and friends: the form could not tell an empty string from null.
  if (node.type !== undefined && typeof node.type !== 'string') return json;
  const type = node.type as string | undefined;

  const choices = enumChoices(node);
  if (choices)
    return type === 'array' || type === 'object' ? json : { ...base, kind: 'select', options: choices };

  switch (type) {
    case 'string': {
      const format = typeof node.format === 'string' ? TEXT_FORMATS[node.format] : undefined;
      const input: TextInput = node.writeOnly === true ? 'password' : (format ?? 'text');
      return { ...base, kind: 'text', input };
    }
    case 'integer':
      return numberField(base, node, true);
    case 'number':
      return numberField(base, node, false);
    case 'boolean':
      return { ...base, kind: 'boolean' };
    case 'array': {
      const items = node.items;
      const ofStrings =
        isJsonObject(items) &&
        items.type === 'string' &&
        !UNSUPPORTED.some((keyword) => keyword in items) &&
        !('contains' in node);
      return ofStrings ? { ...base, kind: 'lines' } : json;
    }
    case 'object':
      return isJsonObject(node.properties)
        ? { ...base, kind: 'object', shape: describeShape(node, path, ids) }
        : json;
    default:
      return json;
  }
}

function describeShape(schema: JsonObject, path: string[], ids: { next: number }): ObjectShape {
  const properties = isJsonObject(schema.properties) ? schema.properties : {};
  const required = new Set(
    Array.isArray(schema.required) ? schema.required.filter((r) => typeof r === 'string') : [],
  );
  return {
    fields: Object.entries(properties).map(([name, property]) =>
      describeField(name, property, path, required.has(name), ids),
    ),
    closed: schema.additionalProperties === false,
  };
}

/** The fields of a settings schema, in the order the schema lists its properties. */
export function describeSchema(schema: JsonObject): ObjectShape {
  return describeShape(schema, [], { next: 0 });
}

/** Every field key, nested ones included. */
export function fieldKeys(shape: ObjectShape): string[] {
  return shape.fields.flatMap((field) =>
    field.kind === 'object' ? [field.key, ...fieldKeys(field.shape)] : [field.key],
  );
}

function draftValue(field: SchemaField, value: unknown, draft: Draft): void {
  switch (field.kind) {
    case 'boolean':
      draft[field.key] = value === true;
      return;
    case 'object':
      fillDraft(field.shape, isJsonObject(value) ? value : {}, draft);
      return;
    case 'text':
    case 'number':
      draft[field.key] =
        value === undefined || value === null
          ? ''
          : typeof value === 'string'
            ? value
            : JSON.stringify(value);
      return;
    case 'select':
      draft[field.key] = value === undefined ? '' : JSON.stringify(value);
      return;
    case 'lines':
      draft[field.key] = Array.isArray(value)
        ? value.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n')
        : value === undefined
          ? ''
          : JSON.stringify(value);
      return;
    case 'json':
      draft[field.key] = value === undefined ? '' : JSON.stringify(value, null, 2);
      return;
  }
}

function fillDraft(shape: ObjectShape, values: JsonObject, draft: Draft): void {
  for (const field of shape.fields) draftValue(field, values[field.name], draft);
}

/** The controls' contents for the given values (the settings in effect). */
export function draftFrom(shape: ObjectShape, values: JsonObject): Draft {
  const draft: Draft = {};
  fillDraft(shape, values, draft);
  return draft;
}

export interface ValuesResult {
  values: JsonObject;
  /** Keys of JSON fields whose text is not JSON: nothing can be sent until they are fixed. */
  invalidJson: string[];
}

function fieldValue(field: SchemaField, draft: Draft, original: unknown, invalidJson: string[]): unknown {
  const had = original !== undefined;
  const raw = draft[field.key];
  const entry = typeof raw === 'string' ? raw : '';
  switch (field.kind) {
    case 'text':
      return entry === '' && !had ? undefined : entry;
    case 'number': {
      if (entry.trim() === '') return undefined;
      const number = Number(entry);
      // Not a number: sent as typed, so the kernel's answer says what is wrong with it.
      return Number.isFinite(number) ? number : entry;
    }
    case 'boolean':
      return raw !== true && !had ? undefined : raw === true;
    case 'select':
      if (entry === '') return undefined;
      try {
        return JSON.parse(entry);
      } catch {
        return entry;
      }
    case 'lines': {
      const lines = entry
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== '');
      return lines.length === 0 && !had ? undefined : lines;
    }
    case 'object': {
      const inner = collect(field.shape, draft, isJsonObject(original) ? original : undefined, invalidJson);
      return Object.keys(inner).length === 0 && !had ? undefined : inner;
    }
    case 'json':
      if (entry.trim() === '') return undefined;
      try {
        return JSON.parse(entry);
      } catch {
        invalidJson.push(field.key);
        return undefined;
      }
  }
}

function collect(
  shape: ObjectShape,
  draft: Draft,
  original: JsonObject | undefined,
  invalidJson: string[],
): JsonObject {
  const values: JsonObject = {};
  const described = new Set(shape.fields.map((field) => field.name));
  // Values the schema allows without describing them have no control; they are kept as they are.
  if (!shape.closed && original) {
    for (const [name, value] of Object.entries(original)) if (!described.has(name)) values[name] = value;
  }
  for (const field of shape.fields) {
    const value = fieldValue(field, draft, original?.[field.name], invalidJson);
    if (value !== undefined) values[field.name] = value;
  }
  return values;
}

/** The typed values to send, from the draft; `original` is what the draft was made from. */
export function valuesFrom(shape: ObjectShape, draft: Draft, original: JsonObject): ValuesResult {
  const invalidJson: string[] = [];
  const values = collect(shape, draft, original, invalidJson);
  return { values, invalidJson };
}

export interface SchemaFieldErrors {
  /** Translated message per field key: the first issue the kernel reported for it. */
  byField: Record<string, string>;
  /** Issues no field on screen matches, such as a setting the schema does not know. */
  other: FieldIssue[];
}

/**
 * Places a failed save's field issues at the fields they name. The kernel's paths start with `prefix`
 * (`settings.smtp.port`); a path deeper than any field (`settings.recipients.2`) lands on the nearest one.
 */
export function schemaFieldErrors(
  error: unknown,
  shape: ObjectShape,
  prefix = 'settings',
): SchemaFieldErrors {
  const result: SchemaFieldErrors = { byField: {}, other: [] };
  if (!(error instanceof ApiError)) return result;
  const keys = new Set(fieldKeys(shape));
  for (const issue of error.details) {
    const segments = issue.path.split('.');
    if (prefix && segments[0] === prefix) segments.shift();
    let key: string | undefined;
    for (let length = segments.length; length > 0 && key === undefined; length--) {
      const candidate = segments.slice(0, length).join('.');
      if (keys.has(candidate)) key = candidate;
    }
    if (key === undefined) result.other.push(issue);
    else if (!(key in result.byField)) result.byField[key] = fieldIssueMessage(issue);
  }
  return result;
}
