/**
 * Assembles the plugin platform of one kernel: the plugin database pool, the Host API services and the
 * lifecycle manager with its plugin folders.
 * @module
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import type { AuditLog } from '../audit/audit-log.js';
import type { KernelConfig } from '../config/config.js';
import type { PluginScopes } from '../container/plugin-scopes.js';
import type { KernelOrm } from '../db/orm.js';
import { PluginCache } from '../host-api/cache-capability.js';
import { PluginDatabase } from '../host-api/db-capability.js';
import { Mailer } from '../host-api/email-capability.js';
import { EventBus } from '../host-api/event-bus.js';
import { HttpFetcher } from '../host-api/http-capability.js';
import { IdentityReader } from '../host-api/identity-capability.js';
import { PluginLog } from '../host-api/plugin-log.js';
import { PluginCaller } from '../host-api/plugins-call-capability.js';
import { SqlGuard } from '../host-api/sql-guard.js';
import type { Logger } from '../log/logger.js';
import type { PluginRoot } from './discovery.js';
import { EventDispatcher } from './event-dispatcher.js';
import { JobScheduler } from './job-scheduler.js';
import { PluginManager } from './plugin-manager.js';
import { PluginStateStore } from './plugin-state-store.js';

export interface PluginPlatform {
  manager: PluginManager;
  log: PluginLog;
  stop(): Promise<void>;
}

/** Connections for plugin SQL, separate from the kernel's own pool so plugins cannot starve sign-ins. */
export const PLUGIN_POOL_SIZE = 4;

/** The bundled plugin folders of this installation: plugins-core (first-party) and plugins-examples. */
function bundledRoots(): PluginRoot[] {
  const kernelDir = path.dirname(createRequire(import.meta.url).resolve('@goatflow/kernel/package.json'));
  const repo = path.dirname(kernelDir);
  return [
    { dir: path.join(repo, 'plugins-core'), firstParty: true },
    { dir: path.join(repo, 'plugins-examples'), firstParty: false },
  ];
}

export async function startPluginPlatform(deps: {
  config: KernelConfig;
  databaseUrl: string;
  orm: KernelOrm;
  audit: AuditLog;
  scopes: PluginScopes;
  logger: Logger;
}): Promise<PluginPlatform> {
  const { config } = deps;
  const pool = new pg.Pool({ connectionString: deps.databaseUrl, max: PLUGIN_POOL_SIZE });
  const log = new PluginLog(deps.orm);
  // The event bus, the dispatcher and plugins.call need the manager, which needs them: they reach it lazily.
  let manager: PluginManager | undefined;
  const plugins = () => {
    if (!manager) throw new Error('the plugin manager is not ready');
    return manager;
  };
  const delivery = new EventDispatcher({
    orm: deps.orm,
    active: () => plugins().activePlugins(),
    log,
    logger: deps.logger,
    pollMs: config.eventsPollMs,
    maxAttempts: config.eventsMaxAttempts,
    retryBaseMs: config.eventsRetryBaseMs,
  });
  const jobs = new JobScheduler({ orm: deps.orm, log, logger: deps.logger, tickMs: config.jobsTickMs });
  const mailer = new Mailer(deps.orm, { smtpUrl: config.smtpUrl, from: config.emailFrom });
  manager = new PluginManager({
    roots: [...bundledRoots(), ...(config.pluginDir ? [{ dir: config.pluginDir, firstParty: false }] : [])],
    pool,
    store: new PluginStateStore(deps.orm),
    scopes: deps.scopes,
    services: {
      db: new PluginDatabase(pool, new SqlGuard(), config.pluginSqlTimeoutMs),
      cache: new PluginCache(),
      log,
      audit: deps.audit,
      identity: new IdentityReader(deps.orm),
      events: new EventBus(
        deps.orm,
        (name) => plugins().subscribersOf(name),
        () => delivery.wake(),
      ),
      http: new HttpFetcher(),
      email: mailer,
      plugins: new PluginCaller(plugins),
    },
    logger: deps.logger,
    socketDir: config.databaseUrl ? undefined : config.dataDir,
    maxMemoryBytes: config.pluginMaxMemoryBytes,
    jobs,
    delivery,
  });
  await manager.start();
  delivery.start();
  const started = manager;
  return {
    manager: started,
    log,
    async stop() {
      // No new deliveries; the plugins stop (failing what they were running, to be retried later), then what was
      // in flight is recorded before the pools close.
      const delivering = delivery.stop();
      await started.stopAll();
      await delivering;
      await jobs.drain();
      mailer.close();
      await pool.end();
    },
  };
}
