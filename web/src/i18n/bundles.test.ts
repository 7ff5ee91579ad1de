import { AUTH_LEVELS } from '@goatflow/sdk';
import { describe, expect, it } from 'vitest';
import {
  HEALTH_STATES,
  LOG_LEVELS,
  PERMISSION_KINDS,
  PLUGIN_ACTIONS,
  PLUGIN_STATES,
  UPLOAD_OUTCOMES,
} from '../api/plugins.js';
import { PERMISSIONS, USER_TYPES } from '../api/types.js';
import { CONSTRAINT_KEYS } from '../pages/api-reference-model.js';
import { THEME_MODES } from '../theme/theme.js';
import { SLOT_NAMES } from '../widgets/slots.js';
import de from './de.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };
import { TRANSLATED_ERROR_CODES } from './error-message.js';
import { FIELD_ERROR_CODES } from './field-message.js';
import { LANGUAGES } from './i18n.js';

type Bundle = { [key: string]: string | Bundle };

function flatten(bundle: Bundle, prefix = ''): Map<string, string> {
  const keys = new Map<string, string>();
  for (const [key, value] of Object.entries(bundle)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') keys.set(path, value);
    else for (const [nested, text] of flatten(value, path)) keys.set(nested, text);
  }
  return keys;
}

const enKeys = flatten(en);
const deKeys = flatten(de);

/** i18next resolves `t('x', {count})` to `x_one`/`x_other`, so a plural key exists as its `_other` form. */
function hasKey(key: string): boolean {
  return enKeys.has(key) || enKeys.has(`${key}_other`);
}

/** Every source file except tests, read as text by Vite so no Node types are needed. */
const sources = import.meta.glob(['../**/*.ts', '!../**/*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

const namespaces = Object.keys(en).join('|');

/**
 * Keys passed to t() directly, plus any quoted `namespace.key` string: some keys travel through variables first
 * (the login error, the start-up notice). Template-literal keys are covered by the explicit lists below.
 */
function usedKeys(): Map<string, string> {
  const used = new Map<string, string>();
  const patterns = [/\bt\(\s*(['"])([\w.-]+)\1/g, new RegExp(`(['"])((?:${namespaces})\\.[\\w.]+)\\1`, 'g')];
  // Slot names such as `dashboard.main` look like keys but are not.
  const notKeys = new Set<string>(SLOT_NAMES);
  for (const [file, text] of Object.entries(sources)) {
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) {
        const key = match[2] ?? '';
        if (!notKeys.has(key)) used.set(key, file);
      }
    }
  }
  return used;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] ?? '').sort();
}

describe('translation bundles', () => {
  it('have identical key sets in English and German', () => {
    const missingInDe = [...enKeys.keys()].filter((key) => !deKeys.has(key));
    const missingInEn = [...deKeys.keys()].filter((key) => !enKeys.has(key));
    expect({ missingInDe, missingInEn }).toEqual({ missingInDe: [], missingInEn: [] });
  });

  it('use the same interpolation placeholders in both languages', () => {
    const mismatched = [...enKeys].filter(
      ([key, text]) => placeholders(text).join() !== placeholders(deKeys.get(key) ?? '').join(),
    );
    expect(mismatched.map(([key]) => key)).toEqual([]);
  });

  it('contain no empty strings', () => {
    const empty = [...enKeys, ...deKeys].filter(([, text]) => text.trim() === '').map(([key]) => key);
    expect(empty).toEqual([]);
  });

  it('define every key that the source passes to t()', () => {
    const used = usedKeys();
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter(([key]) => !hasKey(key)).map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });

  it('define the keys that the source builds at run time', () => {
    const dynamic = [
      ...TRANSLATED_ERROR_CODES.map((code) => `errors.${code}`),
      ...FIELD_ERROR_CODES.map((code) => `errors.field.${code}`),
      ...LANGUAGES.map((language) => `language.${language}`),
      ...THEME_MODES.map((mode) => `theme.${mode}`),
      ...USER_TYPES.map((type) => `users.types.${type}`),
      ...PERMISSIONS.flatMap((permission) => [`members.${permission}`, `members.${permission}For`]),
      ...PLUGIN_STATES.map((state) => `pluginAdmin.states.${state}`),
      ...HEALTH_STATES.map((state) => `pluginAdmin.health.${state}`),
      ...['grpc', 'wasm'].map((runtime) => `pluginAdmin.runtimes.${runtime}`),
      ...PLUGIN_ACTIONS.flatMap((action) => [`pluginAdmin.done.${action}`, `pluginAdmin.failed.${action}`]),
      ...PERMISSION_KINDS.map((kind) => `pluginAdmin.permissions.kinds.${kind}`),
      ...LOG_LEVELS.map((level) => `pluginAdmin.logs.levels.${level}`),
      ...UPLOAD_OUTCOMES.map((outcome) => `pluginAdmin.upload.done.${outcome}`),
      ...CONSTRAINT_KEYS.map((key) => `apiReference.constraint.${key}`),
      ...AUTH_LEVELS.map((level) => `apiReference.auth.${level}`),
    ];
    expect(dynamic.filter((key) => !hasKey(key))).toEqual([]);
  });
});
