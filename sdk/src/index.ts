/**
 * `@goatflow/sdk`: the contract between GoatFlow and its plugins and clients.
 * @packageDocumentation
 */
export { type ApiErrorBody, type ApiFieldIssue, isApiErrorBody } from './api-error.js';
