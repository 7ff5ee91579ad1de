/**
 * What enabled plugins add to the shell — widgets, menu entries, pages — and the store that keeps it current.
 * The kernel decides what the user may see and translates the labels; the shell only places the entries. The
 * helpers here are pure functions of the contributions so they can be tested without a browser.
 * @module
 */
import type {
  MenuContribution,
  MenuLocation,
  PageContribution,
  UiContributions,
  WidgetContribution,
} from '../api/plugins.js';
import type { User } from '../api/types.js';
import { normalizePath } from '../app/router.js';
import { SLOT_NAMES, type SlotName } from '../widgets/slots.js';

/**
 * Dispatched (bubbling, composed) by any part of the shell that knows the contributions are out of date, e.g.
 * the plugin admin page after enabling a plugin; the app shell then loads them again.
 */
export const CONTRIBUTIONS_STALE_EVENT = 'gf-contributions-stale';

export function announceContributionsStale(from: EventTarget): void {
  from.dispatchEvent(new Event(CONTRIBUTIONS_STALE_EVENT, { bubbles: true, composed: true }));
}

export const EMPTY_CONTRIBUTIONS: UiContributions = Object.freeze({ widgets: [], menu: [], pages: [] });

/** Groups widgets by the slot they ask for; widgets for a slot this shell does not have are left out. */
export function widgetsBySlot(
  widgets: readonly WidgetContribution[],
): Partial<Record<SlotName, WidgetContribution[]>> {
  const bySlot: Partial<Record<SlotName, WidgetContribution[]>> = {};
  for (const widget of widgets) {
    const slot = SLOT_NAMES.find((name) => name === widget.slot);
    if (!slot) continue;
    const list = bySlot[slot] ?? [];
    list.push(widget);
    bySlot[slot] = list;
  }
  return bySlot;
}

/** The menu locations a user sees: their own type's, and the admin area for admins. */
export function menuLocationsFor(user: User | null): MenuLocation[] {
  if (!user) return [];
  const locations: MenuLocation[] = [user.type];
  if (user.isAdmin) locations.push('admin');
  return locations;
}

/** The entries for one location, by `order` and then label, so the menu does not reshuffle between loads. */
export function menuEntries(menu: readonly MenuContribution[], location: MenuLocation): MenuContribution[] {
  return menu
    .filter((entry) => entry.location === location)
    .sort((a, b) => a.order - b.order || a.label.localeCompare(b.label) || a.plugin.localeCompare(b.plugin));
}

export interface PageMatch {
  page: PageContribution;
  /** Values of the page path's `:name` segments. */
  params: Record<string, string>;
}

function matchPattern(pattern: string, path: string): Record<string, string> | null {
  const want = normalizePath(pattern).split('/');
  const have = path.split('/');
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const actual = have[i] ?? '';
    if (segment.startsWith(':') && segment.length > 1) {
      if (!actual) return null;
      try {
        params[segment.slice(1)] = decodeURIComponent(actual);
      } catch {
        return null;
      }
    } else if (segment !== actual) {
      return null;
    }
  }
  return params;
}

/** The plugin page shown at `pathname`: an exact path wins over one with `:name` segments, then the first. */
export function matchPluginPage(pages: readonly PageContribution[], pathname: string): PageMatch | null {
  const path = normalizePath(pathname);
  const exact = pages.find((page) => normalizePath(page.path) === path);
  if (exact) return { page: exact, params: {} };
  for (const page of pages) {
    const params = matchPattern(page.path, path);
    if (params) return { page, params };
  }
  return null;
}

export type ContributionsLoader = () => Promise<UiContributions>;

/**
 * Holds the current user's contributions. `load()` joins a request already under way (several reasons to look
 * again often coincide, e.g. signing in and landing on the dashboard); `load({fresh: true})` always asks again,
 * for when something changed after the running request started (a plugin was just enabled). Only the newest
 * request's answer is kept, so a slow old answer cannot bring back a plugin that was disabled meanwhile.
 */
export class ContributionStore {
  contributions: UiContributions = EMPTY_CONTRIBUTIONS;
  /** Whether an answer (or a failure) has arrived since the store was created or cleared. */
  loaded = false;
  /** Whether the newest request failed; the previous contributions are kept meanwhile. */
  failed = false;

  private generation = 0;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly loader: ContributionsLoader,
    private readonly onChange: () => void,
  ) {}

  load(options: { fresh?: boolean } = {}): Promise<void> {
    if (this.inFlight && !options.fresh) return this.inFlight;
    const generation = ++this.generation;
    const request = this.request(generation);
    this.inFlight = request;
    return request;
  }

  /** Forgets everything (sign-out); answers still on their way are ignored. */
  clear(): void {
    this.generation++;
    this.inFlight = null;
    this.contributions = EMPTY_CONTRIBUTIONS;
    this.loaded = false;
    this.failed = false;
    this.onChange();
  }

  private async request(generation: number): Promise<void> {
    let result: UiContributions | undefined;
    let error: unknown;
    try {
      result = await this.loader();
    } catch (caught) {
      error = caught ?? new Error('Loading the plugin contributions failed.');
    }
    if (generation !== this.generation) return;
    this.inFlight = null;
    this.loaded = true;
    if (result) {
      this.contributions = {
        widgets: result.widgets ?? [],
        menu: result.menu ?? [],
        pages: result.pages ?? [],
      };
      this.failed = false;
    } else {
      console.error('Loading the plugin contributions failed', error);
      this.failed = true;
    }
    this.onChange();
  }
}
