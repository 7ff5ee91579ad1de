/**
 * The installed `@goatflow/sdk` package the CLI runs from: its version (the scaffold depends on it) and its
 * `templates/` folder. Found by walking up from this module, which works from the sources (`src/cli/`) and from
 * the compiled package (`dist/cli/`) alike.
 * @module
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the SDK is and what version it is. */
export interface SdkPackage {
  root: string;
  version: string;
  templatesDir: string;
}

let cached: SdkPackage | undefined;

/** The SDK package this CLI belongs to. */
export function sdkPackage(): SdkPackage {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@goatflow/sdk' && pkg.version) {
        cached = { root: dir, version: pkg.version, templatesDir: path.join(dir, 'templates') };
        return cached;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('goatflow-plugin: cannot find the package.json of @goatflow/sdk');
    dir = parent;
  }
}
