/**
 * Loads a plugin widget or page: imports its ES module (which registers the custom element) and creates the
 * element.
 * Descriptors come from plugins, so the element name is checked to be a custom element name: creating an
 * arbitrary tag such as `script` or `iframe` from plugin data is not something a widget needs.
 * @module
 */

export interface WidgetDescriptor {
  /** Unique within its plugin; `plugin` and `id` together key the widget so it keeps its state across re-renders. */
  id: string;
  plugin: string;
  title: string;
  /** The custom element the module defines, e.g. `gf-tickets-open-count`. */
  element: string;
  /** URL of the ES module to import, absolute or relative to the document. */
  module: string;
  /** How much room the widget wants in a grid slot; `medium` when unset. */
  size?: 'small' | 'medium' | 'large';
  /** Reload the widget's content this often; never when unset or null. */
  refreshSeconds?: number | null;
}

/** Whether two descriptors load the same element (a new title alone does not need a reload). */
export function sameWidgetElement(a: WidgetDescriptor | null, b: WidgetDescriptor | null): boolean {
  if (!a || !b) return a === b;
  return a.plugin === b.plugin && a.id === b.id && a.element === b.element && a.module === b.module;
}

const RESERVED_NAMES = new Set([
  'annotation-xml',
  'color-profile',
  'font-face',
  'font-face-src',
  'font-face-uri',
  'font-face-format',
  'font-face-name',
  'missing-glyph',
]);

const CUSTOM_ELEMENT_NAME = /^[a-z][a-z0-9._]*(-[a-z0-9._]*)+$/;

/** How long a module may take to define its element after it has been imported. */
const DEFINE_TIMEOUT_MS = 5000;

export function isCustomElementName(name: string): boolean {
  return CUSTOM_ELEMENT_NAME.test(name) && !RESERVED_NAMES.has(name);
}

export type ModuleImporter = (url: string) => Promise<unknown>;

const importModule: ModuleImporter = (url) => import(/* @vite-ignore */ url);

function resolveModuleUrl(module: string): string {
  return new URL(module, document.baseURI).href;
}

async function whenDefined(name: string, timeoutMs: number): Promise<void> {
  if (customElements.get(name)) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`The plugin module did not define <${name}> within ${timeoutMs} ms.`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([customElements.whenDefined(name), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function loadWidget(
  widget: WidgetDescriptor,
  importer: ModuleImporter = importModule,
  timeoutMs = DEFINE_TIMEOUT_MS,
): Promise<HTMLElement> {
  if (!isCustomElementName(widget.element)) {
    throw new Error(`"${widget.element}" is not a valid custom element name.`);
  }
  await importer(resolveModuleUrl(widget.module));
  await whenDefined(widget.element, timeoutMs);
  return createWidgetElement(widget);
}

/** A new instance of a widget whose module is already loaded (a refresh without a `refresh()` method). */
export function createWidgetElement(widget: WidgetDescriptor): HTMLElement {
  const element = document.createElement(widget.element);
  element.dataset.widgetId = widget.id;
  element.dataset.plugin = widget.plugin;
  return element;
}
