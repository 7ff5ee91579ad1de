/**
 * The owners a queue offers, for the elements that follow a chosen queue (the list's filters, a ticket's fields):
 * one request at a time, so the answer for a queue chosen before cannot overwrite the one chosen last.
 * @module
 */
import { isAbortError } from '@goatflow/sdk/widget';
import { ticketsApi, V1 } from './api.js';
import type { QueueOwner } from './types.js';

export class QueueOwnersRequest {
  private controller: AbortController | undefined;

  /**
   * Asks for the owners of `queue`, aborting the request before. Resolves to them, to `[]` when the call failed
   * (without the list, "me" and "nobody" still work, so a failure is not worth a message), or to `undefined` when
   * a later request or {@link QueueOwnersRequest.abort} took its place.
   * @param queue - the queue's id
   */
  async load(queue: number): Promise<QueueOwner[] | undefined> {
    this.abort();
    const controller = new AbortController();
    this.controller = controller;
    try {
      const answer = await ticketsApi.get<{ items: QueueOwner[] }>(`${V1}/queues/${queue}/owners`, {
        signal: controller.signal,
      });
      return controller === this.controller ? answer.items : undefined;
    } catch (error) {
      return !isAbortError(error) && controller === this.controller ? [] : undefined;
    }
  }

  /** Aborts the request under way, if any (when the queue is cleared or the element leaves the page). */
  abort(): void {
    this.controller?.abort();
    this.controller = undefined;
  }
}
