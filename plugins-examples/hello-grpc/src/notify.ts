/**
 * The subscriber of `hello.greeted` (published by hello-wasm on every greeting): mails the greeted user through
 * `email.send` and posts the greeting to the webhook in the `notifyUrl` setting through `http.fetch`.
 *
 * Events are delivered at least once, to a handler acting for no user. A thrown error makes the kernel retry
 * the delivery later, so the mail (which must go out) is sent before anything that may fail, and remembered so
 * that a retry does not send it twice. What retrying cannot fix (an address the kernel refuses) is logged
 * instead, and so is a webhook that fails: the webhook is best effort.
 * @module
 */
import type { ApiUser } from '@goatflow/sdk';
import { type Handler, type Host, HostCallError } from '@goatflow/sdk/grpc';
import { t } from './i18n.js';
import { readSettings } from './settings.js';
import { countNotified, markMailed, wasMailed } from './state.js';
import { displayName, getUser } from './users.js';

/** What hello-wasm publishes. */
export interface GreetedPayload {
  userId: number;
  login: string;
  count: number;
  visitId: number;
}

/** What the kernel passes to an event handler. */
export interface EventInput<P> {
  event: { id: number; name: string; payload: P; publisher: string; createdAt: string };
}

/** `http.fetch`'s answer (the parts used here). */
interface FetchResult {
  status: number;
}

const WEBHOOK_TIMEOUT_MS = 5000;

async function mail(host: Host, eventId: number, user: ApiUser, count: number): Promise<void> {
  if (await wasMailed(host, eventId)) return;
  // The "users" email grant reaches active users' own addresses only.
  if (!user.active || !user.email) {
    host.log('info', `not mailing ${user.login}: no active address`);
    return;
  }
  // Written in the greeted user's language, not the delivery's (which acts for no user).
  const locale = user.locale;
  try {
    await host.call('email.send', {
      to: user.email,
      subject: await t(host, 'mail.subject', {}, locale),
      text: await t(host, 'mail.text', { name: displayName(user), count }, locale),
    });
  } catch (error) {
    // An address the kernel refuses (malformed, or outside the email grant) stays refused: retrying cannot help.
    // Anything else, such as send_failed from the SMTP server, is thrown for the kernel to retry the delivery.
    if (
      error instanceof HostCallError &&
      (error.code === 'invalid_argument' || error.code === 'permission_denied')
    ) {
      host.log('warn', `not mailing ${user.login}: ${error.code}: ${error.message}`);
      return;
    }
    throw error;
  }
  await markMailed(host, eventId);
}

async function postWebhook(
  host: Host,
  url: string,
  event: EventInput<GreetedPayload>['event'],
): Promise<void> {
  try {
    const answer = await host.call<FetchResult>('http.fetch', {
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        event: event.name,
        eventId: event.id,
        login: event.payload.login,
        count: event.payload.count,
        at: event.createdAt,
      }),
      timeoutMs: WEBHOOK_TIMEOUT_MS,
      maxBytes: 4096,
    });
    if (answer.status >= 300) host.log('warn', `webhook ${url} answered ${answer.status}`);
  } catch (error) {
    if (!(error instanceof HostCallError)) throw error;
    // permission_denied here means the notifyUrl's host is not in the grant: the operator's to fix.
    host.log('warn', `webhook ${url} failed: ${error.code}: ${error.message}`);
  }
}

/** The event handler (`onGreeted` in the manifest); throwing makes the kernel retry the delivery. */
export const onGreeted: Handler<EventInput<GreetedPayload>, null> = async ({ event }, _ctx, host) => {
  const user = await getUser(host, event.payload.userId);
  await mail(host, event.id, user, event.payload.count);
  const { notifyUrl } = await readSettings(host);
  if (notifyUrl) await postWebhook(host, notifyUrl, event);
  await countNotified(host);
  host.log('info', `notified ${user.login} of greeting #${event.payload.count} (event ${event.id})`);
  return null;
};
