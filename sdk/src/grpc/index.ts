/**
 * `@goatflow/sdk/grpc`: write a GoatFlow plugin that runs in its own process and talks to the kernel over gRPC.
 *
 * ```ts
 * import { serve } from '@goatflow/sdk/grpc';
 * await serve({
 *   handlers: {
 *     hello: async (input, ctx, host) => ({ greeting: `hello ${ctx.user?.login ?? 'nobody'}` }),
 *   },
 * });
 * ```
 *
 * A separate entry point keeps `@grpc/grpc-js` out of web bundles that import the SDK's root.
 * @packageDocumentation
 */
export { protoPath } from './proto.js';
export { type PluginServer, SDK_VERSION, type ServeOptions, serve } from './serve.js';
export {
  type Handler,
  type Host,
  HostCallError,
  type LogLevel,
  type PluginContext,
  type PluginUser,
} from './types.js';
export * from './wire.js';
