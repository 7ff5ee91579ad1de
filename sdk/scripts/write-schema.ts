// Regenerates schema/goatflow-plugin.schema.json from the zod definition: `npm run schema -w @goatflow/sdk`.
import fs from 'node:fs';
import { manifestJsonSchema } from '../src/manifest/json-schema.js';

const target = new URL('../schema/goatflow-plugin.schema.json', import.meta.url);
fs.writeFileSync(target, `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${target.pathname}\n`);
