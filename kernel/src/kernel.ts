/**
 * Starting and stopping one kernel: database (embedded or external), migrations, first-start accounts, the
 * service container, the HTTP server — and the reverse on stop.
 * @module
 */
import { createRequire } from 'node:module';
import type { DependencyContainer } from 'tsyringe';
import { ensureAdminAccount } from './bootstrap/admin-account.js';
import { seedDemoData } from './bootstrap/demo-data.js';
import type { KernelConfig } from './config/config.js';
import { PluginScopes } from './container/plugin-scopes.js';
import { createRootContainer } from './container/root-container.js';
import { TOKENS } from './container/tokens.js';
import { type EmbeddedDatabase, startEmbeddedDatabase } from './db/embedded.js';
import { type KernelOrm, migrate, openOrm } from './db/orm.js';
import { withStartupLock } from './db/startup-lock.js';
import { createApp } from './http/app.js';
import { resolveWebDir } from './http/static-web.js';
import { createLogger, type Logger } from './log/logger.js';
import type { PluginManager } from './plugins/plugin-manager.js';
import { PLUGIN_POOL_SIZE, startPluginPlatform } from './plugins/plugin-platform.js';
import { listen } from './server/http-server.js';
import { startMaintenance } from './server/maintenance.js';

export const KERNEL_VERSION: string = createRequire(import.meta.url)('../package.json').version;

export interface Kernel {
  /** The base URL the server listens on, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  readonly port: number;
  /** The database the kernel uses (the embedded one's loopback URL when there is no DATABASE_URL). */
  readonly databaseUrl: string;
  readonly container: DependencyContainer;
  readonly pluginScopes: PluginScopes;
  readonly plugins: PluginManager;
  readonly orm: KernelOrm;
  readonly logger: Logger;
  /** Set on the first start when the admin password was generated; show it to the operator once. */
  readonly generatedAdminPassword: string | undefined;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
}

export async function startKernel(config: KernelConfig, options: StartOptions = {}): Promise<Kernel> {
  const logger = options.logger ?? createLogger(config.logLevel);
  let embedded: EmbeddedDatabase | undefined;
  let orm: KernelOrm | undefined;
  try {
    if (!config.databaseUrl) {
      embedded = await startEmbeddedDatabase({
        dataDir: config.dataDir,
        // The kernel's pool, the plugins' pool, the start-up lock and a few for tools such as a second kernel.
        maxConnections: config.dbPoolSize + PLUGIN_POOL_SIZE + 4,
      });
      logger.info({ dataDir: config.dataDir }, 'embedded database started');
    }
    const databaseUrl = config.databaseUrl ?? embedded!.url;
    orm = await openOrm(databaseUrl, config.dbPoolSize);
    const startedOrm = orm;
    const admin = await withStartupLock(databaseUrl, async () => {
      const applied = await migrate(startedOrm);
      if (applied.length) logger.info({ applied }, 'kernel migrations applied');
      const created = await ensureAdminAccount(startedOrm, config.adminPassword);
      if (created.created) logger.info('created the admin account');
      if (config.demoData && (await seedDemoData(startedOrm))) logger.info('demo data seeded');
      return created;
    });

    const container = createRootContainer(config, logger, orm);
    const pluginScopes = new PluginScopes(container);
    const platform = await startPluginPlatform({
      config,
      databaseUrl,
      orm,
      audit: container.resolve(TOKENS.AuditLog),
      scopes: pluginScopes,
      logger,
      principals: container.resolve(TOKENS.PrincipalCache),
    });
    const app = createApp({
      config,
      logger,
      orm,
      auth: container.resolve(TOKENS.AuthService),
      pipeline: container.resolve(TOKENS.LoginPipeline),
      users: container.resolve(TOKENS.UserService),
      groups: container.resolve(TOKENS.GroupService),
      audit: container.resolve(TOKENS.AuditLog),
      plugins: platform.manager,
      pluginInstaller: platform.installer,
      pluginLog: platform.log,
      webDir: resolveWebDir(config.webDir),
      version: KERNEL_VERSION,
    });
    const stopMaintenance = startMaintenance(
      container.resolve(TOKENS.SessionStore),
      container.resolve(TOKENS.LoginRateLimiter),
      logger,
    );
    const server = await listen(app, config.port, config.host);
    const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const url = `http://${shownHost}:${server.port}`;
    logger.info({ url, version: KERNEL_VERSION }, 'GoatFlow kernel listening');

    let stopping: Promise<void> | undefined;
    const openOrmRef = orm;
    return {
      url,
      port: server.port,
      databaseUrl,
      container,
      pluginScopes,
      plugins: platform.manager,
      orm,
      logger,
      generatedAdminPassword: admin.generatedPassword,
      stop() {
        stopping ??= (async () => {
          await server.close(config.shutdownTimeoutSeconds * 1000);
          stopMaintenance();
          await platform.stop();
          await pluginScopes.disposeAll();
          await openOrmRef.close(true);
          await embedded?.stop();
          logger.info('GoatFlow kernel stopped');
        })();
        return stopping;
      },
    };
  } catch (err) {
    await orm?.close(true).catch(() => {});
    await embedded?.stop().catch(() => {});
    throw err;
  }
}
