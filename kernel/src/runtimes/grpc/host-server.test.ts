import { stat } from 'node:fs/promises';
import type { KernelMessageIn, PluginMessageOut } from '@goatflow/sdk/grpc';
import { PROTO_LOADER_OPTIONS } from '@goatflow/sdk/grpc';
import {
  type ClientDuplexStream,
  credentials,
  loadPackageDefinition,
  type ServiceClientConstructor,
  type ServiceError,
  status,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HostServer, type PluginConnection } from './host-server.js';
import { protoPath } from './proto.js';

type Stream = ClientDuplexStream<PluginMessageOut, KernelMessageIn>;

const Host = (
  loadPackageDefinition(loadSync(protoPath(), PROTO_LOADER_OPTIONS)) as unknown as {
    goatflow: { plugin: { v1: { Host: ServiceClientConstructor } } };
  }
).goatflow.plugin.v1.Host;

/** Dials the server like a plugin would and collects what comes back. */
function dial(server: HostServer) {
  const client = new Host(`unix:${server.socketPath}`, credentials.createInsecure(), {
    'grpc.use_local_subchannel_pool': 1,
  });
  const stream = (client as unknown as { Connect(): Stream }).Connect();
  const received: KernelMessageIn[] = [];
  stream.on('data', (m: KernelMessageIn) => received.push(m));
  const ended = new Promise<ServiceError | null>((resolve) => {
    stream.on('error', (e: ServiceError) => resolve(e));
    stream.on('end', () => resolve(null));
  });
  return { client, stream, received, ended };
}

const hello = (pluginId: string, secret: string): PluginMessageOut => ({
  hello: { pluginId, secret, sdkVersion: 'test', handlers: ['a'] },
});

describe('HostServer', () => {
  let server: HostServer;
  let connections: PluginConnection[];
  let refusals: string[];

  beforeEach(async () => {
    server = await HostServer.start({ helloTimeoutMs: 500 });
    connections = [];
    refusals = [];
    const registration = server.register('p', {
      onConnect: (c) => connections.push(c),
      onRefused: (r) => refusals.push(r),
    });
    registration.arm('the-secret');
  });
  afterEach(async () => {
    await server.close();
  });

  it('serves on a socket in a private directory, within the unix path limit', async () => {
    expect(Buffer.byteLength(server.socketPath)).toBeLessThanOrEqual(107);
    const dir = await stat(server.socketPath.replace(/\/host\.sock$/, ''));
    expect(dir.mode & 0o777).toBe(0o700);
  });

  it('admits a stream with the right secret, once, and welcomes it', async () => {
    const first = dial(server);
    first.stream.write(hello('p', 'the-secret'));
    await expect.poll(() => connections.length).toBe(1);
    await expect.poll(() => first.received[0]?.kind).toBe('welcome');
    expect(connections[0]!.hello).toMatchObject({ pluginId: 'p', handlers: ['a'] });

    // The same secret again is refused: it was one-time.
    const second = dial(server);
    second.stream.write(hello('p', 'the-secret'));
    expect((await second.ended)?.code).toBe(status.UNAUTHENTICATED);
    expect(refusals).toEqual([expect.stringContaining('already used')]);
    first.client.close();
    second.client.close();
  });

  it('refuses a wrong secret, an unknown plugin and a stream that does not start with a hello', async () => {
    const wrong = dial(server);
    wrong.stream.write(hello('p', 'the-secreT'));
    const unknown = dial(server);
    unknown.stream.write(hello('q', 'the-secret'));
    const noHello = dial(server);
    noHello.stream.write({ log: { level: 'info', message: 'hi' } });
    const silent = dial(server);
    for (const c of [wrong, unknown, noHello, silent]) {
      const error = await c.ended;
      expect(error?.code).toBe(status.UNAUTHENTICATED);
      expect(c.received).toEqual([]);
      c.client.close();
    }
    expect(refusals).toEqual([expect.stringContaining('wrong secret')]);
    expect(connections).toEqual([]);
  });

  it('closes the live stream of a previous process when the plugin is armed again', async () => {
    const registration = server.register('r', { onConnect: (c) => connections.push(c), onRefused: () => {} });
    registration.arm('one');
    const old = dial(server);
    old.stream.write(hello('r', 'one'));
    await expect.poll(() => connections.length).toBe(1);
    const closed: string[] = [];
    connections[0]!.onClose = (reason) => closed.push(reason);
    registration.arm('two');
    expect(closed).toEqual(['a new process of the plugin is starting']);
    expect(await old.ended).toBeNull();
    const fresh = dial(server);
    fresh.stream.write(hello('r', 'two'));
    await expect.poll(() => connections.length).toBe(2);
    old.client.close();
    fresh.client.close();
  });
});
