/**
 * zod-to-openapi is imported by `@goatflow/sdk/openapi` only, which the CLI runs at build time: a plugin's
 * bundle (the main entry, `./grpc`, `./widget`) must not grow by it.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const entry = (relative: string) => fileURLToPath(new URL(`../${relative}`, import.meta.url));

/** The packages an entry's module graph imports (packages stay external, so each shows as an import). */
async function packagesImportedBy(relative: string): Promise<string[]> {
  const result = await build({
    entryPoints: [entry(relative)],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  return Object.values(result.metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
}

describe('the openapi entry', () => {
  it.each([
    ['index.ts', 'zod'],
    ['grpc/index.ts', '@grpc/grpc-js'],
    ['widget/index.ts', 'lit'],
  ])('is not reachable from %s', async (relative, dependency) => {
    const imported = await packagesImportedBy(relative);
    expect(imported).toContain(dependency);
    expect(imported.filter((p) => p.startsWith('@asteasolutions/'))).toEqual([]);
  });

  it('is where zod-to-openapi comes in', async () => {
    expect(await packagesImportedBy('openapi/index.ts')).toContain('@asteasolutions/zod-to-openapi');
  });
});
