import { describe, expect, it } from 'vitest';
import { definePlugin, route, z } from '../define/define-plugin.js';
import { notFound, RouteError, reply, replyFile } from '../define/route-reply.js';
import { isHostError } from '../host/host-errors.js';
import { pluginHandlers } from './plugin-handlers.js';
import { type Host, HostCallError, type PluginContext } from './types.js';

const calls: { fn: string; args: unknown }[] = [];
const host: Host = {
  call: async <T>(fn: string, args?: unknown) => {
    calls.push({ fn, args });
    return (fn === 'config.get' ? { greeting: 'Hi' } : { rows: [], rowCount: 0 }) as T;
  },
  log: () => {},
};
const context = {
  pluginId: 'notes',
  handler: 'x',
  user: null,
  scopes: [],
  locale: 'en',
} as unknown as PluginContext;

const plugin = definePlugin({
  id: 'notes',
  version: '1.0.0',
  name: 'Notes',
  kernelApi: '^1.0.0',
  runtime: 'grpc',
  entry: { command: 'node', args: ['dist/main.js'] },
  settings: z.object({ greeting: z.string().default('Hello') }),
  routes: {
    getNote: route({
      method: 'GET',
      path: '/notes/:id',
      auth: 'agent',
      params: z.object({ id: z.coerce.number().int().positive() }),
      query: z.strictObject({ full: z.enum(['yes', 'no']).optional() }),
      response: z.object({ id: z.number(), greeting: z.string() }),
      handler: async ({ params }, ctx) => {
        if (params.id === 404) throw notFound(`note ${params.id} does not exist`);
        const settings = await ctx.settings();
        await ctx.host.db.query('select 1');
        return { id: params.id, greeting: settings.greeting, secret: 'leak' } as never;
      },
    }),
    addNote: route({
      method: 'POST',
      path: '/notes',
      auth: 'agent',
      body: z.strictObject({ text: z.string().min(1).max(10) }),
      handler: ({ body }) => reply(201, { text: body.text }),
    }),
    badAnswer: route({
      method: 'GET',
      path: '/bad',
      auth: 'agent',
      response: z.object({ n: z.number() }),
      handler: () => ({ n: 'one' }) as never,
    }),
    replyOk: route({
      method: 'GET',
      path: '/ok',
      auth: 'agent',
      response: z.object({ n: z.number() }),
      handler: () => reply(200, { n: 1, secret: 'leak' }),
    }),
    looksLikeReply: route({
      method: 'GET',
      path: '/raw',
      auth: 'agent',
      handler: () => ({ status: 500, body: 1 }),
    }),
    download: route({
      method: 'GET',
      path: '/download',
      auth: 'agent',
      // Describes JSON answers; a file must pass untouched.
      response: z.object({ n: z.number() }),
      handler: () =>
        replyFile({ contentType: 'text/csv', filename: 'Grüße.csv', data: 'a;b\n1;ü\n', inline: true }),
    }),
  },
  events: { onCreated: { event: 'note.created', handler: (event) => ({ got: event.payload }) } },
  jobs: { nightly: { schedule: '0 3 * * *', handler: (job) => ({ ran: job.id }) } },
});
const handlers = pluginHandlers(plugin);

describe('pluginHandlers', () => {
  it('parses the request, gives the handler typed host and settings, and strips unlisted response fields', async () => {
    const answer = await handlers.getNote!({ params: { id: '7' }, query: {}, body: null }, context, host);
    expect(answer).toEqual({ status: 200, body: { id: 7, greeting: 'Hi' } });
    expect(calls.map((c) => c.fn)).toEqual(['config.get', 'db.query']);
    expect(calls[1]!.args).toEqual({ sql: 'select 1', params: [] });
  });

  it('answers 400 naming every failing field, without running the handler', async () => {
    calls.length = 0;
    const answer = await handlers.getNote!(
      { params: { id: 'x' }, query: { full: 'maybe', extra: '1' } },
      context,
      host,
    );
    expect(answer).toMatchObject({ status: 400, body: { error: { code: 'validation_failed' } } });
    const details = (answer as { body: { error: { details: { path: string; code: string }[] } } }).body.error
      .details;
    expect(details.map((d) => [d.path, d.code]).sort()).toEqual([
      ['params.id', 'invalid_type'],
      ['query.extra', 'unknown_field'],
      ['query.full', 'invalid_option'],
    ]);
    expect(calls).toEqual([]);
    const missing = await handlers.addNote!({ params: {}, query: {}, body: null }, context, host);
    expect(missing).toMatchObject({
      status: 400,
      body: { error: { details: [{ path: 'body', code: 'required' }] } },
    });
    const long = await handlers.addNote!({ body: { text: 'x'.repeat(11) } }, context, host);
    expect(long).toMatchObject({
      status: 400,
      body: { error: { details: [{ path: 'body.text', code: 'too_long', params: { maximum: 10 } }] } },
    });
  });

  it('turns RouteError and reply() into status and body', async () => {
    expect(await handlers.getNote!({ params: { id: '404' }, query: {} }, context, host)).toEqual({
      status: 404,
      body: { error: { code: 'not_found', message: 'note 404 does not exist' } },
    });
    expect(await handlers.addNote!({ body: { text: 'hi' } }, context, host)).toEqual({
      status: 201,
      body: { text: 'hi' },
    });
  });

  it('fails the invocation when the answer breaks the response schema', async () => {
    await expect(handlers.badAnswer!({}, context, host)).rejects.toThrow(
      /route "badAnswer" answered what its response schema does not allow: response.n/,
    );
  });

  it('checks a reply(200, …) against the response schema too, so it cannot leak fields', async () => {
    expect(await handlers.replyOk!({}, context, host)).toEqual({ status: 200, body: { n: 1 } });
  });

  it('refuses a RouteError without an error status, and a host-error check never matches it', () => {
    expect(() => new RouteError(200, 'ok', 'fine')).toThrow(RangeError);
    expect(isHostError(notFound())).toBe(false);
    expect(isHostError(new HostCallError('not_found', 'no such user', 'identity.getUser'), 'not_found')).toBe(
      true,
    );
  });

  it('never mistakes a body shaped like {status, body} for a status', async () => {
    expect(await handlers.looksLikeReply!({}, context, host)).toEqual({
      status: 200,
      body: { status: 500, body: 1 },
    });
  });

  it('passes a file through as base64, past the response schema', async () => {
    const answer = await handlers.download!({}, context, host);
    expect(answer).toEqual({
      status: 200,
      file: {
        contentType: 'text/csv',
        filename: 'Grüße.csv',
        base64: Buffer.from('a;b\n1;ü\n', 'utf8').toString('base64'),
        inline: true,
      },
    });
  });

  it('unwraps events and jobs', async () => {
    expect(await handlers.onCreated!({ event: { payload: 3 } }, context, host)).toEqual({ got: 3 });
    expect(await handlers.nightly!({ job: { id: 'nightly' } }, context, host)).toEqual({ ran: 'nightly' });
  });

  it('refuses a definition with a contribution that has no handler', () => {
    const incomplete = definePlugin({
      id: 'incomplete',
      version: '1.0.0',
      name: 'Incomplete',
      kernelApi: '^1.0.0',
      runtime: 'grpc',
      entry: { command: 'node' },
      routes: { list: route({ method: 'GET', path: '/', auth: 'agent' }) },
      jobs: { tick: { schedule: '* * * * *' } },
    });
    expect(() => pluginHandlers(incomplete)).toThrow(
      'plugin "incomplete" has no handler for routes.list, jobs.tick: add a handler function to each, or remove it',
    );
  });
});
