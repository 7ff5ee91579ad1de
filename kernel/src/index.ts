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
export { freePort } from './db/free-port.js';
export * from './errors/index.js';
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
