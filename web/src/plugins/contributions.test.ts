import { afterEach, describe, expect, it, vi } from 'vitest';
import type {
  MenuContribution,
  PageContribution,
  UiContributions,
  WidgetContribution,
} from '../api/plugins.js';
import type { User } from '../api/types.js';
import {
  ContributionStore,
  EMPTY_CONTRIBUTIONS,
  matchPluginPage,
  menuEntries,
  menuLocationsFor,
  widgetsBySlot,
} from './contributions.js';

function widget(plugin: string, id: string, slot: string): WidgetContribution {
  return {
    plugin,
    id,
    slot,
    title: id,
    size: 'medium',
    element: `x-${id}`,
    module: '/m.js',
    refreshSeconds: null,
  };
}

function entry(
  plugin: string,
  id: string,
  location: MenuContribution['location'],
  order: number,
  label = id,
) {
  return { plugin, id, label, path: `/${id}`, location, order };
}

function page(id: string, path: string): PageContribution {
  return { plugin: 'p', id, path, title: id, element: `x-${id}`, module: '/m.js' };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const user = (type: User['type'], isAdmin: boolean) => ({ type, isAdmin }) as User;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('widgetsBySlot', () => {
  it('groups by slot in order and drops unknown slots', () => {
    const a = widget('p', 'a', 'dashboard.main');
    const b = widget('p', 'b', 'dashboard.side');
    const c = widget('q', 'c', 'dashboard.main');
    expect(widgetsBySlot([a, b, c, widget('p', 'd', 'nowhere')])).toEqual({
      'dashboard.main': [a, c],
      'dashboard.side': [b],
    });
  });
});

describe('menu entries', () => {
  it('offer agents their entries, customers theirs, and admins the admin area too', () => {
    expect(menuLocationsFor(user('agent', false))).toEqual(['agent']);
    expect(menuLocationsFor(user('customer', false))).toEqual(['customer']);
    expect(menuLocationsFor(user('agent', true))).toEqual(['agent', 'admin']);
    expect(menuLocationsFor(null)).toEqual([]);
  });

  it('are filtered by location and sorted by order, then label', () => {
    const menu = [
      entry('p', 'late', 'agent', 50),
      entry('p', 'admin', 'admin', 1),
      entry('q', 'b', 'agent', 10, 'Beta'),
      entry('p', 'a', 'agent', 10, 'Alpha'),
    ];
    expect(menuEntries(menu, 'agent').map((e) => e.id)).toEqual(['a', 'b', 'late']);
    expect(menuEntries(menu, 'admin').map((e) => e.id)).toEqual(['admin']);
    expect(menuEntries(menu, 'customer')).toEqual([]);
  });
});

describe('matchPluginPage', () => {
  const pages = [page('item', '/things/:id'), page('new', '/things/new'), page('hello', '/hello/')];

  it('matches exact paths, ignoring trailing slashes, before paths with parameters', () => {
    expect(matchPluginPage(pages, '/hello')?.page.id).toBe('hello');
    expect(matchPluginPage(pages, '/things/new/')?.page.id).toBe('new');
    expect(matchPluginPage(pages, '/things/a%20b')).toEqual({ page: pages[0], params: { id: 'a b' } });
  });

  it('finds nothing for other paths', () => {
    expect(matchPluginPage(pages, '/things')).toBeNull();
    expect(matchPluginPage(pages, '/things/1/more')).toBeNull();
    expect(matchPluginPage(pages, '/things/%E0%A4%A')).toBeNull();
    expect(matchPluginPage([], '/hello')).toBeNull();
  });
});

describe('ContributionStore', () => {
  const one: UiContributions = { widgets: [widget('p', 'a', 'dashboard.main')], menu: [], pages: [] };
  const two: UiContributions = { widgets: [], menu: [entry('p', 'm', 'agent', 1)], pages: [] };

  it('joins a request under way unless asked for a fresh one', async () => {
    const loader = vi.fn(async () => one);
    const store = new ContributionStore(loader, () => {});
    await Promise.all([store.load(), store.load()]);
    expect(loader).toHaveBeenCalledTimes(1);
    expect(store.contributions).toEqual(one);
    expect(store.loaded).toBe(true);
    await Promise.all([store.load(), store.load({ fresh: true })]);
    expect(loader).toHaveBeenCalledTimes(3);
  });

  it('keeps only the newest answer, however the answers arrive', async () => {
    const first = deferred<UiContributions>();
    const second = deferred<UiContributions>();
    const loader = vi.fn().mockReturnValueOnce(first.promise).mockReturnValueOnce(second.promise);
    const onChange = vi.fn();
    const store = new ContributionStore(loader, onChange);
    const a = store.load();
    const b = store.load({ fresh: true });
    second.resolve(two);
    await b;
    first.resolve(one);
    await a;
    expect(store.contributions).toEqual(two);
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it('keeps the previous contributions when a load fails, and reports it', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const loader = vi.fn().mockResolvedValueOnce(one).mockRejectedValueOnce(new Error('offline'));
    const store = new ContributionStore(loader, () => {});
    await store.load();
    await store.load();
    expect(store.failed).toBe(true);
    expect(store.contributions).toEqual(one);
  });

  it('forgets everything on clear, also answers still on their way', async () => {
    const pending = deferred<UiContributions>();
    const store = new ContributionStore(
      () => pending.promise,
      () => {},
    );
    const load = store.load();
    store.clear();
    pending.resolve(one);
    await load;
    expect(store.contributions).toBe(EMPTY_CONTRIBUTIONS);
    expect(store.loaded).toBe(false);
  });
});
