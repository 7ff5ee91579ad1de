/**
 * One attempt at a delivery: the event POSTed as JSON to the target URL through `http.fetch` (permission
 * `http`: the kernel refuses hosts the operator has not granted), signed with HMAC-SHA256 when a secret is set,
 * and the outcome stored: delivered on a 2xx answer; otherwise retried with backoff until `maxAttempts`, then
 * failed.
 * @module
 */
import { createHmac } from 'node:crypto';
import { type HostClient, isHostError } from '@goatflow/sdk';
import { backoffSeconds } from './backoff.js';
import { type AttemptResult, type ClaimedDelivery, recordAttempt } from './deliveries.js';
import type { NotifierSettings } from './settings.js';

/** The header receivers check the signature in. */
export const SIGNATURE_HEADER = 'x-goatflow-signature';
/** How long the receiver has to answer. */
const REQUEST_TIMEOUT_MS = 10_000;
/** Enough of the receiver's answer to show why it refused; the rest is not read. */
const ANSWER_BYTES_KEPT = 1024;
const ERROR_CHARS_KEPT = 300;

/** The JSON body the receiver gets. */
export function deliveryBody(delivery: ClaimedDelivery): string {
  return JSON.stringify({
    id: delivery.eventId,
    event: delivery.event,
    publisher: delivery.publisher,
    createdAt: delivery.eventCreatedAt,
    payload: delivery.payload,
  });
}

/** `sha256=<hex>`: the HMAC-SHA256 of `body` with `secret`, as receivers recompute it to check the sender. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > ERROR_CHARS_KEPT ? `${oneLine.slice(0, ERROR_CHARS_KEPT)}…` : oneLine;
}

/** Sends the request; answers the status and error to record (never throws for what the receiver did). */
async function send(
  host: HostClient,
  delivery: ClaimedDelivery,
  settings: NotifierSettings,
): Promise<Pick<AttemptResult, 'statusCode' | 'error'> & { ok: boolean }> {
  const body = deliveryBody(delivery);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'GoatFlow-Webhook-Notifier/1.0',
    'x-goatflow-event': delivery.event,
    // Receivers deduplicate on it: a delivery may arrive twice (a lost answer, an admin's retry).
    'x-goatflow-delivery': String(delivery.eventId),
  };
  if (settings.secret) headers[SIGNATURE_HEADER] = signature(settings.secret, body);
  try {
    const answer = await host.http.fetch({
      url: settings.targetUrl,
      method: 'POST',
      headers,
      body,
      timeoutMs: REQUEST_TIMEOUT_MS,
      maxBytes: ANSWER_BYTES_KEPT,
    });
    if (answer.status >= 200 && answer.status < 300)
      return { ok: true, statusCode: answer.status, error: null };
    // Redirects are answers too: http.fetch does not follow them, and neither should a webhook sender.
    const detail = answer.status >= 300 && answer.status < 400 ? answer.headers.location : answer.body;
    return {
      ok: false,
      statusCode: answer.status,
      error: shorten(`HTTP ${answer.status}${detail ? `: ${detail}` : ''}`),
    };
  } catch (error) {
    // permission_denied: the target's host is not in the grant (the operator adds it, no restart needed);
    // timeout, network_error: the receiver is down. All of them are worth another try later.
    if (isHostError(error))
      return { ok: false, statusCode: null, error: shorten(`${error.code}: ${error.message}`) };
    throw error;
  }
}

/**
 * Makes one attempt at a claimed delivery and stores how it went; answers the delivery as it now stands.
 * @param delivery - claimed by the caller, so nobody else is sending it
 * @param settings - with a non-empty `targetUrl`
 */
export async function attemptDelivery(
  host: HostClient,
  delivery: ClaimedDelivery,
  settings: NotifierSettings,
): Promise<ClaimedDelivery> {
  const sent = await send(host, delivery, settings);
  const attempts = delivery.attempts + 1;
  let result: AttemptResult;
  if (sent.ok) {
    result = { status: 'delivered', statusCode: sent.statusCode, error: null };
  } else if (attempts >= settings.maxAttempts) {
    result = { status: 'failed', statusCode: sent.statusCode, error: sent.error };
  } else {
    result = {
      status: 'pending',
      statusCode: sent.statusCode,
      error: sent.error,
      retryInSeconds: backoffSeconds(attempts, settings.retryBaseSeconds),
    };
  }
  const stored = await recordAttempt(host, delivery.id, result);
  const what = `${delivery.event} ${delivery.eventId} (delivery ${delivery.id}, attempt ${attempts})`;
  if (result.status === 'delivered') await host.log('info', `delivered ${what}: HTTP ${sent.statusCode}`);
  else if (result.status === 'failed')
    await host.log('error', `gave up on ${what} after ${attempts} attempts: ${sent.error}`);
  else
    await host.log(
      'warn',
      `${what} failed: ${sent.error}; next attempt in ${Math.round(result.retryInSeconds ?? 0)} s or later`,
    );
  return stored;
}
