export { ERROR_CODES, type ErrorCode } from './codes.js';
export {
  ConfigError,
  ConflictError,
  type FieldIssue,
  KernelError,
  NotFoundError,
  RateLimitedError,
  UnauthenticatedError,
  ValidationError,
} from './kernel-error.js';
