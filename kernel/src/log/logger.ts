/**
 * Structured logging with pino. Secrets never reach the log: the redaction list covers the fields where a
 * password, cookie or token could appear, and database errors are logged without their SQL, whose inlined
 * parameters could hold a password hash or a token digest.
 * @module
 */
import { type Logger, pino } from 'pino';

export type { Logger };

interface DatabaseErrorLike {
  name: string;
  code?: string;
  sqlState?: string;
  sqlMessage?: string;
  errmsg?: string;
  stack?: string;
}

/** Keeps what helps (type, codes, the server's own message) and drops the statement with its parameters. */
export function serializeError(err: unknown): unknown {
  if (err && typeof err === 'object' && 'sqlState' in err) {
    const e = err as DatabaseErrorLike;
    return {
      type: e.name,
      code: e.code,
      sqlState: e.sqlState,
      message: e.sqlMessage ?? e.errmsg ?? 'database error',
      stack: e.stack?.split('\n').slice(1).join('\n'),
    };
  }
  return pino.stdSerializers.err(err as Error);
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'goatflow-kernel' },
      serializers: { err: serializeError, error: serializeError },
      redact: {
        paths: [
          'req.headers.cookie',
          'req.headers.authorization',
          'req.headers["x-csrf-token"]',
          'res.headers["set-cookie"]',
          '*.password',
          '*.passwordHash',
          '*.token',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
