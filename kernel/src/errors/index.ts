export { ERROR_CODES, type ErrorCode } from './codes.js';
export {
  ConfigError,
  ConflictError,
  type FieldIssue,
  InvalidPackageError,
  KernelError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  UnauthenticatedError,
  ValidationError,
} from './kernel-error.js';
