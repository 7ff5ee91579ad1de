/**
 * Loads the plugin protocol for the kernel from the installed SDK package — the SDK is the only contract between
 * kernel and plugins, so the kernel reads the very `.proto` file plugins are built against. Loaded at runtime
 * with `@grpc/proto-loader`; there is no code generation step.
 * @module
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { HOST_SERVICE_NAME, PROTO_FILE, PROTO_LOADER_OPTIONS } from '@goatflow/sdk/grpc';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

/** Absolute path of `plugin.proto` in the SDK package this kernel depends on. */
export function protoPath(): string {
  const sdkRoot = dirname(createRequire(import.meta.url).resolve('@goatflow/sdk/package.json'));
  return join(sdkRoot, PROTO_FILE);
}

let cached: ServiceDefinition | undefined;

/** The Host service definition, ready for `Server.addService`; parsed once per process. */
export function hostServiceDefinition(): ServiceDefinition {
  if (!cached) {
    const definition = loadSync(protoPath(), PROTO_LOADER_OPTIONS);
    const service = definition[HOST_SERVICE_NAME];
    if (!service || !('Connect' in service)) {
      throw new Error(
        `${protoPath()} does not define the ${HOST_SERVICE_NAME} service with a Connect method.`,
      );
    }
    cached = service as unknown as ServiceDefinition;
  }
  return cached;
}
