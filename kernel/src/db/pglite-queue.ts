/**
 * A fix for pglite-socket 0.2.17's query queue. All socket connections share PGlite's one session; the queue
 * keeps a connection's messages together only while a transaction is open. Between a connection's Parse and its
 * Sync (the extended protocol every driver uses for parameterised queries) another connection's message could
 * run — and the Bind then executed *that* connection's statement: results went to the wrong client (measured:
 * 99 of 1200 queries answered with another client's rows, then a hang). Here one connection owns the session
 * from its first extended-protocol message until its Sync, as well as for a whole transaction; and a failed
 * message no longer leaves the queue stuck. Notifications are routed to their listeners (pglite-notifications.ts).
 * The queue is private to pglite-socket, so this reaches into it, checks what it expects, and refuses to start
 * if a future version changed it (the version is pinned exactly).
 * @module
 */
import type { PGlite } from '@electric-sql/pglite';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { NotificationRouter } from './pglite-notifications.js';

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  onData: (data: Uint8Array) => void;
  resolve: (bytes: number) => void;
  reject: (err: unknown) => void;
}

interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  processQueue: () => Promise<void>;
}

/** Message types that continue an extended-protocol exchange, and those that end one. */
const EXTENDED = new Set(['P', 'B', 'D', 'E', 'H', 'C', 'F']);
const ENDS = new Set(['S', 'Q', 'X']);

export function fixQueryQueue(server: PGLiteSocketServer, db: PGlite): void {
  const q = (server as unknown as { queryQueue?: QueryQueue }).queryQueue;
  if (!q || !Array.isArray(q.queue) || typeof q.processQueue !== 'function') {
    throw new Error('pglite-socket changed its query queue; keep @electric-sql/pglite-socket at 0.2.17');
  }
  const handlers = (server as unknown as { handlers?: Set<{ handlerId: number }> }).handlers;
  if (!(handlers instanceof Set)) {
    throw new Error('pglite-socket changed its connection set; keep @electric-sql/pglite-socket at 0.2.17');
  }
  const alive = (id: number) => [...handlers].some((h) => h.handlerId === id);
  const notifications = new NotificationRouter();
  let owner: number | null = null;
  q.processQueue = async function processQueue(this: QueryQueue): Promise<void> {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const sticky = owner ?? (db.isInTransaction() ? this.lastHandlerId : null);
        const index = sticky === null ? 0 : this.queue.findIndex((m) => m.handlerId === sticky);
        if (index === -1) break; // the owner has nothing queued yet: wait for it
        const item = this.queue.splice(index, 1)[0]!;
        const type = String.fromCharCode(item.message[0] ?? 0);
        let bytes = 0;
        notifications.noteOutgoing(item.handlerId, item.message, item.onData);
        const answer = notifications.answerFilter((data) => {
          bytes += data.length;
          item.onData(data);
        }, alive);
        try {
          await db.runExclusive(() => db.execProtocolRawStream(item.message, { onRawData: answer.take }));
          answer.end();
        } catch (err) {
          owner = null;
          item.reject(err);
          continue;
        }
        if (ENDS.has(type)) owner = null;
        else if (EXTENDED.has(type)) owner = item.handlerId;
        this.lastHandlerId = item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };
}
