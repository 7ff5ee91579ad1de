/**
 * The typed Host API client and its error codes, shared by every runtime's plugin side.
 * @module
 */
export {
  type AuditRecord,
  createHostClient,
  type EmailMessage,
  type HostClient,
  type HostLogLevel,
  type HostUser,
  type HttpRequest,
  type HttpResponse,
  type QueryResult,
  type RawHostCall,
  type TransactionEvent,
  type TransactionExpectation,
  type TransactionOptions,
  type TransactionResult,
  type TransactionStatement,
} from './host-client.js';
export { HOST_ERROR_CODES, type HostErrorCode, isHostError } from './host-errors.js';
