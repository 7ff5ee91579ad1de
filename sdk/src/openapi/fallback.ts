/**
 * For the zod 4 constructs zod-to-openapi cannot translate (recursive schemas, `z.json()`, `.catch()`,
 * `z.never()`, `z.file()`…): zod's own `z.toJSONSchema` in the draft 2020-12 dialect, which is OpenAPI 3.1's.
 * @module
 */
import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

/** A JSON Schema as plain data. */
export type JsonSchema = Record<string, unknown>;

/**
 * Whether zod-to-openapi can generate a path from `config` (its errors are not `Error`s, and a recursive
 * schema overflows the stack, so anything thrown counts).
 */
export function translates(config: RouteConfig): boolean {
  const registry = new OpenAPIRegistry();
  registry.registerPath(config);
  try {
    new OpenApiGeneratorV31(registry.definitions).generateDocument({
      openapi: '3.1.0',
      info: { title: 'probe', version: '0' },
    });
    return true;
  } catch {
    return false;
  }
}

/** Rewrites every local `$ref` of a standalone schema (`#`, `#/$defs/x`) to point into `base`. */
function rebase(value: unknown, base: string): unknown {
  if (Array.isArray(value)) return value.map((v) => rebase(v, base));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `${base}${v.slice(1)}` : rebase(v, base),
    ]),
  );
}

/**
 * The JSON Schema zod makes of `schema`, ready to live at `#/components/schemas/<name>`: its self references
 * point there. Throws zod's error when even zod cannot represent it (a `z.custom()`, a transform's output).
 * @param schema - the zod schema
 * @param io - `input` for what clients send, `output` for what they receive
 * @param name - the component name it will be registered under
 */
export function jsonSchemaComponent(schema: z.ZodType, io: 'input' | 'output', name: string): JsonSchema {
  const generated = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'throw' });
  const { $schema: _dialect, ...rest } = generated as JsonSchema;
  return rebase(rest, `#/components/schemas/${name}`) as JsonSchema;
}

/** An OpenAPI parameter object. */
export interface ParameterObject {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: JsonSchema;
  description?: string;
}

/**
 * The parameters of a `z.object` of path parameters or query fields, through `z.toJSONSchema`: one per
 * property, required as the object requires it (path parameters always are).
 * @param schema - the `params` or `query` object
 * @param location - `path` or `query`
 * @param component - where the object's own `$defs` are registered, if it has any
 */
export function parametersOf(
  schema: z.ZodType,
  location: 'path' | 'query',
  component: string,
): { parameters: ParameterObject[]; defs: JsonSchema | undefined } {
  const object = jsonSchemaComponent(schema, 'input', component);
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object.required ?? []) as string[]);
  const parameters = Object.entries(properties).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      schema: propertySchema,
      ...(typeof description === 'string' ? { description } : {}),
    };
  });
  const defs = object.$defs as JsonSchema | undefined;
  return { parameters, defs: defs ? { $defs: defs } : undefined };
}
