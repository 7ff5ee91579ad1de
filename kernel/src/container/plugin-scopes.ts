/**
 * One child container per plugin. Everything a plugin contributes (routes, login hooks, timers, its runtime) is
 * registered in its scope together with the function that takes it back, so disabling a plugin is disposing
 * its scope — nothing else in the kernel changes.
 * @module
 */
import type { DependencyContainer } from 'tsyringe';

export class PluginScope {
  private readonly disposers: (() => void | Promise<void>)[] = [];
  private disposed = false;

  constructor(
    readonly pluginId: string,
    readonly container: DependencyContainer,
  ) {}

  /** Registers a cleanup to run when the plugin is disabled; cleanups run in reverse order of registration. */
  onDispose(fn: () => void | Promise<void>): void {
    if (this.disposed) throw new Error(`The scope of plugin "${this.pluginId}" is already disposed.`);
    this.disposers.push(fn);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Runs every cleanup (one failing does not stop the rest), then disposes the child container. */
  async dispose(): Promise<Error[]> {
    if (this.disposed) return [];
    this.disposed = true;
    const errors: Error[] = [];
    for (const fn of this.disposers.reverse()) {
      try {
        await fn();
      } catch (e) {
        errors.push(e instanceof Error ? e : new Error(String(e)));
      }
    }
    this.disposers.length = 0;
    await this.container.dispose();
    return errors;
  }
}

export class PluginScopes {
  private readonly scopes = new Map<string, PluginScope>();

  constructor(private readonly root: DependencyContainer) {}

  /** Creates the scope for a plugin being enabled; a plugin has at most one live scope. */
  create(pluginId: string): PluginScope {
    if (this.scopes.has(pluginId))
      throw new Error(`Plugin "${pluginId}" already has a live scope; dispose it first.`);
    const scope = new PluginScope(pluginId, this.root.createChildContainer());
    this.scopes.set(pluginId, scope);
    return scope;
  }

  get(pluginId: string): PluginScope | undefined {
    return this.scopes.get(pluginId);
  }

  ids(): string[] {
    return [...this.scopes.keys()];
  }

  async dispose(pluginId: string): Promise<Error[]> {
    const scope = this.scopes.get(pluginId);
    if (!scope) return [];
    this.scopes.delete(pluginId);
    return scope.dispose();
  }

  async disposeAll(): Promise<void> {
    for (const id of [...this.scopes.keys()].reverse()) await this.dispose(id);
  }
}
