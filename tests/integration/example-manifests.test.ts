/**
 * Each example plugin's goatflow-plugin.json is generated from its src/plugin.ts by goatflow-plugin build and
 * committed, because the kernel reads the file, not the TypeScript. This checks the two still agree: a definition
 * changed without rebuilding (or a manifest edited by hand) fails here, naming the fields that differ.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDefinedPlugin, manifestDrift } from '@goatflow/sdk';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../fixtures/grpc/host-api-plugins.js';

const examplesDir = path.join(repoRoot, 'plugins-examples');
const examples = fs
  .readdirSync(examplesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && fs.existsSync(path.join(examplesDir, e.name, 'src', 'plugin.ts')))
  .map((e) => e.name)
  .sort();

describe('the example plugins', () => {
  it('are all defined with definePlugin', () => {
    expect(examples).toEqual(['hello-grpc', 'hello-wasm', 'webhook-notifier']);
  });

  it.each(examples)('%s: goatflow-plugin.json is what src/plugin.ts generates', async (name) => {
    const dir = path.join(examplesDir, name);
    const definition = (await import(pathToFileURL(path.join(dir, 'src', 'plugin.ts')).href)).default;
    expect(isDefinedPlugin(definition)).toBe(true);
    const onDisk = JSON.parse(fs.readFileSync(path.join(dir, 'goatflow-plugin.json'), 'utf8'));
    expect(
      manifestDrift(definition, onDisk),
      `run node scripts/build-examples.mjs ${name} and commit plugins-examples/${name}/goatflow-plugin.json`,
    ).toEqual([]);
    expect(onDisk.id).toBe(name);
  });
});
