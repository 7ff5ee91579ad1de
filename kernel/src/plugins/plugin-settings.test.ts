import { type PluginManifest, validateManifest } from '@goatflow/sdk';
import { describe, expect, it } from 'vitest';
import {
  effectiveSettings,
  maskSecrets,
  SECRET_MASK,
  settingsManifestIssues,
  unmaskSecrets,
  validateSettings,
} from './plugin-settings.js';

function manifest(extra: Record<string, unknown>): PluginManifest {
  const result = validateManifest({
    id: 'settings-test',
    version: '1.0.0',
    name: 'Settings test',
    kernelApi: '^1.0.0',
    runtime: 'wasm',
    entry: 'plugin.wasm',
    ...extra,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.manifest;
}

const schema = {
  type: 'object',
  properties: {
    url: { type: 'string', format: 'uri' },
    retries: { type: 'integer', minimum: 0, maximum: 5 },
    nested: {
      type: 'object',
      properties: { 'a/b': { type: 'string', maxLength: 3 } },
      additionalProperties: false,
    },
  },
  required: ['url'],
  additionalProperties: false,
};

describe('settingsManifestIssues', () => {
  it('accepts a usable schema with defaults that may leave required settings to the admin', () => {
    expect(
      settingsManifestIssues(
        manifest({ contributes: { settings: schema }, settingsDefaults: { retries: 2 } }),
      ),
    ).toEqual([]);
  });

  it('names a misspelt keyword, a schema Ajv cannot compile, and defaults the schema rejects', () => {
    expect(
      settingsManifestIssues(manifest({ contributes: { settings: { type: 'object', requird: ['x'] } } })),
    ).toEqual([{ path: '/contributes/settings', message: expect.stringMatching(/requird/) }]);
    expect(
      settingsManifestIssues(
        manifest({ contributes: { settings: { type: 'object', properties: { a: { type: 'strng' } } } } }),
      ),
    ).toEqual([
      { path: '/contributes/settings', message: expect.stringMatching(/not a usable JSON Schema/) },
    ]);
    expect(
      settingsManifestIssues(
        manifest({ contributes: { settings: schema }, settingsDefaults: { retries: 9 } }),
      ),
    ).toEqual([{ path: '/settingsDefaults/retries', message: 'must be <= 5' }]);
  });

  it('refuses defaults without a schema', () => {
    expect(settingsManifestIssues(manifest({ settingsDefaults: { a: 1 } }))).toEqual([
      { path: '/settingsDefaults', message: expect.stringMatching(/no contributes.settings/) },
    ]);
  });
});

describe('validateSettings', () => {
  it('passes valid settings', () => {
    expect(validateSettings(schema, { url: 'https://example.com/hook', retries: 3 })).toEqual([]);
  });

  it('reports every failing field by its path under settings, with translatable codes', () => {
    expect(
      validateSettings(schema, { retries: 6, url: 'not a uri', extra: 1, nested: { 'a/b': 'long' } }),
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'settings.retries', code: 'too_large', params: { maximum: 5 } }),
        expect.objectContaining({ path: 'settings.url', code: 'invalid_format' }),
        expect.objectContaining({ path: 'settings.extra', code: 'unknown_field' }),
        expect.objectContaining({ path: 'settings.nested.a/b', code: 'too_long', params: { maximum: 3 } }),
      ]),
    );
    expect(validateSettings(schema, {})).toEqual([
      { path: 'settings.url', message: 'is required', code: 'required' },
    ]);
    expect(validateSettings(schema, { url: 5 })).toEqual([
      expect.objectContaining({ path: 'settings.url', code: 'invalid_type', params: { expected: 'string' } }),
    ]);
  });
});

describe('effectiveSettings', () => {
  it('overlays saved values on the defaults', () => {
    const m = manifest({
      contributes: { settings: schema },
      settingsDefaults: { retries: 2, url: 'https://a' },
    });
    expect(effectiveSettings(m, { url: 'https://b' })).toEqual({ retries: 2, url: 'https://b' });
    expect(effectiveSettings(undefined, { a: 1 })).toEqual({ a: 1 });
  });
});

describe('secret settings', () => {
  const withSecrets = {
    type: 'object',
    properties: {
      token: { type: 'string', writeOnly: true },
      password: { type: 'string', format: 'password' },
      name: { type: 'string' },
    },
  };

  it('masks secrets that have a value and leaves everything else', () => {
    expect(maskSecrets(withSecrets, { token: 't', password: '', name: 'n' })).toEqual({
      token: SECRET_MASK,
      password: '',
      name: 'n',
    });
  });

  it('restores a secret sent back as the mask, and takes a new or removed one as given', () => {
    const previous = { token: 'old', password: 'pw' };
    expect(unmaskSecrets(withSecrets, { token: SECRET_MASK, password: 'new', name: 'n' }, previous)).toEqual({
      token: 'old',
      password: 'new',
      name: 'n',
    });
    expect(unmaskSecrets(withSecrets, { name: 'n' }, previous)).toEqual({ name: 'n' });
    expect(unmaskSecrets(withSecrets, { token: SECRET_MASK }, {})).toEqual({});
  });
});
