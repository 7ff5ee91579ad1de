/**
 * Applies the GoatFlow Classic theme to the document. The colour mode is a per-browser preference (kept in
 * localStorage) rather than a user setting, because it follows the device the person is on.
 * @module
 */

export type ThemeMode = 'system' | 'light' | 'dark';

export const THEME_MODES: readonly ThemeMode[] = ['system', 'light', 'dark'];

const STORAGE_KEY = 'goatflow.themeMode';
const DARK_QUERY = '(prefers-color-scheme: dark)';

let currentMode: ThemeMode = 'system';
let systemQuery: MediaQueryList | null = null;

function isThemeMode(value: unknown): value is ThemeMode {
  return typeof value === 'string' && (THEME_MODES as readonly string[]).includes(value);
}

function readStoredMode(): ThemeMode {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return isThemeMode(stored) ? stored : 'system';
  } catch {
    // Storage can be disabled (privacy mode, sandboxed frames); the system preference is a fine fallback.
    return 'system';
  }
}

function applyResolvedMode(): void {
  const dark = currentMode === 'dark' || (currentMode === 'system' && (systemQuery?.matches ?? false));
  document.documentElement.dataset.mode = dark ? 'dark' : 'light';
}

export function initTheme(): void {
  document.documentElement.dataset.theme = 'classic';
  systemQuery = window.matchMedia(DARK_QUERY);
  systemQuery.addEventListener('change', applyResolvedMode);
  currentMode = readStoredMode();
  applyResolvedMode();
}

export function getThemeMode(): ThemeMode {
  return currentMode;
}

export function setThemeMode(mode: ThemeMode): void {
  currentMode = mode;
  try {
    localStorage.setItem(STORAGE_KEY, mode);
  } catch {
    // Not persisting is acceptable: the choice still applies for this page load.
  }
  applyResolvedMode();
}
