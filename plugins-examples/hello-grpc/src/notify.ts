/**
 * The subscriber of `hello.greeted` (published by hello-wasm on every greeting): mails the greeted user through
 * `email.send` and posts the greeting to the webhook in the `notifyUrl` setting through `http.fetch`.
 *
 * Events are delivered at least once, to a handler acting for no user. A thrown error makes the kernel retry
 * the delivery later, so the mail (which must go out) is sent before anything that may fail, and remembered so
 * that a retry does not send it twice. What retrying cannot fix (an address the kernel refuses) is logged
 * instead, and so is a webhook that fails: the webhook is best effort here (see the webhook-notifier example for
 * deliveries that are recorded and retried).
 * @module
 */
import {
  type DeliveredEvent,
  type HandlerContext,
  type HostClient,
  type HostUser,
  isHostError,
  z,
} from '@goatflow/sdk';
import { readSettings } from './settings.js';
import { countNotified, markMailed, wasMailed } from './state.js';
import { displayName } from './users.js';

/** What hello-wasm publishes, checked before it is used: another plugin's payload is input like any other. */
export const greetedPayload = z.object({
  userId: z.number().int(),
  login: z.string(),
  count: z.number().int(),
  visitId: z.number().int(),
});

/** The payload of `hello.greeted`. */
export type GreetedPayload = z.output<typeof greetedPayload>;

const WEBHOOK_TIMEOUT_MS = 5000;

async function mail(host: HostClient, eventId: number, user: HostUser, count: number): Promise<void> {
  if (await wasMailed(host, eventId)) return;
  // The "users" email grant reaches active users' own addresses only.
  if (!user.active || !user.email) {
    await host.log('info', `not mailing ${user.login}: no active address`);
    return;
  }
  // Written in the greeted user's language, not the delivery's (which acts for no user).
  const locale = user.locale;
  try {
    await host.email.send({
      to: user.email,
      subject: await host.i18n.t('mail.subject', {}, locale),
      text: await host.i18n.t('mail.text', { name: displayName(user), count }, locale),
    });
  } catch (error) {
    // An address the kernel refuses (malformed, or outside the email grant) stays refused: retrying cannot help.
    // Anything else, such as send_failed from the SMTP server, is thrown for the kernel to retry the delivery.
    if (isHostError(error, 'invalid_argument') || isHostError(error, 'permission_denied')) {
      await host.log('warn', `not mailing ${user.login}: ${error.code}: ${error.message}`);
      return;
    }
    throw error;
  }
  await markMailed(host, eventId);
}

async function postWebhook(
  host: HostClient,
  url: string,
  event: DeliveredEvent,
  payload: GreetedPayload,
): Promise<void> {
  try {
    const answer = await host.http.fetch({
      url,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        event: event.name,
        eventId: event.id,
        login: payload.login,
        count: payload.count,
        at: event.createdAt,
      }),
      timeoutMs: WEBHOOK_TIMEOUT_MS,
      maxBytes: 4096,
    });
    if (answer.status >= 300) await host.log('warn', `webhook ${url} answered ${answer.status}`);
  } catch (error) {
    if (!isHostError(error)) throw error;
    // permission_denied here means the notifyUrl's host is not in the grant: the operator's to fix.
    await host.log('warn', `webhook ${url} failed: ${error.code}: ${error.message}`);
  }
}

/** The event handler (`onGreeted` in the manifest); throwing makes the kernel retry the delivery. */
export async function onGreeted(event: DeliveredEvent, ctx: HandlerContext): Promise<void> {
  const { host } = ctx;
  const parsed = greetedPayload.safeParse(event.payload);
  if (!parsed.success) {
    // A payload this version does not understand will not improve with retries: log it and let it go.
    await host.log(
      'warn',
      `ignoring ${event.name} ${event.id}: unexpected payload ${JSON.stringify(event.payload)}`,
    );
    return;
  }
  const payload = parsed.data;
  const user = await host.identity.getUser(payload.userId);
  await mail(host, event.id, user, payload.count);
  const { notifyUrl } = await readSettings(ctx);
  if (notifyUrl) await postWebhook(host, notifyUrl, event, payload);
  await countNotified(host);
  await host.log('info', `notified ${user.login} of greeting #${payload.count} (event ${event.id})`);
}
