/**
 * A plugin's settings: the JSON Schema (2020-12) its manifest declares in `contributes.settings`, compiled once
 * with Ajv, and what an admin saves checked against it. The settings in effect are the manifest's
 * `settingsDefaults` overlaid with the saved values, and they are checked as a whole, so a saved partial object
 * cannot leave a required setting unset.
 * @module
 */
import type { ManifestIssue, PluginManifest } from '@goatflow/sdk';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { FieldIssue } from '../errors/index.js';

// Strict mode: a misspelt keyword (`requird`) is a manifest error, like any other unknown manifest field.
const ajv = new Ajv2020({ allErrors: true, strict: true });
// ajv-formats resolves its own (deduplicated, older 8.x) ajv for its types; the plugin API is the same.
addFormats.default(ajv as unknown as Parameters<typeof addFormats.default>[0]);

const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: Record<string, unknown>): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** Problems with the settings part of a manifest: a schema Ajv cannot compile, or defaults it rejects. */
export function settingsManifestIssues(manifest: PluginManifest): ManifestIssue[] {
  const schema = manifest.contributes.settings;
  if (!schema) {
    return manifest.settingsDefaults
      ? [{ path: '/settingsDefaults', message: 'there are defaults but no contributes.settings schema' }]
      : [];
  }
  let validate: ValidateFunction;
  try {
    validate = validatorFor(schema);
  } catch (err) {
    return [
      { path: '/contributes/settings', message: `is not a usable JSON Schema: ${(err as Error).message}` },
    ];
  }
  if (!manifest.settingsDefaults || validate(manifest.settingsDefaults)) return [];
  // Defaults may leave out required settings an admin must fill in; only what they do set must be valid.
  return (validate.errors ?? [])
    .filter((e) => e.keyword !== 'required')
    .map((e) => ({ path: `/settingsDefaults${e.instancePath}`, message: e.message ?? 'is invalid' }));
}

/** The settings in effect: defaults overlaid with what was saved. */
export function effectiveSettings(
  manifest: PluginManifest | undefined,
  saved: Record<string, unknown>,
): Record<string, unknown> {
  return { ...(manifest?.settingsDefaults ?? {}), ...saved };
}

/**
 * What the admin API shows in place of a secret setting (a top-level property marked `writeOnly: true` or
 * `format: "password"`). Sending it back unchanged keeps the stored secret, so a form can round-trip the
 * settings without ever holding the secret itself.
 */
export const SECRET_MASK = '********';

function secretKeys(schema: Record<string, unknown> | undefined): string[] {
  const properties = (schema?.properties ?? {}) as Record<string, { writeOnly?: unknown; format?: unknown }>;
  return Object.entries(properties)
    .filter(([, p]) => p && (p.writeOnly === true || p.format === 'password'))
    .map(([key]) => key);
}

/** The settings with every secret that has a value replaced by {@link SECRET_MASK}. */
export function maskSecrets(
  schema: Record<string, unknown> | undefined,
  settings: Record<string, unknown>,
): Record<string, unknown> {
  const masked = { ...settings };
  for (const key of secretKeys(schema)) {
    if (masked[key] !== undefined && masked[key] !== null && masked[key] !== '') masked[key] = SECRET_MASK;
  }
  return masked;
}

/** Saved settings as submitted, with each secret sent back as {@link SECRET_MASK} restored from `previous`. */
export function unmaskSecrets(
  schema: Record<string, unknown> | undefined,
  submitted: Record<string, unknown>,
  previous: Record<string, unknown>,
): Record<string, unknown> {
  const restored = { ...submitted };
  for (const key of secretKeys(schema)) {
    if (restored[key] !== SECRET_MASK) continue;
    if (previous[key] === undefined) delete restored[key];
    else restored[key] = previous[key];
  }
  return restored;
}

/** Checks settings in effect against the plugin's schema; one issue per failing field, paths under `settings`. */
export function validateSettings(schema: Record<string, unknown>, settings: unknown): FieldIssue[] {
  const validate = validatorFor(schema);
  if (validate(settings)) return [];
  return (validate.errors ?? []).map(toFieldIssue);
}

function toFieldIssue(e: ErrorObject): FieldIssue {
  const segments = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  const p = e.params as Record<string, unknown>;
  const at = (extra?: unknown) => ['settings', ...segments, ...(extra ? [String(extra)] : [])].join('.');
  switch (e.keyword) {
    case 'required':
      return { path: at(p.missingProperty), message: 'is required', code: 'required' };
    case 'additionalProperties':
      return {
        path: at(p.additionalProperty),
        message: 'is not a setting of this plugin',
        code: 'unknown_field',
      };
    case 'minLength':
      return {
        path: at(),
        message: e.message ?? '',
        code: 'too_short',
        params: { minimum: Number(p.limit) },
      };
    case 'maxLength':
      return { path: at(), message: e.message ?? '', code: 'too_long', params: { maximum: Number(p.limit) } };
    case 'minimum':
    case 'exclusiveMinimum':
      return {
        path: at(),
        message: e.message ?? '',
        code: 'too_small',
        params: { minimum: Number(p.limit) },
      };
    case 'maximum':
    case 'exclusiveMaximum':
      return {
        path: at(),
        message: e.message ?? '',
        code: 'too_large',
        params: { maximum: Number(p.limit) },
      };
    case 'enum':
      return {
        path: at(),
        message: e.message ?? '',
        code: 'invalid_option',
        params: { options: ((p.allowedValues as unknown[]) ?? []).map(String).join(', ') },
      };
    case 'type':
      return {
        path: at(),
        message: e.message ?? '',
        code: 'invalid_type',
        params: { expected: String(p.type) },
      };
    case 'format':
      return {
        path: at(),
        message: e.message ?? '',
        code: p.format === 'email' ? 'invalid_email' : 'invalid_format',
      };
    case 'pattern':
      return { path: at(), message: e.message ?? '', code: 'invalid_format' };
    default:
      return { path: at(), message: e.message ?? 'is invalid', code: 'invalid' };
  }
}
