/**
 * The tickets API contract (`/api/v1`): every schema the routes take and answer, which the UI and the OpenAPI
 * document are built from. One file per area; this one gathers them.
 * @module
 */
export * from './common.js';
export * from './reference-schemas.js';
export * from './tickets-schemas.js';
