import { beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/client.js';
import { initI18n, setLanguage } from '../i18n/i18n.js';
import {
  describeSchema,
  draftFrom,
  fieldKeys,
  type JsonObject,
  type SchemaField,
  schemaFieldErrors,
  valuesFrom,
} from './json-schema-fields.js';

beforeEach(async () => {
  await initI18n('en');
});

const schema: JsonObject = {
  type: 'object',
  description: 'Settings of the test plugin.',
  properties: {
    greeting: { type: 'string', title: 'Greeting', description: 'Shown on the widget.', minLength: 1 },
    email: { type: 'string', format: 'email' },
    homepage: { type: 'string', format: 'uri' },
    apiKey: { type: 'string', writeOnly: true },
    secret: { type: 'string', format: 'password' },
    limit: { type: 'integer', minimum: 1, maximum: 100 },
    ratio: { type: 'number', multipleOf: 0.5 },
    factor: { type: 'number' },
    style: { type: 'string', enum: ['plain', 'friendly'] },
    level: { enum: [1, 2, 3] },
    mode: { oneOf: [{ const: 'a', title: 'Mode A' }, { const: 'b' }] },
    notify: { type: 'boolean', title: 'Notify' },
    recipients: { type: 'array', items: { type: 'string', format: 'email' } },
    smtp: {
      type: 'object',
      title: 'Mail server',
      properties: { host: { type: 'string' }, port: { type: 'integer' } },
      required: ['host'],
      additionalProperties: false,
    },
    matrix: { type: 'array', items: { type: 'integer' } },
    either: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
    nullable: { type: ['string', 'null'] },
    map: { type: 'object', additionalProperties: { type: 'string' } },
    untyped: {},
  },
  required: ['greeting', 'limit'],
};

function field(key: string, fields: SchemaField[] = describeSchema(schema).fields): SchemaField {
  for (const candidate of fields) {
    if (candidate.key === key) return candidate;
    if (candidate.kind === 'object') {
      const found = candidate.shape.fields.find((inner) => inner.key === key);
      if (found) return found;
    }
  }
  throw new Error(`no field ${key}`);
}

describe('describeSchema', () => {
  it('gives each property the control its type and format call for, in schema order', () => {
    const shape = describeSchema(schema);
    expect(shape.fields.map((f) => [f.key, f.kind])).toEqual([
      ['greeting', 'text'],
      ['email', 'text'],
      ['homepage', 'text'],
      ['apiKey', 'text'],
      ['secret', 'text'],
      ['limit', 'number'],
      ['ratio', 'number'],
      ['factor', 'number'],
      ['style', 'select'],
      ['level', 'select'],
      ['mode', 'select'],
      ['notify', 'boolean'],
      ['recipients', 'lines'],
      ['smtp', 'object'],
      ['matrix', 'json'],
      ['either', 'json'],
      ['nullable', 'json'],
      ['map', 'json'],
      ['untyped', 'json'],
    ]);
    const inputs = ['greeting', 'email', 'homepage', 'apiKey', 'secret'].map((key) => {
      const f = field(key);
      return f.kind === 'text' ? f.input : undefined;
    });
    expect(inputs).toEqual(['text', 'email', 'url', 'password', 'password']);
    expect(shape.closed).toBe(false);
  });

  it('takes labels, help and required markers from the schema, falling back to the property name', () => {
    expect(field('greeting')).toMatchObject({
      label: 'Greeting',
      description: 'Shown on the widget.',
      required: true,
    });
    expect(field('email')).toMatchObject({ label: 'email', description: undefined, required: false });
    expect(field('limit').required).toBe(true);
    expect(field('smtp.host')).toMatchObject({ label: 'host', required: true });
    expect(field('smtp.port').required).toBe(false);
  });

  it('carries number bounds and steps', () => {
    expect(field('limit')).toMatchObject({ integer: true, minimum: 1, maximum: 100, step: '1' });
    expect(field('ratio')).toMatchObject({ integer: false, step: '0.5' });
    expect(field('factor')).toMatchObject({ step: 'any', minimum: undefined });
  });

  it('keeps the type of choices and their labels', () => {
    expect(field('level')).toMatchObject({
      options: [
        { value: '1', label: '1' },
        { value: '2', label: '2' },
        { value: '3', label: '3' },
      ],
    });
    expect(field('mode')).toMatchObject({
      options: [
        { value: '"a"', label: 'Mode A' },
        { value: '"b"', label: 'b' },
      ],
    });
  });

  it('nests objects with their own keys and knows a closed object', () => {
    const smtp = field('smtp');
    expect(smtp.kind).toBe('object');
    if (smtp.kind !== 'object') return;
    expect(smtp.label).toBe('Mail server');
    expect(smtp.shape.closed).toBe(true);
    expect(fieldKeys(describeSchema(schema))).toContain('smtp.port');
  });

  it('gives every field a distinct element id', () => {
    const ids = new Set<string>();
    const walk = (fields: SchemaField[]) => {
      for (const f of fields) {
        ids.add(f.domId);
        if (f.kind === 'object') walk(f.shape.fields);
      }
    };
    walk(describeSchema(schema).fields);
    expect(ids.size).toBe(fieldKeys(describeSchema(schema)).length);
  });
});

describe('draftFrom and valuesFrom', () => {
  const shape = describeSchema(schema);
  const inEffect: JsonObject = {
    greeting: 'Hello',
    limit: 10,
    level: 2,
    mode: 'b',
    notify: true,
    recipients: ['a@example.com', 'b@example.com'],
    smtp: { host: 'mail.example.com', port: 25 },
    matrix: [1, 2],
    extra: 'kept',
  };

  it('fills the controls from the values in effect', () => {
    const draft = draftFrom(shape, inEffect);
    expect(draft).toMatchObject({
      greeting: 'Hello',
      email: '',
      limit: '10',
      level: '2',
      mode: '"b"',
      notify: true,
      recipients: 'a@example.com\nb@example.com',
      'smtp.host': 'mail.example.com',
      'smtp.port': '25',
      matrix: '[\n  1,\n  2\n]',
      untyped: '',
    });
    expect(draft.style).toBe('');
  });

  it('gives back what was in effect when nothing was edited', () => {
    const { values, invalidJson } = valuesFrom(shape, draftFrom(shape, inEffect), inEffect);
    expect(invalidJson).toEqual([]);
    expect(values).toEqual(inEffect);
  });

  it('converts edited controls to typed values', () => {
    const draft = {
      ...draftFrom(shape, inEffect),
      limit: '42',
      ratio: '1.5',
      level: '3',
      style: '"friendly"',
      notify: false,
      recipients: ' c@example.com \n\n d@example.com\n',
      'smtp.port': '587',
      matrix: '[3]',
      untyped: '{"a": true}',
    };
    expect(valuesFrom(shape, draft, inEffect).values).toEqual({
      ...inEffect,
      limit: 42,
      ratio: 1.5,
      level: 3,
      style: 'friendly',
      notify: false,
      recipients: ['c@example.com', 'd@example.com'],
      smtp: { host: 'mail.example.com', port: 587 },
      matrix: [3],
      untyped: { a: true },
    });
  });

  it('leaves controls that stayed empty unset, and sets emptied ones empty', () => {
    const values = { greeting: 'Hello', recipients: ['x@example.com'], notify: true, limit: 5 };
    const draft = { ...draftFrom(shape, values), greeting: '', recipients: '', notify: false, limit: '' };
    expect(valuesFrom(shape, draft, values).values).toEqual({ greeting: '', recipients: [], notify: false });
    expect(valuesFrom(shape, draftFrom(shape, {}), {}).values).toEqual({});
  });

  it('sends what is not a number as typed, for the kernel to refuse', () => {
    const draft = { ...draftFrom(shape, {}), limit: 'many' };
    expect(valuesFrom(shape, draft, {}).values).toEqual({ limit: 'many' });
  });

  it('reports JSON fields whose text does not parse, and sends nothing for them', () => {
    const draft = { ...draftFrom(shape, {}), matrix: '[1,', 'smtp.host': 'h' };
    expect(valuesFrom(shape, draft, {})).toEqual({
      values: { smtp: { host: 'h' } },
      invalidJson: ['matrix'],
    });
  });

  it('drops values a closed object does not describe, and keeps them in an open one', () => {
    const closed = describeSchema({
      type: 'object',
      properties: { a: { type: 'string' } },
      additionalProperties: false,
    });
    expect(valuesFrom(closed, { a: 'x' }, { a: 'x', old: 1 }).values).toEqual({ a: 'x' });
    const open = describeSchema({ type: 'object', properties: { a: { type: 'string' } } });
    expect(valuesFrom(open, { a: 'x' }, { a: 'x', old: 1 }).values).toEqual({ a: 'x', old: 1 });
  });
});

describe('schemaFieldErrors', () => {
  const shape = describeSchema(schema);

  it('puts each issue at the field its path names, nested ones included, translated', async () => {
    await setLanguage('de');
    const error = new ApiError(400, 'validation_failed', 'Bad', [
      { path: 'settings.limit', message: 'must be <= 100', code: 'too_large', params: { maximum: 100 } },
      { path: 'settings.smtp.host', message: 'is required', code: 'required' },
      { path: 'settings.recipients.1', message: 'must match format "email"', code: 'invalid_email' },
      { path: 'settings.limit', message: 'second issue', code: 'invalid' },
      { path: 'settings.unknown', message: 'is not a setting of this plugin', code: 'unknown_field' },
      { path: 'settings', message: 'must be object', code: 'invalid_type', params: { expected: 'object' } },
    ]);
    expect(schemaFieldErrors(error, shape)).toEqual({
      byField: {
        limit: 'Darf höchstens 100 sein.',
        'smtp.host': 'Dieses Feld ist erforderlich.',
        recipients: 'Geben Sie eine gültige E-Mail-Adresse ein.',
      },
      other: [
        { path: 'settings.unknown', message: 'is not a setting of this plugin', code: 'unknown_field' },
        { path: 'settings', message: 'must be object', code: 'invalid_type', params: { expected: 'object' } },
      ],
    });
  });

  it('has nothing to place for errors without field details', () => {
    expect(schemaFieldErrors(new Error('boom'), shape)).toEqual({ byField: {}, other: [] });
    expect(schemaFieldErrors(new ApiError(409, 'conflict', 'No settings.'), shape)).toEqual({
      byField: {},
      other: [],
    });
  });
});
