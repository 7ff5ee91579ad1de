/**
 * The kernel's public entry. Other packages (the test suites, later the SDK's test harness) import only this.
 * @module
 */

export { DEMO_PASSWORD } from './bootstrap/demo-data.js';
export { type KernelConfig, loadConfig } from './config/config.js';
export { PluginScope, PluginScopes } from './container/plugin-scopes.js';
export { TOKENS } from './container/tokens.js';
export { currentContext, type Principal } from './context/request-context.js';
export { type EmbeddedDatabase, startEmbeddedDatabase } from './db/embedded.js';
export * from './errors/index.js';
export { PluginDatabase, type PluginDbScope, type QueryResult } from './host-api/db-capability.js';
export type { OutboxItem, OutboxStatus } from './host-api/email-capability.js';
export { EventBus, MAX_EVENT_PAYLOAD_BYTES, type PublishedEvent } from './host-api/event-bus.js';
export { HostApiError, type HostApiErrorCode } from './host-api/host-api-error.js';
export { HTTP_LIMITS, type HttpFetchResult } from './host-api/http-capability.js';
export { type AddressKind, classifyAddress } from './host-api/net-address.js';
export { MAX_CALL_DEPTH } from './host-api/plugins-call-capability.js';
export { checkSql, SqlGuard, type SqlScope, type SqlVerdict } from './host-api/sql-guard.js';
export type { GroupView, UserView } from './identity/directory.js';
export type {
  Authenticator,
  LoginAttemptContext,
  SecondFactor,
  SecondFactorChallenge,
} from './identity/login-pipeline.js';
export { LoginPipeline } from './identity/login-pipeline.js';
export { KERNEL_VERSION, type Kernel, type StartOptions, startKernel } from './kernel.js';
export { createLogger, type Logger } from './log/logger.js';
export { backoffMs, EventDispatcher } from './plugins/event-dispatcher.js';
export { JobScheduler, latestSlot, validateJobs } from './plugins/job-scheduler.js';
export {
  type ActivePlugin,
  KERNEL_API_VERSION,
  PluginLifecycleError,
  PluginManager,
  type PluginState,
  type PluginStatus,
} from './plugins/plugin-manager.js';
export {
  type PluginMigration,
  PluginMigrationError,
  provisionPlugin,
  roleOf,
  schemaOf,
} from './plugins/plugin-schema.js';
export { publishEvent } from './plugins/publish-event.js';
export * from './runtimes/contract.js';
export {
  type BackoffOptions,
  type CrashBudgetOptions,
  GrpcPluginInstance,
  HostServer,
  type HostServerOptions,
  type StartGrpcPluginOptions,
  startGrpcPlugin,
} from './runtimes/grpc/index.js';
export {
  HOST_API_FUNCTIONS,
  loadWasmPlugin,
  WASM_DEFAULTS,
  type WasmPluginOptions,
} from './runtimes/wasm/index.js';
