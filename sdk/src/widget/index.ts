/**
 * `@goatflow/sdk/widget`: the Lit base class of GoatFlow plugin widgets and the client they call their plugin's
 * routes with, and `navigate()` to move between the shell's pages. Browser-only; bundle it (with `lit`) into the
 * widget's module.
 * @packageDocumentation
 */
export { ApiRequestError, apiRequestErrorFrom, isAbortError } from './api-request-error.js';
export { documentLocale, observeDocumentLocale } from './document-locale.js';
export {
  GoatflowWidget,
  MIN_REFRESH_SECONDS,
  WIDGET_CHROME_MESSAGES,
  type WidgetState,
} from './goatflow-widget.js';
export { isShellPath, NAVIGATE_EVENT, type NavigateOptions, navigate } from './navigate.js';
export {
  createWidgetApi,
  pluginRouteUrl,
  type QueryValue,
  type WidgetApi,
  type WidgetApiOptions,
  type WidgetHttpMethod,
  type WidgetRequestOptions,
} from './widget-api.js';
export {
  AUTH_ME_PATH,
  type CsrfTokenSource,
  createCsrfTokenSource,
  type FetchFunction,
  sharedCsrfToken,
} from './widget-csrf.js';
export {
  FALLBACK_LOCALE,
  interpolate,
  localeChain,
  translate,
  type WidgetMessageParams,
  type WidgetMessages,
  type WidgetMessageTable,
} from './widget-i18n.js';
export { widgetStyles } from './widget-styles.js';
