import { describe, expect, it } from 'vitest';
import type { UserView } from './directory.js';
import { LoginPipeline } from './login-pipeline.js';

const user = { id: 7, login: 'alice' } as UserView;
const ctx = { ip: '127.0.0.1', userAgent: undefined, requestId: 'r1' };

describe('LoginPipeline', () => {
  it('is password-only and cookie-only when nothing is attached', async () => {
    const pipeline = new LoginPipeline();
    expect(await pipeline.secondFactor(user, ctx)).toBeNull();
    expect(await pipeline.authenticate('Bearer x', ctx)).toBeNull();
  });

  it('returns the first challenge and stops asking after a factor is detached', async () => {
    const pipeline = new LoginPipeline();
    const seen: number[] = [];
    const detach = pipeline.addSecondFactor({
      id: 'totp',
      afterPassword: async (u) => {
        seen.push(u.id);
        return { factor: 'totp', data: { challengeId: 'c1' } };
      },
    });
    expect(await pipeline.secondFactor(user, ctx)).toEqual({ factor: 'totp', data: { challengeId: 'c1' } });
    expect(seen).toEqual([7]);
    detach();
    expect(await pipeline.secondFactor(user, ctx)).toBeNull();
  });

  it('asks authenticators in order and refuses duplicate ids', async () => {
    const pipeline = new LoginPipeline();
    pipeline.addAuthenticator({ id: 'other', authenticate: async () => null });
    pipeline.addAuthenticator({
      id: 'tokens',
      authenticate: async (header) =>
        header === 'Bearer good'
          ? {
              id: 7,
              login: 'alice',
              type: 'agent',
              isAdmin: false,
              authMethod: 'token',
              scopes: ['tickets:read'],
              sessionId: undefined,
            }
          : null,
    });
    expect((await pipeline.authenticate('Bearer good', ctx))?.scopes).toEqual(['tickets:read']);
    expect(await pipeline.authenticate('Bearer bad', ctx)).toBeNull();
    expect(() => pipeline.addAuthenticator({ id: 'tokens', authenticate: async () => null })).toThrow(
      /already attached/,
    );
  });
});
