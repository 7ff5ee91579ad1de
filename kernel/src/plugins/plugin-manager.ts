/**
 * The plugin lifecycle: discover, enable (grant check, schema and migrations, runtime start, routes), disable
 * (dispose the plugin's scope), all at runtime with no restart. Every plugin's live parts are registered in its
 * PluginScope, so disabling is disposing that scope.
 * @module
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type {
  ApiPluginSource,
  ApiPluginState,
  ApiPluginStatus,
  PluginManifest,
  PluginPermissions,
} from '@goatflow/sdk';
import i18next, { type i18n as I18n } from 'i18next';
import type pg from 'pg';
import type { ClusterMessage } from '../cluster/cluster-bus.js';
import type { PluginScopes } from '../container/plugin-scopes.js';
import { ValidationError } from '../errors/index.js';
import { type CallingPlugin, type HostServices, hostCallHandler } from '../host-api/dispatcher.js';
import type { EventBus } from '../host-api/event-bus.js';
import type { Logger } from '../log/logger.js';
import type { PluginInstance } from '../runtimes/contract.js';
import { HostServer, startGrpcPlugin } from '../runtimes/grpc/index.js';
import { loadWasmPlugin } from '../runtimes/wasm/index.js';
import {
  type DiscoveredPlugin,
  discoverPlugins,
  MANIFEST_FILE,
  type PluginRoot,
  readManifest,
} from './discovery.js';
import type { EventDispatcher } from './event-dispatcher.js';
import { missingGrants } from './grants.js';
import { type JobScheduler, validateJobs } from './job-scheduler.js';
import type { PackageFolder } from './package-folder.js';
import {
  type PluginMigration,
  provisionPlugin,
  ReadableViewError,
  schemaOf,
  syncReadableViews,
  unreadableView,
} from './plugin-schema.js';
import { effectiveSettings, maskSecrets, unmaskSecrets, validateSettings } from './plugin-settings.js';
import type { PluginStateStore, StoredPlugin } from './plugin-state-store.js';
import { localizeSettingsSchema } from './settings-i18n.js';
import { wasmLoadFindings } from './wasm-load-checks.js';

/** The kernel API version plugins declare compatibility with in `kernelApi`. */
export const KERNEL_API_VERSION = '1.0.0';

export type PluginState = ApiPluginState;
export type PluginStatus = ApiPluginStatus;

/** A running plugin as the HTTP layer sees it. */
export interface ActivePlugin {
  id: string;
  /** The plugin's folder. */
  dir: string;
  manifest: PluginManifest;
  instance: PluginInstance;
  /** Its translation bundles, when it declares any. */
  i18n: I18n | undefined;
  /** What its host calls are checked against; grant and settings changes update it in place, live. */
  calling: CallingPlugin;
}

export interface PluginManagerOptions {
  roots: PluginRoot[];
  pool: pg.Pool;
  store: PluginStateStore;
  scopes: PluginScopes;
  services: HostServices;
  logger: Logger;
  /** Where the gRPC Host socket lives (the data directory); the OS temp directory when unset. */
  socketDir: string | undefined;
  maxMemoryBytes: number;
  /** Runs the plugins' contributed jobs. */
  jobs: JobScheduler;
  /** Delivers published events to this kernel's enabled subscribers. */
  delivery: EventDispatcher;
  /** Tells the other kernel instances on the same database what changed. */
  announce: (message: ClusterMessage) => Promise<void>;
  /** Uploaded plugin packages: unpacked from the database into this folder on every rescan (third-party). */
  packages?: PackageFolder;
}

export class PluginLifecycleError extends Error {
  constructor(
    readonly code: 'not_found' | 'invalid_manifest' | 'missing_grants' | 'start_failed' | 'conflict',
    message: string,
  ) {
    super(message);
    this.name = 'PluginLifecycleError';
  }
}

export class PluginManager {
  private discovered = new Map<string, DiscoveredPlugin>();
  private readonly active = new Map<string, ActivePlugin>();
  private readonly busy = new Map<string, Promise<unknown>>();
  /** The bundles of plugins that are not running, for their settings forms; by manifest, so a reload reads anew. */
  private readonly idleBundles = new WeakMap<PluginManifest, Promise<I18n | undefined>>();
  private hostServer: Promise<HostServer> | undefined;

  constructor(private readonly o: PluginManagerOptions) {}

  /** Reads the plugin folders and enables what should run: first-party plugins by default, others when enabled. */
  async start(): Promise<void> {
    await this.rescan();
    const stored = await this.o.store.all();
    for (const plugin of startOrder([...this.discovered.values()])) {
      const state = stored.get(plugin.id);
      const wanted = state ? state.state === 'enabled' : plugin.firstParty;
      if (wanted && plugin.manifest) {
        await this.enable(plugin.id).catch((err: unknown) => {
          this.o.logger.warn(
            { plugin: plugin.id, err: (err as Error).message },
            'plugin could not be enabled',
          );
        });
      }
      if (state && !this.active.has(plugin.id)) await this.narrowStopped(plugin.id, state.granted);
    }
  }

  /**
   * At start, a plugin that is not running gives up every view its stored grant no longer covers, or that the
   * manifests no longer let it read (its exporter stopped exporting it): nothing provisions it, and the views it
   * owns keep running with its role's rights.
   */
  private async narrowStopped(id: string, granted: PluginPermissions): Promise<void> {
    const views = (granted.db?.read ?? []).filter((view) => !this.unreadable(view));
    await syncReadableViews(this.o.pool, id, views, 'revoke').catch((err: unknown) => {
      this.o.logger.warn({ plugin: id, err: (err as Error).message }, 'plugin views could not be revoked');
    });
  }

  async rescan(): Promise<void> {
    const roots = [...this.o.roots];
    if (this.o.packages) {
      // The uploaded packages' folder is first brought in line with the database (kernel.plugin_packages).
      const inUse = new Set([...this.active.values()].map((a) => a.dir));
      roots.push(await this.o.packages.sync(inUse));
    }
    const found = await discoverPlugins(roots, KERNEL_API_VERSION);
    this.discovered = new Map(found.map((p) => [p.id, p]));
  }

  /**
   * HOOK for uploaded packages: the set in `kernel.plugin_packages` changed. Unpacks what is new into this
   * kernel's folder, rescans and reconciles. The installer calls it with `announce: true` after an upload, which
   * tells the other instances (`{kind: 'packages'}`); their cluster bus calls it (or `rescan`, which syncs too)
   * without `announce`.
   */
  async packagesChanged(options: { announce?: boolean } = {}): Promise<void> {
    await this.rescan();
    await this.reconcileAll();
    if (options.announce) await this.o.announce({ kind: 'packages' });
  }

  /** The folder a discovered plugin was read from. */
  discoveredDir(id: string): string | undefined {
    return this.discovered.get(id)?.dir;
  }

  /** Where a discovered plugin came from (`undefined`: no such plugin). */
  sourceOf(id: string): ApiPluginSource | undefined {
    const plugin = this.discovered.get(id);
    return plugin && this.sourceOfPlugin(plugin);
  }

  /** Whether a plugin was read from the uploaded packages' folder or came with the installation (a plugin folder). */
  private sourceOfPlugin(plugin: DiscoveredPlugin): ApiPluginSource {
    const uploads = this.o.packages?.dir;
    const relative = uploads === undefined ? '..' : path.relative(uploads, plugin.dir);
    return relative.startsWith('..') || path.isAbsolute(relative) ? 'installation' : 'upload';
  }

  /**
   * Runs `work` while no enable, disable, grant or settings change of `id` runs in this kernel: removing an
   * uploaded package checks that the plugin is not enabled and deletes it without an enable slipping in between.
   */
  whileIdle<T>(id: string, work: () => Promise<T>): Promise<T> {
    return this.exclusive(id, work);
  }

  activePlugin(id: string): ActivePlugin | undefined {
    return this.active.get(id);
  }

  /** Publishes events (`publishEvent` for kernel code; plugins use the Host API's events.publish). */
  get events(): EventBus {
    return this.o.services.events;
  }

  /** The event dispatcher of this kernel (`poll()` runs a delivery round now). */
  get eventDelivery(): EventDispatcher {
    return this.o.delivery;
  }

  /** The job scheduler of this kernel (`setClock`, `tick` for tests). */
  get jobs(): JobScheduler {
    return this.o.jobs;
  }

  /**
   * The plugins that receive an event published now: those whose manifest subscribes to `name` and whose stored
   * state is enabled (in whichever kernel instance runs them).
   */
  async subscribersOf(name: string): Promise<string[]> {
    const candidates = [...this.discovered.values()].filter((p) =>
      p.manifest?.contributes.events?.some((e) => e.name === name),
    );
    if (candidates.length === 0) return [];
    const stored = await this.o.store.all();
    return candidates.filter((p) => stored.get(p.id)?.state === 'enabled').map((p) => p.id);
  }

  activePlugins(): ActivePlugin[] {
    return [...this.active.values()];
  }

  async list(): Promise<PluginStatus[]> {
    const stored = await this.o.store.all();
    return [...this.discovered.values()].map((p) => this.status(p, stored.get(p.id)));
  }

  async get(id: string): Promise<PluginStatus> {
    const plugin = this.requireDiscovered(id);
    return this.status(plugin, await this.o.store.get(id));
  }

  /**
   * `status` with its settings form in `locale`, from the plugin's bundles (see settings-i18n.ts): the running
   * plugin's, else read from its folder once per manifest. A bundle that cannot be read leaves the schema's texts.
   */
  async inLocale(status: PluginStatus, locale: string): Promise<PluginStatus> {
    const plugin = this.discovered.get(status.id);
    if (!status.settingsSchema || !plugin?.manifest) return status;
    const active = this.active.get(status.id);
    let bundles: Promise<I18n | undefined>;
    if (active) bundles = Promise.resolve(active.i18n);
    else {
      const manifest = plugin.manifest;
      bundles = this.idleBundles.get(manifest) ?? loadBundles(plugin.dir, manifest).catch(() => undefined);
      this.idleBundles.set(manifest, bundles);
    }
    const i18n = await bundles;
    return i18n
      ? { ...status, settingsSchema: localizeSettingsSchema(status.settingsSchema, i18n, locale) }
      : status;
  }

  /**
   * Grants the given permissions (replacing the previous grant), live: a running plugin's next host call is
   * checked against the new grant. A grant that no longer covers what the plugin needs disables it.
   */
  grant(id: string, granted: PluginPermissions, actorId?: number): Promise<PluginStatus> {
    return this.exclusive(id, async () => {
      const plugin = this.requireDiscovered(id);
      const unreadable = (granted.db?.read ?? []).flatMap((view, i) => {
        const why = this.unreadable(view);
        return why ? [{ path: `db.read.${i}`, message: why, code: 'not_readable' }] : [];
      });
      if (unreadable.length) {
        throw new ValidationError(
          unreadable,
          "db.read may name only the kernel's identity views and views another plugin exports",
        );
      }
      const stored = (await this.o.store.get(id)) ?? this.initialState(plugin);
      const next: StoredPlugin = { ...stored, granted };
      const missing = plugin.manifest ? missingGrants(plugin.manifest.permissions, granted) : [];
      if (missing.length && this.active.has(id)) {
        await this.stopRuntime(id);
        next.state = 'disabled';
        next.lastError = `disabled because the grant no longer covers: ${missing.join(', ')}`;
        await this.o.services.log.write(id, { level: 'warn', message: next.lastError });
      }
      // Applied before it is stored: a view the database refuses leaves the running plugin and its grant as they were.
      await this.syncViews(id, granted);
      this.applyLive(id, next);
      await this.o.store.put(id, next, actorId);
      await this.o.announce({ kind: 'plugin', id });
      return this.get(id);
    });
  }

  /**
   * Saves a plugin's settings after checking them, with its defaults, against the JSON Schema its manifest
   * declares; a running plugin reads them on its next `config.get`.
   */
  saveSettings(id: string, settings: Record<string, unknown>, actorId?: number): Promise<PluginStatus> {
    return this.exclusive(id, async () => {
      const plugin = this.requireDiscovered(id);
      const schema = plugin.manifest?.contributes.settings;
      if (!schema) {
        throw new PluginLifecycleError(
          'conflict',
          `${id} has no settings: its manifest declares no settings schema`,
        );
      }
      const stored = (await this.o.store.get(id)) ?? this.initialState(plugin);
      const saved = unmaskSecrets(schema, settings, stored.settings);
      const issues = validateSettings(schema, effectiveSettings(plugin.manifest, saved));
      if (issues.length) throw new ValidationError(issues);
      const next = { ...stored, settings: saved };
      await this.o.store.put(id, next, actorId);
      this.applyLive(id, next);
      await this.o.services.log.write(id, { level: 'info', message: 'settings changed' });
      await this.o.announce({ kind: 'plugin', id });
      return this.get(id);
    });
  }

  /**
   * Makes this instance match what is stored for a plugin after another instance changed it: starts or stops
   * its runtime and takes over its grant and settings. Nothing is written.
   */
  reconcile(id: string): Promise<void> {
    return this.exclusive(id, async () => {
      const plugin = this.discovered.get(id);
      const stored = await this.o.store.get(id);
      if (!plugin || !stored) return;
      const wanted = stored.state === 'enabled' && plugin.manifest !== undefined;
      if (!wanted && this.active.has(id)) await this.stopRuntime(id);
      else if (wanted && !this.active.has(id)) {
        await this.startLocal(plugin, stored).catch((err: unknown) => {
          this.o.logger.warn({ plugin: id, err: (err as Error).message }, 'plugin could not be started here');
        });
      } else this.applyLive(id, stored);
    });
  }

  /** Reconciles every plugin (after this instance may have missed notifications). */
  async reconcileAll(): Promise<void> {
    for (const id of this.discovered.keys()) await this.reconcile(id);
  }

  enable(id: string, actorId?: number): Promise<PluginStatus> {
    return this.exclusive(id, () => this.doEnable(id, actorId));
  }

  disable(id: string, actorId?: number): Promise<PluginStatus> {
    return this.exclusive(id, async () => {
      const plugin = this.requireDiscovered(id);
      await this.stopRuntime(id);
      const stored = (await this.o.store.get(id)) ?? this.initialState(plugin);
      await this.o.store.put(id, { ...stored, state: 'disabled' }, actorId);
      await this.o.announce({ kind: 'plugin', id });
      return this.get(id);
    });
  }

  /**
   * Re-reads a plugin's folder from disk (`POST /api/admin/plugins/:id/reload`, used by `goatflow-plugin dev`):
   * its manifest again, and — when it should run — a restart of its runtime with the new code, widgets,
   * translations and migrations, without restarting the kernel. For this one plugin it is what a kernel restart
   * would do: an enabled plugin (or one whose enabling failed) is started again; one that does not start, whose
   * new manifest is invalid or asks for permissions not granted stays stopped, shown as `failed` with the reason
   * in `lastError` and `issues`, and its stored wish to run is kept, so the reload that fixes it starts it again.
   * A plugin not enabled is only re-read. Uploaded packages are refused: a new upload replaces them.
   */
  reload(id: string, actorId?: number): Promise<PluginStatus> {
    return this.exclusive(id, async () => {
      const plugin = await this.findForReload(id);
      const stored = (await this.o.store.get(id)) ?? this.initialState(plugin);
      const error = await this.reloadHere(plugin, stored);
      const version = this.discovered.get(id)?.manifest?.version;
      if (this.active.has(id)) {
        await this.o.store.put(id, { ...stored, state: 'enabled', version, lastError: undefined }, actorId);
      } else if (error) await this.o.store.put(id, { ...stored, lastError: error }, actorId);
      await this.o.services.log.write(
        id,
        error
          ? { level: 'error', message: `reload failed: ${error}` }
          : { level: 'info', message: `reloaded${version ? ` version ${version}` : ''} from disk` },
      );
      await this.o.announce({ kind: 'reload', id });
      return this.get(id);
    });
  }

  /**
   * Another instance reloaded a plugin: re-read it from this instance's folder and restart it if it should run.
   * Nothing is written (the reloading instance stored the outcome).
   */
  reloaded(id: string): Promise<void> {
    return this.exclusive(id, async () => {
      const plugin = await this.findForReload(id);
      const stored = (await this.o.store.get(id)) ?? this.initialState(plugin);
      const error = await this.reloadHere(plugin, stored);
      if (error) this.o.logger.warn({ plugin: id, err: error }, 'plugin could not be reloaded here');
    });
  }

  /** Stops every plugin (kernel shutdown); their stored states stay as they are. */
  async stopAll(): Promise<void> {
    for (const id of [...this.active.keys()]) await this.stopRuntime(id);
    if (this.hostServer) await (await this.hostServer).close();
  }

  private async doEnable(id: string, actorId?: number): Promise<PluginStatus> {
    const plugin = this.requireDiscovered(id);
    const manifest = plugin.manifest;
    if (!manifest) {
      throw new PluginLifecycleError(
        'invalid_manifest',
        `${id} has an invalid manifest: ${plugin.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
      );
    }
    if (this.active.has(id)) return this.get(id);
    const stored = (await this.o.store.get(id)) ?? this.initialState(plugin);
    const missing = missingGrants(manifest.permissions, stored.granted);
    if (missing.length) {
      throw new PluginLifecycleError(
        'missing_grants',
        `${id} asks for permissions it was not granted: ${missing.join(', ')}. Grant them first.`,
      );
    }
    try {
      await this.startLocal(plugin, stored);
      await this.o.store.put(
        id,
        { ...stored, state: 'enabled', version: manifest.version, lastError: undefined },
        actorId,
      );
      await this.o.services.log.write(id, { level: 'info', message: `enabled version ${manifest.version}` });
      await this.o.announce({ kind: 'plugin', id });
      return this.get(id);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await this.o.store.put(id, { ...stored, state: 'failed', lastError: message }, actorId);
      await this.o.services.log
        .write(id, { level: 'error', message: `enable failed: ${message}` })
        .catch(() => {});
      throw new PluginLifecycleError('start_failed', `${id} could not be enabled: ${message}`);
    }
  }

  /** A plugin to reload: a folder added since the last scan is found by scanning again; uploads are refused. */
  private async findForReload(id: string): Promise<DiscoveredPlugin> {
    if (!this.discovered.has(id)) await this.rescan();
    const plugin = this.requireDiscovered(id);
    if (this.sourceOfPlugin(plugin) === 'upload') {
      throw new PluginLifecycleError(
        'conflict',
        `${id} was installed by uploading a package, which only a new upload replaces ` +
          '(POST /api/admin/plugins/upload); reload is for plugins in a plugin folder',
      );
    }
    return plugin;
  }

  /**
   * Stops the plugin here, re-reads its folder, and starts it again if its stored state wants it running.
   * Returns why it is not running when it should be.
   */
  private async reloadHere(plugin: DiscoveredPlugin, stored: StoredPlugin): Promise<string | undefined> {
    const id = plugin.id;
    await this.stopRuntime(id);
    const fresh = await rereadPlugin(plugin);
    this.discovered.set(id, fresh);
    if (stored.state !== 'enabled' && stored.state !== 'failed') return undefined;
    if (!fresh.manifest) {
      return `the manifest is invalid: ${fresh.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`;
    }
    const missing = missingGrants(fresh.manifest.permissions, stored.granted);
    if (missing.length) {
      return `it asks for permissions it was not granted: ${missing.join(', ')}. Grant them, then reload.`;
    }
    try {
      await this.startLocal(fresh, stored);
      return undefined;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }

  /** Provisions and starts a plugin in this instance: its schema, runtime, jobs and live grant and settings. */
  private async startLocal(plugin: DiscoveredPlugin, stored: StoredPlugin): Promise<void> {
    const manifest = plugin.manifest!;
    const id = plugin.id;
    this.assertNoPrefixConflict(manifest);
    const jobs = manifest.contributes.jobs ?? [];
    validateJobs(jobs);
    await this.provision(plugin, stored.granted);
    const scope = this.o.scopes.create(id);
    try {
      let current = effectiveSettings(manifest, stored.settings);
      const calling: CallingPlugin = {
        id,
        granted: stored.granted,
        settings: () => current,
        updateSettings: (saved) => {
          current = effectiveSettings(manifest, saved);
        },
        i18n: await loadBundles(plugin.dir, manifest),
      };
      const instance = await this.startRuntime(plugin.dir, manifest, calling);
      scope.onDispose(() => instance.dispose());
      scope.onDispose(() => this.o.services.cache.clear(id));
      this.active.set(id, { id, dir: plugin.dir, manifest, instance, i18n: calling.i18n, calling });
      scope.onDispose(() => {
        this.active.delete(id);
      });
      // Registered last, so disposed first: no job starts on an instance being stopped.
      if (jobs.length) scope.onDispose(this.o.jobs.register(id, jobs, instance));
    } catch (err) {
      await this.o.scopes.dispose(id);
      throw err;
    }
    // Deliveries that waited while it was disabled can go now.
    if (manifest.contributes.events?.length) this.o.delivery.wake();
  }

  /**
   * Why a `db.read` name cannot be granted, judged from the discovered manifests (a `goatflow.*` identity view, or
   * a view the owning plugin lists in `contributes.exports`), or `undefined` when it can.
   */
  private unreadable(view: string): string | undefined {
    return unreadableView(view, (schema) => {
      const owner = [...this.discovered.values()].find((p) => p.manifest && schemaOf(p.id) === schema);
      return owner ? (owner.manifest!.contributes.exports ?? []) : undefined;
    });
  }

  /**
   * Schema, role, migrations and granted views, for a plugin that uses the database. Every granted view is
   * checked first against the manifests here and then, in the database, to be a view; a failure names it.
   */
  private async provision(plugin: DiscoveredPlugin, granted: PluginPermissions): Promise<void> {
    const manifest = plugin.manifest!;
    if (!manifest.permissions.db?.own && !manifest.permissions.db?.read?.length) return;
    for (const view of granted.db?.read ?? []) {
      const why = this.unreadable(view);
      if (why) throw new ReadableViewError(view, `db.read: ${why}`);
    }
    await provisionPlugin(
      this.o.pool,
      plugin.id,
      await readMigrations(plugin.dir, manifest),
      granted.db?.read ?? [],
    );
  }

  /**
   * A changed `db.read` grant, applied to the plugin's role and nothing else (no migrations run): a running plugin
   * gets the views granted and loses the others; one that is not running only loses them, and is granted the rest
   * when it is next provisioned. Either way the role never keeps a view taken back from it, which matters even
   * while it is stopped: the views it owns run with its rights, and other plugins may be reading them. Refusals
   * are 409s naming the view; nothing is changed then.
   */
  private async syncViews(id: string, granted: PluginPermissions): Promise<void> {
    const active = this.active.get(id);
    const views = granted.db?.read ?? [];
    if (active && JSON.stringify(active.calling.granted.db?.read ?? []) === JSON.stringify(views)) return;
    try {
      await syncReadableViews(this.o.pool, id, views, active ? 'grant' : 'revoke');
    } catch (err) {
      if (err instanceof ReadableViewError) throw new PluginLifecycleError('conflict', err.message);
      // A view dropped or its rights changed between the check and the GRANT (access rule violations, class 42).
      const code = (err as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('42')) {
        throw new PluginLifecycleError(
          'conflict',
          `the db.read grant of ${id} could not be applied to its database role, so nothing was changed: ` +
            `${(err as Error).message}. Check that every view it names still exists, then save it again`,
        );
      }
      throw err;
    }
  }

  /** Hands a running plugin its stored grant and settings (its role's views were synced by {@link syncViews}). */
  private applyLive(id: string, stored: StoredPlugin): void {
    const active = this.active.get(id);
    if (!active) return;
    active.calling.granted = stored.granted;
    active.calling.updateSettings?.(stored.settings);
  }

  private async startRuntime(
    dir: string,
    manifest: PluginManifest,
    calling: CallingPlugin,
  ): Promise<PluginInstance> {
    const hostCall = hostCallHandler(calling, this.o.services);
    const log = (line: { level: 'trace' | 'debug' | 'info' | 'warn' | 'error'; message: string }) => {
      this.o.services.log.write(manifest.id, line).catch(() => {});
    };
    const deadlineMs = manifest.limits?.deadlineMs;
    if (manifest.runtime === 'wasm') {
      const wasm = await fs.readFile(path.join(dir, manifest.entry));
      const cap = Math.min(this.o.maxMemoryBytes, (manifest.limits?.maxMemoryMb ?? 64) * 1024 * 1024);
      const instance = await loadWasmPlugin({
        pluginId: manifest.id,
        wasm: new Uint8Array(wasm),
        hostCall,
        maxMemoryBytes: cap,
        log,
        ...(deadlineMs ? { deadlineMs } : {}),
      });
      for (const message of wasmLoadFindings(instance.moduleInfo, manifest, calling.granted)) {
        log({ level: 'error', message });
      }
      return instance;
    }
    this.hostServer ??= HostServer.start(this.o.socketDir ? { socketDir: this.o.socketDir } : {});
    const command = manifest.entry.command === 'node' ? process.execPath : manifest.entry.command;
    return startGrpcPlugin({
      pluginId: manifest.id,
      command: [command, ...manifest.entry.args],
      cwd: dir,
      hostCall,
      hostServer: await this.hostServer,
      log,
      ...(deadlineMs ? { deadlineMs } : {}),
    });
  }

  private async stopRuntime(id: string): Promise<void> {
    const errors = await this.o.scopes.dispose(id);
    for (const err of errors) this.o.logger.warn({ plugin: id, err: err.message }, 'plugin cleanup failed');
  }

  private assertNoPrefixConflict(manifest: PluginManifest): void {
    for (const prefix of manifest.contributes.apiPrefixes ?? []) {
      for (const other of this.active.values()) {
        if (other.id !== manifest.id && (other.manifest.contributes.apiPrefixes ?? []).includes(prefix)) {
          throw new PluginLifecycleError(
            'conflict',
            `${prefix} is already claimed by the enabled plugin ${other.id}`,
          );
        }
      }
    }
  }

  private status(p: DiscoveredPlugin, stored: StoredPlugin | undefined): PluginStatus {
    const s = stored ?? this.initialState(p);
    const active = this.active.get(p.id);
    const health = active?.instance.health();
    let state: PluginState = s.state;
    if (!p.manifest) state = 'failed';
    else if (active && health?.state === 'quarantined') state = 'quarantined';
    else if (active && health && health.state !== 'running') state = 'degraded';
    else if (s.state === 'enabled' && !active) state = 'failed';
    return {
      id: p.id,
      name: p.manifest?.name ?? p.id,
      version: p.manifest?.version,
      runtime: p.manifest?.runtime,
      firstParty: p.firstParty,
      source: this.sourceOfPlugin(p),
      state,
      health,
      requested: p.manifest?.permissions ?? {},
      granted: s.granted,
      missingGrants: p.manifest ? missingGrants(p.manifest.permissions, s.granted) : [],
      issues: p.issues,
      lastError: s.lastError ?? (p.issues.length ? 'the manifest is invalid' : undefined),
      settingsSchema: p.manifest?.contributes.settings ?? null,
      settings: maskSecrets(p.manifest?.contributes.settings, effectiveSettings(p.manifest, s.settings)),
    };
  }

  /** First-party plugins are granted what they ask for; third-party plugins nothing until an admin grants it. */
  private initialState(p: DiscoveredPlugin): StoredPlugin {
    return {
      state: 'installed',
      granted: p.firstParty ? (p.manifest?.permissions ?? {}) : {},
      settings: {},
      version: undefined,
      lastError: undefined,
    };
  }

  private requireDiscovered(id: string): DiscoveredPlugin {
    const plugin = this.discovered.get(id);
    if (!plugin) throw new PluginLifecycleError('not_found', `no plugin "${id}"`);
    return plugin;
  }

  /** One lifecycle change per plugin at a time: enable and disable of the same plugin never interleave. */
  private async exclusive<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.busy.get(id) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(work);
    this.busy.set(id, next);
    try {
      return await next;
    } finally {
      if (this.busy.get(id) === next) this.busy.delete(id);
    }
  }
}

/**
 * Exporters first: a plugin that reads another plugin's views (`db.read`) starts after it, since its grant needs
 * the views to exist. A cycle keeps discovery order; the plugin that then fails to start says which view is missing.
 */
function startOrder(plugins: DiscoveredPlugin[]): DiscoveredPlugin[] {
  const bySchema = new Map(plugins.map((p) => [schemaOf(p.id), p]));
  const ordered = new Set<DiscoveredPlugin>();
  const visiting = new Set<DiscoveredPlugin>();
  const visit = (plugin: DiscoveredPlugin) => {
    if (ordered.has(plugin) || visiting.has(plugin)) return;
    visiting.add(plugin);
    for (const view of plugin.manifest?.permissions.db?.read ?? []) {
      const exporter = bySchema.get(view.split('.')[0]!);
      if (exporter) visit(exporter);
    }
    ordered.add(plugin);
  };
  for (const plugin of plugins) visit(plugin);
  return [...ordered];
}

/** A plugin's folder read again; its id stays (a changed id would be another plugin: restart to load that). */
async function rereadPlugin(plugin: DiscoveredPlugin): Promise<DiscoveredPlugin> {
  let text: string;
  try {
    text = await fs.readFile(path.join(plugin.dir, MANIFEST_FILE), 'utf8');
  } catch (err) {
    const issue = { path: '/', message: `${MANIFEST_FILE} could not be read: ${(err as Error).message}` };
    return { ...plugin, manifest: undefined, issues: [issue] };
  }
  const fresh = readManifest(
    text,
    plugin.dir,
    path.basename(plugin.dir),
    plugin.firstParty,
    KERNEL_API_VERSION,
  );
  if (fresh.id === plugin.id) return fresh;
  const issues = fresh.manifest
    ? [
        {
          path: '/id',
          message: `changed from "${plugin.id}" to "${fresh.id}": a reload keeps the id; restart the kernel to load the folder as a new plugin`,
        },
      ]
    : fresh.issues;
  return { ...fresh, id: plugin.id, manifest: undefined, issues };
}

async function readMigrations(dir: string, manifest: PluginManifest): Promise<PluginMigration[]> {
  const folder = manifest.contributes.migrations;
  if (!folder) return [];
  const files = (await fs.readdir(path.join(dir, folder))).filter((f) => f.endsWith('.sql')).sort();
  return Promise.all(
    files.map(async (name) => ({ name, sql: await fs.readFile(path.join(dir, folder, name), 'utf8') })),
  );
}

async function loadBundles(dir: string, manifest: PluginManifest): Promise<I18n | undefined> {
  const bundles = manifest.contributes.i18n;
  if (!bundles) return undefined;
  const resources: Record<string, { translation: Record<string, unknown> }> = {};
  for (const [locale, file] of Object.entries(bundles)) {
    resources[locale] = { translation: JSON.parse(await fs.readFile(path.join(dir, file), 'utf8')) };
  }
  const instance = i18next.createInstance();
  await instance.init({
    resources,
    fallbackLng: Object.hasOwn(resources, 'en') ? 'en' : Object.keys(resources)[0],
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return instance;
}
