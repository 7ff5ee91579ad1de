/**
 * Loads the plugin protocol for the plugin side. The proto ships inside the SDK package (`proto/`), so the SDK
 * reads it next to its own sources; there is no code generation step.
 * @module
 */
import { fileURLToPath } from 'node:url';
import { loadPackageDefinition, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { PROTO_FILE, PROTO_LOADER_OPTIONS } from './wire.js';

/** Absolute path of the SDK package root (this file is `src/grpc/proto.ts`). */
const SDK_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Absolute path of `plugin.proto` inside the installed SDK. */
export const PROTO_PATH = `${SDK_ROOT}${PROTO_FILE}`;

let cached: ServiceClientConstructor | undefined;

/** The generated client constructor of the Host service, loaded once per process. */
export function hostClientConstructor(): ServiceClientConstructor {
  if (!cached) {
    const definition = loadSync(PROTO_PATH, PROTO_LOADER_OPTIONS);
    const root = loadPackageDefinition(definition) as unknown as {
      goatflow: { plugin: { v1: { Host: ServiceClientConstructor } } };
    };
    cached = root.goatflow.plugin.v1.Host;
  }
  return cached;
}
