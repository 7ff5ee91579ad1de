/**
 * `GET /api/plugins/hello-grpc/greeting`: greets the signed-in user by name in their language, with hello-wasm's
 * greeting count (through plugins.call) and what this plugin's subscriber and job have done.
 * @module
 */
import { type HandlerContext, type RouteRequest, z } from '@goatflow/sdk';
import { helloWasmCount } from './hello-wasm.js';
import { lastHeartbeat, notifiedCount } from './state.js';
import { displayName } from './users.js';

/** What the route answers; `serve()` checks the handler's answer against it before it is sent. */
export const greetingAnswer = z.strictObject({
  greeting: z.string(),
  helloWasm: z.strictObject({ count: z.number().int().nullable(), text: z.string() }),
  /** Greetings the subscriber has mailed and posted since the plugin was enabled. */
  notified: z.number().int(),
  heartbeat: z
    .strictObject({ at: z.string(), notified: z.number().int(), helloWasmCount: z.number().int().nullable() })
    .nullable(),
});

/** The route's handler (`greeting` in the manifest). */
export async function greeting(
  _request: RouteRequest,
  { host, user }: HandlerContext,
): Promise<z.input<typeof greetingAnswer>> {
  // The route's auth level is "user": the kernel calls this for signed-in users only, plugins.call included.
  if (!user) throw new Error('greeting needs a signed-in user');
  const [found, count, notified, heartbeat] = await Promise.all([
    host.identity.getUser(user.id),
    helloWasmCount(host),
    notifiedCount(host),
    lastHeartbeat(host),
  ]);
  // No locale given: i18n.t answers in the invocation's locale, the signed-in user's language.
  return {
    greeting: await host.i18n.t('greeting.hello', { name: displayName(found) }),
    helloWasm: {
      count,
      text:
        count === null
          ? await host.i18n.t('greeting.wasmUnavailable')
          : await host.i18n.t('greeting.wasmCount', { count }),
    },
    notified,
    heartbeat,
  };
}
