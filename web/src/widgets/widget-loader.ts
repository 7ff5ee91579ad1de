/**
 * Loads a plugin widget: imports its ES module (which registers the custom element) and creates the element.
 * Descriptors come from plugins, so the element name is checked to be a custom element name: creating an
 * arbitrary tag such as `script` or `iframe` from plugin data is not something a widget needs.
 * @module
 */

export interface WidgetDescriptor {
  /** Unique within a slot; used as the render key so widgets keep their state across re-renders. */
  id: string;
  plugin: string;
  title: string;
  /** The custom element the module defines, e.g. `gf-tickets-open-count`. */
  element: string;
  /** URL of the ES module to import, absolute or relative to the document. */
  module: string;
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
      () => reject(new Error(`Widget module did not define <${name}> within ${timeoutMs} ms.`)),
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
  const element = document.createElement(widget.element);
  element.dataset.widgetId = widget.id;
  element.dataset.plugin = widget.plugin;
  return element;
}
