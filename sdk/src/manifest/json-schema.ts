import { z } from 'zod';
import { manifestSchema } from './schema.js';

/** The manifest's JSON Schema (draft 2020-12), generated from the zod definition: editors use it to validate and complete `goatflow-plugin.json`. */
export function manifestJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(manifestSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return {
    ...schema,
    $id: 'https://goatflow.dev/schema/goatflow-plugin.schema.json',
    title: 'GoatFlow plugin manifest (goatflow-plugin.json)',
  };
}
