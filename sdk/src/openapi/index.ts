/**
 * `@goatflow/sdk/openapi`: the OpenAPI 3.1 document of a plugin's routes ({@link openApiDocument}). Its own
 * entry, so that zod-to-openapi never lands in a plugin's bundle: `goatflow-plugin build` runs it and writes
 * `openapi.json`.
 * @packageDocumentation
 */
export {
  OpenApiBuildError,
  type OpenApiDocument,
  type OpenApiIssue,
  type OpenApiOptions,
  openApiDocument,
} from './document.js';
export { OPENAPI_FILE } from './file.js';
