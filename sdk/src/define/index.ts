/**
 * Defining a plugin in TypeScript: {@link definePlugin}, {@link route}, and the manifest generated from them.
 * @module
 */
export { buildManifest, manifestDrift, PluginDefinitionError, settingsJsonSchema } from './build-manifest.js';
export {
  type DefinedPlugin,
  type DeliveredEvent,
  definePlugin,
  type EventDefinition,
  type GrpcPluginDefinition,
  type HandlerContext,
  type HookDefinition,
  isDefinedPlugin,
  type JobDefinition,
  type JobRun,
  type McpToolDefinition,
  type PluginDefinition,
  type RouteDefinition,
  type RouteHandler,
  type RouteMethod,
  type RouteRequest,
  route,
  type SettingsOf,
  type WasmPluginDefinition,
  z,
} from './define-plugin.js';
export {
  type FileReply,
  type FileReplyOptions,
  invalidInput,
  isFileReply,
  isReply,
  notFound,
  type Reply,
  RouteError,
  reply,
  replyFile,
} from './route-reply.js';
