/**
 * Assembles the plugin platform of one kernel: the plugin database pool, the Host API services and the
 * lifecycle manager with its plugin folders.
 * @module
 */
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import type { AuditLog } from '../audit/audit-log.js';
import { announceDemoData } from '../bootstrap/demo-data.js';
import { ClusterBus, type ClusterMessage } from '../cluster/cluster-bus.js';
import type { KernelConfig } from '../config/config.js';
import type { PluginScopes } from '../container/plugin-scopes.js';
import type { KernelOrm } from '../db/orm.js';
import { ConfigError } from '../errors/index.js';
import { PluginCache } from '../host-api/cache-capability.js';
import { PluginDatabase } from '../host-api/db-capability.js';
import { Mailer } from '../host-api/email-capability.js';
import { EventBus } from '../host-api/event-bus.js';
import { HttpFetcher } from '../host-api/http-capability.js';
import { IdentityReader } from '../host-api/identity-capability.js';
import { PluginLog } from '../host-api/plugin-log.js';
import { PluginCaller } from '../host-api/plugins-call-capability.js';
import { SqlGuard } from '../host-api/sql-guard.js';
import type { PrincipalCache } from '../identity/principal-cache.js';
import type { Logger } from '../log/logger.js';
import { MANIFEST_FILE, type PluginRoot } from './discovery.js';
import { EventDispatcher } from './event-dispatcher.js';
import { JobScheduler } from './job-scheduler.js';
import { PackageFolder } from './package-folder.js';
import { PluginPackageStore } from './package-store.js';
import { PluginInstaller } from './plugin-installer.js';
import { PluginManager } from './plugin-manager.js';
import { PluginStateStore } from './plugin-state-store.js';
import { publishEvent } from './publish-event.js';

export interface PluginPlatform {
  manager: PluginManager;
  /** Installs uploaded plugin packages (`POST /api/admin/plugins/upload`). */
  installer: PluginInstaller;
  log: PluginLog;
  stop(): Promise<void>;
}

/** This kernel's copy of the uploaded plugin packages, under the data directory. */
export const UPLOADED_PLUGINS_FOLDER = 'uploaded-plugins';

/** Connections for plugin SQL, separate from the kernel's own pool so plugins cannot starve sign-ins. */
export const PLUGIN_POOL_SIZE = 4;

/**
 * The bundled plugin folders of this installation: plugins-core (first-party; only the plugins
 * GOATFLOW_CORE_PLUGINS names, each in the folder named after its id) and plugins-examples.
 */
async function bundledRoots(corePlugins: KernelConfig['corePlugins']): Promise<PluginRoot[]> {
  const kernelDir = path.dirname(createRequire(import.meta.url).resolve('@goatflow/kernel/package.json'));
  const repo = path.dirname(kernelDir);
  const core: PluginRoot = { dir: path.join(repo, 'plugins-core'), firstParty: true };
  if (corePlugins !== 'all') {
    const missing: string[] = [];
    for (const id of corePlugins) {
      if (!(await isFile(path.join(core.dir, id, MANIFEST_FILE)))) missing.push(id);
    }
    // A misspelt id would otherwise just leave the plugin out, unnoticed.
    if (missing.length) {
      throw new ConfigError([
        {
          path: 'GOATFLOW_CORE_PLUGINS',
          message: `no first-party plugin ${missing.join(', ')} in ${core.dir} (each is the folder named after its id)`,
        },
      ]);
    }
    core.folders = corePlugins;
  }
  return [core, { dir: path.join(repo, 'plugins-examples'), firstParty: false }];
}

async function isFile(file: string): Promise<boolean> {
  return fs.stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}

export async function startPluginPlatform(deps: {
  config: KernelConfig;
  databaseUrl: string;
  orm: KernelOrm;
  audit: AuditLog;
  scopes: PluginScopes;
  logger: Logger;
  /** The session principals this instance remembers; the cluster bus keeps them in step with the others. */
  principals: PrincipalCache;
}): Promise<PluginPlatform> {
  const { config } = deps;
  const roots = [
    ...(await bundledRoots(config.corePlugins)),
    ...(config.pluginDir ? [{ dir: config.pluginDir, firstParty: false }] : []),
  ];
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
  const cache = new PluginCache();
  // Listening before the plugins start: a change made elsewhere meanwhile is heard, not missed.
  const cluster = await ClusterBus.start({
    databaseUrl: deps.databaseUrl,
    logger: deps.logger,
    onMessage: (message) => applyClusterMessage(message, plugins(), cache, deps.principals),
    onResync: async () => {
      cache.invalidateAll();
      deps.principals.apply({ kind: 'identity' });
      await plugins().packagesChanged();
    },
  });
  cache.onChange = (plugin, key) => cluster.cacheChanged(plugin, key);
  deps.principals.onInvalidate = (change) => cluster.publish(change);
  const packageStore = new PluginPackageStore(deps.orm);
  const packages = new PackageFolder({
    dir: path.join(config.dataDir, UPLOADED_PLUGINS_FOLDER),
    store: packageStore,
    logger: deps.logger,
  });
  manager = new PluginManager({
    roots,
    pool,
    store: new PluginStateStore(deps.orm),
    scopes: deps.scopes,
    services: {
      db: new PluginDatabase(pool, new SqlGuard(), config.pluginSqlTimeoutMs),
      cache,
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
    announce: (message) => cluster.publish(message),
    packages,
  });
  try {
    await manager.start();
  } catch (err) {
    await cluster.stop();
    await pool.end();
    throw err;
  }
  delivery.start();
  const started = manager;
  if (config.demoData) {
    // After the plugins started: deliveries go only to subscribers enabled when an event is published.
    await announceDemoData(deps.orm, (name, payload) =>
      publishEvent({ plugins: started }, name, payload),
    ).catch((err: unknown) => {
      deps.logger.error({ err: (err as Error).message }, 'the demo data event could not be published');
    });
  }
  return {
    manager: started,
    installer: new PluginInstaller({
      manager: started,
      folder: packages,
      store: packageStore,
      states: new PluginStateStore(deps.orm),
      audit: deps.audit,
    }),
    log,
    async stop() {
      // No new deliveries; the plugins stop (failing what they were running, to be retried later), then what was
      // in flight is recorded before the pools close.
      const delivering = delivery.stop();
      await started.stopAll();
      await delivering;
      await jobs.drain();
      mailer.close();
      await cluster.stop();
      await pool.end();
    },
  };
}

/** What another instance's change means here. */
async function applyClusterMessage(
  message: ClusterMessage,
  manager: PluginManager,
  cache: PluginCache,
  principals: PrincipalCache,
) {
  switch (message.kind) {
    case 'plugin':
      return manager.reconcile(message.id);
    case 'cache':
      return cache.invalidate(message.plugin, message.keys);
    case 'packages':
      return manager.packagesChanged();
    case 'reload':
      return manager.reloaded(message.id);
    case 'identity':
    case 'session':
    case 'user':
      return principals.apply(message);
  }
}
