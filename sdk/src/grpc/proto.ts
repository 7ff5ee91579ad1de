/**
 * Loads the plugin protocol for the plugin side. The proto ships inside the SDK package (`proto/`) for the kernel
 * and for readers; the plugin side loads it from the generated descriptor, so a plugin bundled into a single
 * file needs no SDK files at runtime.
 * @module
 */
import { fileURLToPath } from 'node:url';
import { loadPackageDefinition, type ServiceClientConstructor } from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';
import { PROTO_DESCRIPTOR } from './proto-descriptor.js';
import { PROTO_FILE, PROTO_LOADER_OPTIONS } from './wire.js';

/**
 * Absolute path of `plugin.proto` inside the installed SDK (for tools and the kernel; not used by `serve()`).
 * Computed on first use: in a bundled plugin there is no SDK folder to point at.
 */
export function protoPath(): string {
  return fileURLToPath(new URL(`../../${PROTO_FILE}`, import.meta.url));
}

let cached: ServiceClientConstructor | undefined;

/** The client constructor of the Host service, loaded once per process. */
export function hostClientConstructor(): ServiceClientConstructor {
  if (!cached) {
    const definition = fromJSON(PROTO_DESCRIPTOR, PROTO_LOADER_OPTIONS);
    const root = loadPackageDefinition(definition) as unknown as {
      goatflow: { plugin: { v1: { Host: ServiceClientConstructor } } };
    };
    cached = root.goatflow.plugin.v1.Host;
  }
  return cached;
}
