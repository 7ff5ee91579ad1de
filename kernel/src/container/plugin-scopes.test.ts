import 'reflect-metadata';
import { container } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import { PluginScopes } from './plugin-scopes.js';

describe('PluginScopes', () => {
  it('gives each plugin a child container that sees the root but not the other way round', () => {
    const root = container.createChildContainer();
    root.register('shared', { useValue: 'root-value' });
    const scopes = new PluginScopes(root);
    const scope = scopes.create('hello');
    scope.container.register('own', { useValue: 42 });
    expect(scope.container.resolve('shared')).toBe('root-value');
    expect(scope.container.resolve('own')).toBe(42);
    expect(root.isRegistered('own')).toBe(false);
  });

  it('runs cleanups in reverse order on dispose, even when one fails, and forgets the scope', async () => {
    const scopes = new PluginScopes(container.createChildContainer());
    const scope = scopes.create('p');
    const order: string[] = [];
    scope.onDispose(() => {
      order.push('routes');
    });
    scope.onDispose(() => {
      throw new Error('boom');
    });
    scope.onDispose(async () => {
      order.push('runtime');
    });
    const errors = await scopes.dispose('p');
    expect(order).toEqual(['runtime', 'routes']);
    expect(errors.map((e) => e.message)).toEqual(['boom']);
    expect(scopes.get('p')).toBeUndefined();
    expect(scope.isDisposed).toBe(true);
    expect(() => scope.onDispose(() => {})).toThrow(/already disposed/);
  });

  it('refuses a second live scope for one plugin', () => {
    const scopes = new PluginScopes(container.createChildContainer());
    scopes.create('p');
    expect(() => scopes.create('p')).toThrow(/already has a live scope/);
  });
});
