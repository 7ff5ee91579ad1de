import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isShellPath, NAVIGATE_EVENT, navigate } from './navigate.js';

/** A window with just what navigate() touches: the location, a History API that moves it, and events. */
function fakeWindow(start: string) {
  const url = new URL(start, 'http://goatflow.test');
  const events: string[] = [];
  const calls: string[] = [];
  const move = (kind: string) => (_state: unknown, _title: string, path: string) => {
    calls.push(`${kind} ${path}`);
    const next = new URL(path, url);
    url.pathname = next.pathname;
    url.search = next.search;
    url.hash = next.hash;
  };
  return {
    events,
    calls,
    window: {
      location: url,
      history: { pushState: move('push'), replaceState: move('replace') },
      dispatchEvent: (event: Event) => {
        events.push(event.type);
        return true;
      },
    },
  };
}

describe('navigate', () => {
  let fake: ReturnType<typeof fakeWindow>;
  beforeEach(() => {
    fake = fakeWindow('/tickets?page=1');
    vi.stubGlobal('window', fake.window);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('pushes the path and tells the shell, which listens for gf-navigate', () => {
    navigate('/tickets/7');
    expect(fake.calls).toEqual(['push /tickets/7']);
    expect(fake.events).toEqual([NAVIGATE_EVENT]);
    expect(NAVIGATE_EVENT).toBe('gf-navigate');
  });

  it('replaces the entry when asked, e.g. for a filter change', () => {
    navigate('/tickets?page=2', { replace: true });
    expect(fake.calls).toEqual(['replace /tickets?page=2']);
    expect(fake.events).toEqual([NAVIGATE_EVENT]);
  });

  it('does nothing for the URL already shown', () => {
    navigate('/tickets?page=1');
    expect(fake.calls).toEqual([]);
    expect(fake.events).toEqual([]);
  });

  it('refuses anything but an absolute path on this site, and moves nowhere', () => {
    for (const path of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'tickets/7', '']) {
      expect(() => navigate(path)).toThrow(TypeError);
    }
    expect(fake.calls).toEqual([]);
    expect(fake.events).toEqual([]);
  });
});

describe('isShellPath', () => {
  it('accepts absolute paths with query and fragment', () => {
    expect(isShellPath('/')).toBe(true);
    expect(isShellPath('/portal/tickets?page=2#top')).toBe(true);
    expect(isShellPath('javascript:alert(1)')).toBe(false);
  });
});
