/**
 * LISTEN/NOTIFY over the embedded database. Every pglite-socket connection shares PGlite's one session, so
 * PostgreSQL hands a notification to whichever connection's statement committed it — the notifier — instead of
 * the connections that listen. This router takes NotificationResponse ('A') messages out of each answer and
 * writes them to every connection that ran `LISTEN` on that channel, so kernels sharing the embedded database
 * hear each other as they would on a PostgreSQL server.
 * @module
 */

interface Listener {
  channels: Set<string>;
  send: (data: Uint8Array) => void;
}

const LISTEN = /^\s*(listen|unlisten)\s+("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*|\*)\s*;?\s*$/i;

/** The channel name PostgreSQL would use: unquoted identifiers fold to lower case. */
function channelName(token: string): string {
  return token.startsWith('"') ? token.slice(1, -1).replaceAll('""', '"') : token.toLowerCase();
}

function cString(bytes: Uint8Array, start: number): [string, number] {
  const end = bytes.indexOf(0, start);
  const stop = end === -1 ? bytes.length : end;
  return [Buffer.from(bytes.subarray(start, stop)).toString('utf8'), stop + 1];
}

export class NotificationRouter {
  private readonly listeners = new Map<number, Listener>();

  /**
   * Looks at a message a connection sends: a simple-query `LISTEN`/`UNLISTEN` changes what it receives, a
   * Terminate forgets it.
   */
  noteOutgoing(handlerId: number, message: Uint8Array, send: (data: Uint8Array) => void): void {
    const type = message[0];
    if (type === 0x58 /* X */) {
      this.listeners.delete(handlerId);
      return;
    }
    if (type !== 0x51 /* Q */) return;
    const [sql] = cString(message, 5);
    const m = LISTEN.exec(sql);
    if (!m) return;
    let listener = this.listeners.get(handlerId);
    if (!listener) {
      listener = { channels: new Set(), send };
      this.listeners.set(handlerId, listener);
    }
    if (m[1]!.toLowerCase() === 'listen') listener.channels.add(channelName(m[2]!));
    else if (m[2] === '*') listener.channels.clear();
    else listener.channels.delete(channelName(m[2]!));
  }

  /**
   * Splits one statement's answer into its messages: notifications go to their listeners, everything else to
   * `forward`. Messages may straddle chunks: `take` each chunk, then `end()`.
   * @param alive - tells whether a connection is still open, to forget those that vanished without Terminate
   */
  answerFilter(forward: (data: Uint8Array) => void, alive: (handlerId: number) => boolean) {
    let pending: Uint8Array = new Uint8Array(0);
    const take = (chunk: Uint8Array) => {
      const bytes = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let at = 0;
      let runStart = 0;
      while (bytes.length - at >= 5) {
        const length = 1 + new DataView(bytes.buffer, bytes.byteOffset + at + 1, 4).getInt32(0);
        if (bytes.length - at < length) break;
        if (bytes[at] === 0x41 /* A */) {
          if (at > runStart) forward(bytes.subarray(runStart, at));
          this.route(bytes.subarray(at, at + length), alive);
          runStart = at + length;
        }
        at += length;
      }
      if (at > runStart) forward(bytes.subarray(runStart, at));
      pending = bytes.slice(at);
    };
    return {
      take,
      end: () => {
        if (pending.length) forward(pending);
        pending = new Uint8Array(0);
      },
    };
  }

  private route(message: Uint8Array, alive: (handlerId: number) => boolean): void {
    const [channel] = cString(message, 9);
    for (const [id, listener] of this.listeners) {
      if (!alive(id)) this.listeners.delete(id);
      else if (listener.channels.has(channel)) listener.send(message.slice());
    }
  }
}
