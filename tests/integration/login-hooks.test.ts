import { type Kernel, type LoginPipeline, TOKENS, UnauthenticatedError } from '@goatflow/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../support/database.js';
import { ApiClient } from '../support/http-client.js';
import { ADMIN_PASSWORD, adminClient, startTestKernel } from '../support/kernel.js';

let db: TestDatabase;
let kernel: Kernel;
let pipeline: LoginPipeline;

beforeAll(async () => {
  db = await freshDatabase();
  kernel = await startTestKernel({ databaseUrl: db.url });
  pipeline = kernel.container.resolve(TOKENS.LoginPipeline);
});

afterAll(async () => {
  await kernel?.stop();
  await db?.drop();
});

describe('login pipeline hook points', () => {
  it('a second factor attached through a plugin scope stops the login until detached with the scope', async () => {
    const scope = kernel.pluginScopes.create('two-factor-test');
    scope.onDispose(
      pipeline.addSecondFactor({
        id: 'totp',
        afterPassword: async (user) =>
          user.login === 'admin' ? { factor: 'totp', data: { challengeId: 'abc' } } : null,
      }),
    );
    const client = new ApiClient(kernel.url);
    const res = await client.login('admin', ADMIN_PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'second_factor_required',
      factor: 'totp',
      data: { challengeId: 'abc' },
    });
    expect(client.cookie).toBeUndefined();
    expect((await client.get('/api/auth/me')).status).toBe(401);

    await kernel.pluginScopes.dispose('two-factor-test');
    const after = await client.login('admin', ADMIN_PASSWORD);
    expect(after.body.status).toBe('authenticated');
    expect(client.cookie).toBeDefined();
  });

  it('an authenticator accepts bearer credentials, which need no CSRF token, and refuses bad ones with 401', async () => {
    const admin = await adminClient(kernel);
    const me = await admin.get('/api/auth/me');
    const detach = pipeline.addAuthenticator({
      id: 'test-tokens',
      authenticate: async (header) => {
        if (!header.startsWith('Bearer ')) return null;
        if (header !== 'Bearer good-token')
          throw new UnauthenticatedError('The token is unknown or revoked.');
        return {
          id: me.body.user.id,
          login: 'admin',
          type: 'agent',
          isAdmin: true,
          authMethod: 'token',
          scopes: ['admin'],
          sessionId: undefined,
        };
      },
    });
    try {
      const anon = new ApiClient(kernel.url);
      const ok = await anon.get('/api/auth/me', { authorization: 'Bearer good-token' });
      expect(ok.status).toBe(200);
      expect(ok.body.user.login).toBe('admin');
      expect(ok.body.csrfToken).toBeNull();
      const write = await anon.post(
        '/api/admin/groups',
        { name: 'token-made' },
        { authorization: 'Bearer good-token' },
      );
      expect(write.status).toBe(201);
      const bad = await anon.get('/api/auth/me', { authorization: 'Bearer stolen' });
      expect(bad.status).toBe(401);
      expect(bad.body.error.code).toBe('unauthenticated');
      const unknownScheme = await anon.get('/api/auth/me', { authorization: 'Basic Zm9vOmJhcg==' });
      expect(unknownScheme.status).toBe(401);
    } finally {
      detach();
    }
    const afterDetach = await new ApiClient(kernel.url).get('/api/auth/me', {
      authorization: 'Bearer good-token',
    });
    expect(afterDetach.status).toBe(401);
  });
});
