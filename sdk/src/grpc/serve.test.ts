import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { hostClientConstructor, protoPath } from './proto.js';
import { PROTO_DESCRIPTOR } from './proto-descriptor.js';
import { describeProto } from './proto-descriptor-source.js';
import { SDK_VERSION, serve } from './serve.js';
import { HostCallError } from './types.js';

describe('serve', () => {
  it('refuses to run outside a kernel, naming the missing variables', () => {
    expect(() => serve({ handlers: {}, env: {} })).toThrow(/GOATFLOW_HOST_SOCKET.*GOATFLOW_PLUGIN_SECRET/);
  });
});

describe('the proto', () => {
  it('ships with the SDK and defines the Host service with its Connect stream', () => {
    expect(existsSync(protoPath())).toBe(true);
    const Host = hostClientConstructor();
    expect(Host.service.Connect).toMatchObject({ requestStream: true, responseStream: true });
  });
});

describe('the embedded protocol', () => {
  it('matches plugin.proto (regenerate with: npx tsx sdk/scripts/write-proto-descriptor.ts)', () => {
    expect(PROTO_DESCRIPTOR).toEqual(describeProto());
  });

  it('carries the version of package.json', () => {
    expect(SDK_VERSION).toBe(createRequire(import.meta.url)('../../package.json').version);
  });
});

describe('HostCallError', () => {
  it('carries the code and the function', () => {
    const error = new HostCallError('permission_denied', 'not granted', 'db.query');
    expect(error).toBeInstanceOf(Error);
    expect({ name: error.name, code: error.code, fn: error.fn, message: error.message }).toEqual({
      name: 'HostCallError',
      code: 'permission_denied',
      fn: 'db.query',
      message: 'not granted',
    });
  });
});
