/**
 * The kernel's error hierarchy. Anything thrown inside a request that is a {@link KernelError} becomes a JSON
 * error response with its stable code; anything else is a bug and becomes a logged 500 `internal`.
 * @module
 */
import { ERROR_CODES, type ErrorCode } from './codes.js';

/** One failing field of a request body, query or parameter. */
export interface FieldIssue {
  path: string;
  /** English, for people and logs. */
  message: string;
  /** Stable code a client translates, e.g. `too_short`, `taken`, `unknown_field` (see docs/architecture.md). */
  code?: string;
  /** Values the translated message needs, e.g. `{minimum: 8}`. */
  params?: Record<string, string | number>;
}

export class KernelError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: FieldIssue[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: FieldIssue[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'KernelError';
    this.code = code;
    this.status = ERROR_CODES[code];
    this.details = options.details;
    this.headers = options.headers ?? {};
  }

  toJSON(): { error: { code: ErrorCode; message: string; details?: FieldIssue[] } } {
    return {
      error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) },
    };
  }
}

export class ValidationError extends KernelError {
  constructor(
    details: FieldIssue[],
    message = 'The request is invalid: see details for the failing fields.',
  ) {
    super('validation_failed', message, { details });
    this.name = 'ValidationError';
  }
}

/** Used for anything the caller may not see or do: the kernel never confirms existence with a 403. */
export class NotFoundError extends KernelError {
  constructor(message = 'Not found.') {
    super('not_found', message);
    this.name = 'NotFoundError';
  }
}

export class ConflictError extends KernelError {
  constructor(message: string, details?: FieldIssue[]) {
    super('conflict', message, details ? { details } : {});
    this.name = 'ConflictError';
  }
}

/** An uploaded plugin package that cannot be installed; `details` name each problem (archive entry or manifest path). */
export class InvalidPackageError extends KernelError {
  constructor(message: string, details?: FieldIssue[]) {
    super('invalid_package', message, details ? { details } : {});
    this.name = 'InvalidPackageError';
  }
}

/** A request body, upload or unpacked archive over one of the kernel's size caps. */
export class PayloadTooLargeError extends KernelError {
  constructor(message: string, details?: FieldIssue[]) {
    super('payload_too_large', message, details ? { details } : {});
    this.name = 'PayloadTooLargeError';
  }
}

export class UnauthenticatedError extends KernelError {
  constructor(message = 'Sign in first: this request needs a valid session.') {
    super('unauthenticated', message);
    this.name = 'UnauthenticatedError';
  }
}

export class RateLimitedError extends KernelError {
  constructor(retryAfterSeconds: number, message: string) {
    super('rate_limited', message, { headers: { 'Retry-After': String(Math.max(1, retryAfterSeconds)) } });
    this.name = 'RateLimitedError';
  }
}

/** A configuration problem found at start-up; the message names the variable and what it expects. */
export class ConfigError extends Error {
  readonly issues: FieldIssue[];
  constructor(issues: FieldIssue[]) {
    super(
      `Invalid configuration:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}\nSee docs/operators.md for every variable.`,
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
