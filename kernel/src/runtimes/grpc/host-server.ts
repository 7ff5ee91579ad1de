/**
 * The kernel's Host service on a unix socket. Plugin processes dial in and hold one stream each; this module
 * authenticates each stream by its hello (plugin id + the one-time secret of the current start) and hands the
 * authenticated connection to whoever registered the plugin. It knows nothing about invocations.
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KernelMessageOut, PluginMessageIn, WireHello } from '@goatflow/sdk/grpc';
import { Server, ServerCredentials, type ServerDuplexStream, status } from '@grpc/grpc-js';
import { hostServiceDefinition } from './proto.js';

const KERNEL_VERSION: string = createRequire(import.meta.url)('../../../package.json').version;

/** The longest unix socket path Linux accepts (`sun_path` is 108 bytes including the terminating NUL). */
const MAX_SOCKET_PATH_BYTES = 107;

/** Largest message either side may send: room for big handler outputs (exports) without being unbounded. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Options of {@link HostServer.start}. */
export interface HostServerOptions {
  /**
   * Directory in which a private (mode 0700) directory for the socket is created, e.g. the kernel's data
   * directory. Falls back to the OS temp directory when the resulting path would exceed the 107-byte limit.
   */
  socketDir?: string;
  /** How long a new stream may take to send its hello before it is closed. Default 10 s. */
  helloTimeoutMs?: number;
  /**
   * Interval of HTTP/2 pings to each plugin; a plugin whose event loop is stuck cannot answer, and its stream is
   * closed after `keepaliveTimeoutMs` more, which makes the supervisor restart it. Default 15 s / 10 s.
   */
  keepaliveMs?: number;
  keepaliveTimeoutMs?: number;
}

/** One authenticated plugin stream. */
export interface PluginConnection {
  /** What the plugin announced. */
  readonly hello: WireHello;
  /** Sends a message; does nothing once the connection is closed. */
  send(message: KernelMessageOut): void;
  /** Ends the stream from the kernel's side. `onClose` is called (once) if it was still open. */
  close(reason: string): void;
  /** Set by the owner: every message after the hello. */
  onMessage: (message: PluginMessageIn) => void;
  /** Set by the owner: called once when the stream is gone, with a reason for the logs. */
  onClose: (reason: string) => void;
}

/** Whoever runs a plugin: told when its process connects, or when a connection claiming to be it is refused. */
export interface PluginListener {
  onConnect(connection: PluginConnection): void;
  onRefused(reason: string): void;
}

/** The registration of one plugin with the server. */
export interface PluginRegistration {
  /**
   * Accepts exactly one future connection presenting `secret` (called before each start of the process). Any
   * stream still live for the plugin belongs to a previous process and is closed.
   */
  arm(secret: string): void;
  /** Forgets the plugin and closes its stream. */
  unregister(): void;
}

interface Registration {
  listener: PluginListener;
  /** SHA-256 of the expected secret; null once used (one-time) or before the first start. */
  secretDigest: Buffer | null;
  live: Connection | null;
}

type Call = ServerDuplexStream<PluginMessageIn, KernelMessageOut>;

const digest = (secret: string): Buffer => createHash('sha256').update(secret, 'utf8').digest();

/** Socket directories of servers not yet closed, removed when the kernel process exits without closing them. */
const openDirectories = new Set<string>();
let exitHookInstalled = false;

function rememberDirectory(directory: string): void {
  openDirectories.add(directory);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous; a kernel killed outright leaves its directory behind (harmless: the
  // socket in it is dead and the name is never reused).
  process.on('exit', () => {
    for (const dir of openDirectories) rmSync(dir, { recursive: true, force: true });
  });
}

/** The Host service. One per kernel process is enough; it serves any number of plugins. */
export class HostServer {
  private readonly registrations = new Map<string, Registration>();
  private readonly streams = new Set<Call>();
  private closed = false;

  private constructor(
    private readonly server: Server,
    /** Absolute path of the unix socket; passed to plugins as `GOATFLOW_HOST_SOCKET`. */
    readonly socketPath: string,
    private readonly socketDirectory: string,
    private readonly helloTimeoutMs: number,
  ) {}

  /** Creates the socket and starts serving. */
  static async start(options: HostServerOptions = {}): Promise<HostServer> {
    const directory = await socketDirectory(options.socketDir);
    const socketPath = join(directory, 'host.sock');
    const server = new Server({
      'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
      'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
      'grpc.keepalive_time_ms': options.keepaliveMs ?? 15_000,
      'grpc.keepalive_timeout_ms': options.keepaliveTimeoutMs ?? 10_000,
    });
    const host = new HostServer(server, socketPath, directory, options.helloTimeoutMs ?? 10_000);
    server.addService(hostServiceDefinition(), { Connect: (call: Call) => host.accept(call) });
    try {
      await new Promise<void>((resolve, reject) => {
        server.bindAsync(`unix:${socketPath}`, ServerCredentials.createInsecure(), (error) =>
          error ? reject(error) : resolve(),
        );
      });
    } catch (error) {
      await rm(directory, { recursive: true, force: true });
      throw error;
    }
    rememberDirectory(directory);
    return host;
  }

  /**
   * Registers a plugin. Its process is admitted only with the secret of the latest {@link PluginRegistration.arm}.
   * @throws Error when the plugin is already registered
   */
  register(pluginId: string, listener: PluginListener): PluginRegistration {
    if (this.closed) throw new Error('The Host server is closed.');
    if (this.registrations.has(pluginId)) throw new Error(`Plugin "${pluginId}" is already registered.`);
    const registration: Registration = { listener, secretDigest: null, live: null };
    this.registrations.set(pluginId, registration);
    return {
      arm: (secret) => {
        registration.secretDigest = digest(secret);
        registration.live?.close('a new process of the plugin is starting');
      },
      unregister: () => {
        if (this.registrations.get(pluginId) === registration) this.registrations.delete(pluginId);
        registration.secretDigest = null;
        registration.live?.close('the plugin was stopped');
      },
    };
  }

  /** Closes every stream and the socket. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const registration of this.registrations.values())
      registration.live?.close('the kernel is shutting down');
    this.registrations.clear();
    for (const call of this.streams) call.end();
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, 1000);
      this.server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
    await rm(this.socketDirectory, { recursive: true, force: true });
    openDirectories.delete(this.socketDirectory);
  }

  /** A new stream: wait for the hello, admit or refuse. */
  private accept(call: Call): void {
    this.streams.add(call);
    let connection: Connection | null = null;
    let refused = false;
    const refuse = (code: status, details: string) => {
      refused = true;
      clearTimeout(helloTimer);
      // Emitting 'error' on a server stream is how grpc-js ends it with a non-OK status.
      call.emit('error', { code, details });
    };
    const helloTimer = setTimeout(
      () => refuse(status.UNAUTHENTICATED, 'no hello received in time'),
      this.helloTimeoutMs,
    ).unref();

    call.on('data', (message: PluginMessageIn) => {
      if (connection) {
        connection.deliver(message);
        return;
      }
      if (refused) return; // ignore what is still in flight behind a refused hello
      clearTimeout(helloTimer);
      if (message.kind !== 'hello') {
        refuse(status.UNAUTHENTICATED, 'the first message must be a hello');
        return;
      }
      const { hello } = message;
      const candidate = this.registrations.get(hello.pluginId);
      // The peer learns only "authentication failed"; the plugin's owner learns the precise reason.
      if (!candidate) {
        refuse(status.UNAUTHENTICATED, 'authentication failed');
        return;
      }
      if (!candidate.secretDigest || !timingSafeEqual(candidate.secretDigest, digest(hello.secret))) {
        candidate.listener.onRefused(
          candidate.secretDigest
            ? `a connection for plugin "${hello.pluginId}" was refused: wrong secret`
            : `a connection for plugin "${hello.pluginId}" was refused: its secret was already used or none is expected`,
        );
        refuse(status.UNAUTHENTICATED, 'authentication failed');
        return;
      }
      if (candidate.live) {
        candidate.listener.onRefused(`a second stream for plugin "${hello.pluginId}" was refused`);
        refuse(status.ALREADY_EXISTS, 'this plugin already has a live stream');
        return;
      }
      candidate.secretDigest = null; // one-time
      connection = new Connection(call, hello, () => {
        if (candidate.live === connection) candidate.live = null;
      });
      candidate.live = connection;
      connection.send({ welcome: { kernelVersion: KERNEL_VERSION } });
      candidate.listener.onConnect(connection);
    });

    const gone = (reason: string) => {
      clearTimeout(helloTimer);
      this.streams.delete(call);
      connection?.gone(reason);
    };
    call.on('end', () => {
      // The plugin half-closed (it is leaving), or the connection went (e.g. unanswered keepalive pings).
      // Either way finish our side so the stream completes.
      gone('the stream from the plugin ended');
      call.end();
    });
    call.on('cancelled', () => gone('the connection to the plugin was lost'));
    call.on('error', (error: Error) => gone(`the stream failed: ${error.message}`));
    call.on('close', () => gone('the stream closed'));
  }
}

/** An admitted stream. */
class Connection implements PluginConnection {
  onMessage: (message: PluginMessageIn) => void = () => {};
  onClose: (reason: string) => void = () => {};
  private open = true;

  constructor(
    private readonly call: Call,
    readonly hello: WireHello,
    private readonly release: () => void,
  ) {}

  send(message: KernelMessageOut): void {
    if (!this.open) return;
    try {
      this.call.write(message);
    } catch {
      // A write racing the stream's end; the 'close' event reports the loss.
    }
  }

  close(reason: string): void {
    if (!this.open) return;
    this.call.end();
    this.gone(reason);
  }

  deliver(message: PluginMessageIn): void {
    if (this.open) this.onMessage(message);
  }

  gone(reason: string): void {
    if (!this.open) return;
    this.open = false;
    this.release();
    this.onClose(reason);
  }
}

/** A fresh private directory for the socket, within the 107-byte path limit. */
async function socketDirectory(preferred: string | undefined): Promise<string> {
  for (const base of [preferred, tmpdir(), '/tmp']) {
    if (!base) continue;
    // mkdtemp adds 6 characters; "/host.sock" 10 more.
    if (Buffer.byteLength(join(base, 'gf-XXXXXX', 'host.sock')) > MAX_SOCKET_PATH_BYTES) continue;
    // mkdtemp creates the directory with mode 0700: only the kernel's user can reach the socket.
    return mkdtemp(join(base, 'gf-'));
  }
  throw new Error('No directory short enough for a unix socket path (107 bytes) was found.');
}
