import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { describe, expect, it } from 'vitest';
import { createLogger, serializeError } from './logger.js';

describe('logger', () => {
  it('logs database errors without the statement and its parameters', () => {
    const driverError = Object.assign(
      new Error(
        "insert into kernel.users (password_hash) values ('$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA') - duplicate key value violates unique constraint",
      ),
      { code: '23505', detail: 'x' },
    );
    const err = new UniqueConstraintViolationException(driverError);
    Object.assign(err, { sqlState: '23505', sqlMessage: 'duplicate key value violates unique constraint' });
    const out = JSON.stringify(serializeError(err));
    expect(out).not.toContain('argon2id');
    expect(out).toContain('duplicate key value');
  });

  it('redacts passwords and cookies', () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (l: string) => lines.push(l) });
    logger.info(
      { body: { password: 'hunter2-secret' }, req: { headers: { cookie: 'gf_session=abc' } } },
      'x',
    );
    expect(lines.join('')).not.toContain('hunter2-secret');
    expect(lines.join('')).not.toContain('gf_session=abc');
  });
});
