import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { manifestJsonSchema } from './json-schema.js';

describe('the published JSON Schema', () => {
  it('is the one generated from the zod definition (run `npm run schema -w @goatflow/sdk` after a change)', () => {
    const published = JSON.parse(
      fs.readFileSync(new URL('../../schema/goatflow-plugin.schema.json', import.meta.url), 'utf8'),
    );
    expect(published).toEqual(manifestJsonSchema());
  });
});
