/**
 * `GET /api/plugins/hello-grpc/greeting`: greets the signed-in user by name in their language, with hello-wasm's
 * greeting count (through plugins.call) and what this plugin's subscriber and job have done.
 * @module
 */
import type { Handler } from '@goatflow/sdk/grpc';
import { helloWasmCount } from './hello-wasm.js';
import { t } from './i18n.js';
import { type Heartbeat, lastHeartbeat, notifiedCount } from './state.js';
import { displayName, getUser } from './users.js';

/** What the route answers. */
export interface GreetingAnswer {
  greeting: string;
  helloWasm: { count: number | null; text: string };
  /** Greetings the subscriber has mailed and posted since the plugin was enabled. */
  notified: number;
  heartbeat: Heartbeat | null;
}

/** The route's handler (`greeting` in the manifest). */
export const greeting: Handler<unknown, GreetingAnswer> = async (_input, ctx, host) => {
  // The route's auth level is "user": the kernel calls this for signed-in users only, plugins.call included.
  if (!ctx.user) throw new Error('greeting needs a signed-in user');
  const [user, count, notified, heartbeat] = await Promise.all([
    getUser(host, ctx.user.id),
    helloWasmCount(host),
    notifiedCount(host),
    lastHeartbeat(host),
  ]);
  return {
    greeting: await t(host, 'greeting.hello', { name: displayName(user) }),
    helloWasm: {
      count,
      text:
        count === null
          ? await t(host, 'greeting.wasmUnavailable')
          : await t(host, 'greeting.wasmCount', { count }),
    },
    notified,
    heartbeat,
  };
};
