/**
 * `@goatflow/sdk/assembly` (sdk/assembly/, AssemblyScript) compiled with asc the way a plugin author compiles
 * it, then checked as WebAssembly: its imports, and its behaviour under a small stand-in for Extism's kernel
 * functions and the Host API (the real runtime runs the fixtures built on it in tests/integration).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';
import { beforeAll, describe, expect, it } from 'vitest';

const sdkDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// The WebAssembly API this test uses, typed here: the SDK compiles without the DOM library, which declares it.
interface WasmModule {
  readonly [Symbol.toStringTag]: string;
}
interface WasmApi {
  Module: {
    new (bytes: Uint8Array): WasmModule;
    imports(module: WasmModule): { module: string; name: string; kind: string }[];
    exports(module: WasmModule): { name: string; kind: string }[];
  };
  Instance: new (
    module: WasmModule,
    imports: Record<string, Record<string, unknown>>,
  ) => { exports: Record<string, unknown> };
  RuntimeError: new () => Error;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Compiles one in-memory entry file as a plugin would, resolving `@goatflow/sdk/assembly` through node_modules. */
async function compile(source: string): Promise<WasmModule> {
  const entry = 'probe-plugin.ts';
  let binary: Uint8Array | undefined;
  let log = '';
  const stream = {
    write(chunk: unknown) {
      log += String(chunk);
      return true;
    },
  };
  const result = await asc.main(
    [
      entry,
      '--baseDir',
      sdkDir,
      '--outFile',
      'probe-plugin.wasm',
      '--runtime',
      'incremental',
      '--maximumMemory',
      '64',
      '--use',
      'abort=~lib/@goatflow/sdk/assembly/abort/abort',
    ],
    {
      stdout: stream,
      stderr: stream,
      readFile: (name, baseDir) => {
        if (name === entry) return source;
        try {
          return fs.readFileSync(path.resolve(baseDir, name), 'utf8');
        } catch {
          return null;
        }
      },
      writeFile: (name, contents) => {
        if (name.endsWith('.wasm')) binary = contents as Uint8Array;
      },
      listFiles: () => [],
    },
  );
  if (result.error || !binary) throw new Error(`asc failed: ${result.error?.message}\n${log}`);
  return new wasm.Module(binary);
}

const HOST_API = [
  'db_query',
  'db_exec',
  'db_transaction',
  'cache_get',
  'cache_set',
  'cache_delete',
  'http_fetch',
  'email_send',
  'i18n_t',
  'log',
  'config_get',
  'events_publish',
  'identity_get_user',
  'plugins_call',
  'audit_record',
];

type Reply =
  | { ok: true; value: unknown }
  | { ok: false; error: { code: string; message: string; details?: unknown } }
  | 0;

/**
 * Extism's kernel functions over plain byte arrays, and the Host API answering from `answer`. Addresses carry
 * the block index in their upper 32 bits, the offset in the lower, so `offset + i` addresses byte i of a block.
 */
class FakeExtism {
  readonly calls: { fn: string; args: unknown }[] = [];
  private blocks: (Uint8Array | null)[] = [new Uint8Array(0)];
  private input = new Uint8Array(0);
  private output: Uint8Array | null = null;
  private error: string | null = null;
  private readonly instance: { exports: Record<string, unknown> };

  constructor(
    module: WasmModule,
    private readonly answer: (fn: string, args: unknown) => Reply,
  ) {
    const env = {
      input_length: () => BigInt(this.input.length),
      input_load_u8: (at: bigint) => this.input[Number(at)],
      input_load_u64: (at: bigint) => this.view(this.input).getBigUint64(Number(at), true),
      alloc: (size: bigint) => this.alloc(new Uint8Array(Number(size))),
      free: (address: bigint) => {
        this.blocks[this.index(address)] = null;
      },
      length: (address: bigint) => BigInt(this.block(address).length),
      load_u8: (address: bigint) => this.block(address)[this.offset(address)],
      load_u64: (address: bigint) => this.view(this.block(address)).getBigUint64(this.offset(address), true),
      store_u8: (address: bigint, value: number) => {
        this.block(address)[this.offset(address)] = value;
      },
      store_u64: (address: bigint, value: bigint) => {
        this.view(this.block(address)).setBigUint64(this.offset(address), value, true);
      },
      output_set: (address: bigint, size: bigint) => {
        this.output = this.block(address).slice(0, Number(size));
      },
      error_set: (address: bigint) => {
        this.error = new TextDecoder().decode(this.block(address));
      },
    };
    const user = Object.fromEntries(
      HOST_API.map((fn) => [
        fn,
        (address: bigint) => {
          const args = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(this.block(address)));
          this.calls.push({ fn, args });
          const reply = this.answer(fn, args);
          return reply === 0 ? 0n : this.alloc(new TextEncoder().encode(JSON.stringify(reply)));
        },
      ]),
    );
    this.instance = new wasm.Instance(module, { 'extism:host/env': env, 'extism:host/user': user });
  }

  /** Runs handler `name` on `input` (raw UTF-8 JSON). */
  call(name: string, input: string) {
    // Like Extism, every call starts with no blocks.
    this.blocks = [new Uint8Array(0)];
    this.input = new TextEncoder().encode(input);
    this.output = null;
    this.error = null;
    this.calls.length = 0;
    let rc: number | 'trapped';
    try {
      rc = (this.instance.exports[name] as () => number)();
    } catch (err) {
      if (!(err instanceof wasm.RuntimeError)) throw err;
      rc = 'trapped';
    }
    const bytes = this.output;
    const text = bytes && new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { rc, bytes, text, json: text === null ? undefined : JSON.parse(text), error: this.error };
  }

  /** Extism blocks still allocated (index 0 is reserved). */
  get liveBlocks(): number {
    return this.blocks.filter((b, i) => i > 0 && b !== null).length;
  }

  private alloc(bytes: Uint8Array): bigint {
    this.blocks.push(bytes);
    return BigInt(this.blocks.length - 1) << 32n;
  }
  private index(address: bigint): number {
    return Number(address >> 32n);
  }
  private offset(address: bigint): number {
    return Number(address & 0xffffffffn);
  }
  private block(address: bigint): Uint8Array {
    const block = this.blocks[this.index(address)];
    if (!block) throw new Error(`no block at ${address}`);
    return block;
  }
  private view(bytes: Uint8Array): DataView {
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
}

const invocation = (input: unknown, user: unknown = null) =>
  JSON.stringify({
    input,
    context: {
      pluginId: 'probe',
      handler: 'h',
      user,
      scopes: ['tickets:read'],
      locale: 'de',
      requestId: 'req-1',
    },
  });

describe('@goatflow/sdk/assembly imports', () => {
  it('imports only the Host API functions a plugin calls, and nothing from env', async () => {
    const module = await compile(`
      import { host, output, readInvocation } from '@goatflow/sdk/assembly';

      export function run(): i32 {
        const inv = readInvocation();
        const cached = host.cache.get('k');
        host.log('info', inv.context.requestId);
        output(cached.value);
        return 0;
      }
    `);
    const imports = wasm.Module.imports(module);
    expect(
      imports
        .filter((i) => i.module === 'extism:host/user')
        .map((i) => i.name)
        .sort(),
    ).toEqual(['cache_get', 'log']);
    expect(new Set(imports.map((i) => i.module))).toEqual(new Set(['extism:host/env', 'extism:host/user']));
    expect(imports.every((i) => i.kind === 'function')).toBe(true);
    expect(wasm.Module.exports(module).map((e) => e.name)).toEqual(['run', 'memory']);
  }, 20_000);
});

const BEHAVIOUR = `
  import {
    EmailMessage, HttpRequest, JsonValue, fail, failWith, host, inputBytes, jsonArray, jsonObject, output,
    outputBytes, outputText, parseJson, quote, readInvocation, toJson, Transaction,
  } from '@goatflow/sdk/assembly';

  export function context(): i32 {
    const inv = readInvocation();
    const c = inv.context;
    const user = c.user;
    const out = jsonObject()
      .set('input', inv.input)
      .set('pluginId', c.pluginId)
      .set('handler', c.handler)
      .set('scopes', c.scopes)
      .set('locale', c.locale)
      .set('requestId', c.requestId);
    if (user === null) out.set('user', JsonValue.null());
    else
      out.set(
        'user',
        jsonObject()
          .set('id', user.id)
          .set('login', user.login)
          .set('type', user.type)
          .set('isAdmin', user.isAdmin)
          .set('groups', user.groups),
      );
    output(out);
    return 0;
  }

  /** Input: an array of JSON texts. Output: each parsed and written again, or null where it is not JSON. */
  export function json(): i32 {
    const texts = readInvocation().input;
    const out = jsonArray();
    for (let i = 0; i < texts.length; i++) {
      const parsed = parseJson(texts.at(i).asString());
      out.push(parsed === null ? JsonValue.null() : JsonValue.string(parsed.stringify()));
    }
    output(out);
    return 0;
  }

  /** Input: an array of JSON texts of numbers. Output: [asI64 as text, asI32(-1), asF64] for each. */
  export function numbers(): i32 {
    const texts = readInvocation().input;
    const out = jsonArray();
    for (let i = 0; i < texts.length; i++) {
      const n = parseJson(texts.at(i).asString())!;
      out.push(jsonArray().push(n.asI64(-1).toString()).push(n.asI32(-1)).push(n.asF64()));
    }
    output(out);
    return 0;
  }

  /** Reads members and elements that are there, absent, or of another type. */
  export function read(): i32 {
    const doc = parseJson('{"a":{"b":[1,"two",true,null]},"a":{"b":[10]},"s":"x","n":7}')!;
    const wide = jsonObject();
    for (let i = 0; i < 20; i++) wide.set('k' + i.toString(), i);
    wide.set('k3', 'replaced');
    output(
      jsonArray()
        .push(doc.get('a').get('b').at(0).asI64())
        .push(doc.get('a').get('b').at(1).isNull())
        .push(doc.get('missing').get('deeper').at(3).asString('fallback'))
        .push(doc.get('s').asI64(42))
        .push(doc.get('n').asString('not a string'))
        .push(doc.has('n'))
        .push(doc.has('missing'))
        .push(doc.keys())
        .push(doc.length)
        .push(wide.get('k17').asI32())
        .push(wide.get('k3'))
        .push(wide.length)
        .push(parseJson('{"x":null}')!.has('x')),
    );
    return 0;
  }

  export function build(): i32 {
    const lone = String.fromCharCode(0xd800) + 'a' + String.fromCharCode(0xdc00);
    const nothing: string | null = null;
    const none: JsonValue | null = null;
    output(
      jsonObject()
        .set('i64max', i64.MAX_VALUE)
        .set('u64max', u64.MAX_VALUE)
        .set('negative', -1)
        .set('u8', <u8>255)
        .set('half', 1.5)
        .set('whole', 2.0)
        .set('minusZero', -0.0)
        .set('big', 1e21)
        .set('small', 1.5e-7)
        .set('nan', NaN)
        .set('infinity', Infinity)
        .set('yes', true)
        .set('tricky', 'quote " backslash \\\\ tab \\t newline \\n nul \\u0000 bell \\u0007 del \\u007f')
        .set('nothing', nothing)
        .set('none', none)
        .set('list', ['a', 'b'])
        .set('nested', [[1, 2], [3]])
        .set('lone', lone)
        .set('goat', 'Grüße ✓ 🐐')
        .set('quoted', quote('a"b'))
        .set('integer', JsonValue.integer(-9007199254740993))
        .set('number', JsonValue.number(0.1)),
    );
    return 0;
  }

  export function calls(): i32 {
    const params = jsonArray().push(7).push('x');
    const request = new HttpRequest('https://api.example.com/a', 'POST', '{"b":1}').header('X-A', 'b');
    request.timeoutMs = 2000;
    const mail = new EmailMessage(['a@example.com'], 'Hi', 'Text');
    mail.html = '<p>Hi</p>';
    const results = [
      host.db.query('select $1', params),
      host.db.exec('delete from t'),
      host.cache.get('k'),
      host.cache.set('k', 5, 60),
      host.cache.set('j', jsonObject().set('a', 'ü')),
      host.cache.delete('k'),
      host.http.fetch(request),
      host.http.fetch(new HttpRequest('https://api.example.com/')),
      host.email.send(mail),
      host.i18n.t('greeting.hello', jsonObject().set('name', 'Ann'), 'de'),
      host.i18n.t('plain'),
      host.log('warn', 'careful ✓'),
      host.config.get(),
      host.events.publish('x.happened', jsonObject().set('n', 1)),
      host.events.publish('x.bare'),
      host.identity.getUser(7),
      host.plugins.call('other', 'whoami', toJson([1])),
      host.audit.record('greeted', 'user', '7', jsonObject().set('count', 2)),
      host.audit.record('reset'),
      host.db.transaction(
        new Transaction()
          .statement('insert into t (a) values ($1) returning id', jsonArray().push(1), 'one')
          .statement('delete from u')
          .publish('t.created', jsonObject().set('n', 1))
          .publishRows('t.row', 0),
      ),
      host.db.transaction(new Transaction().statement('select 1')),
    ];
    const out = jsonArray();
    for (let i = 0; i < results.length; i++) {
      const r = results[i];
      out.push(jsonArray().push(r.toJson()).push(r.code).push(r.message));
    }
    output(out);
    return 0;
  }

  export function refused(): i32 {
    const result = host.cache.get('k');
    if (!result.ok) return failWith(result);
    return 0;
  }

  export function failing(): i32 {
    return fail('bad input ✗');
  }

  export function unicode(): i32 {
    outputText('"Grüße ✓ 🐐"');
    return 0;
  }

  export function echo(): i32 {
    outputBytes(inputBytes());
    return 0;
  }

  export function aborting(): i32 {
    abort('on purpose ✓');
    return 0;
  }

  export function asserting(): i32 {
    assert(readInvocation().input.isString(), 'wanted a string');
    return 0;
  }

  export function set_on_array(): i32 {
    jsonArray().set('a', 1);
    return 0;
  }
`;

describe('@goatflow/sdk/assembly at run time', () => {
  let module: WasmModule;
  let replies: Record<string, Reply>;
  let plugin: FakeExtism;

  beforeAll(async () => {
    module = await compile(BEHAVIOUR);
    replies = {};
    plugin = new FakeExtism(module, (fn) => replies[fn] ?? { ok: true, value: null });
  }, 20_000);

  it('reads the invocation: input and context, with and without a user', () => {
    const user = { id: '__ID__', login: 'anna', type: 'agent', isAdmin: true, groups: ['a', 'b'] };
    const input = { text: 'Grüße ✓ 🐐', n: [1, 2.5, null] };
    const withUser = plugin.call('context', invocation(input, user).replace('"__ID__"', '9007199254740993'));
    expect(withUser.rc).toBe(0);
    // The id is beyond 2^53: compare the text, where it must come back digit for digit.
    expect(withUser.text).toContain('"id":9007199254740993');
    expect(withUser.json).toMatchObject({
      input,
      pluginId: 'probe',
      handler: 'h',
      scopes: ['tickets:read'],
      locale: 'de',
      requestId: 'req-1',
      user: { login: 'anna', type: 'agent', isAdmin: true, groups: ['a', 'b'] },
    });
    expect(plugin.call('context', invocation(null)).json).toMatchObject({ input: null, user: null });
  });

  it('parses what JSON.parse parses, and writes it back to the same value', () => {
    const texts = [
      '{"a":1,"b":[true,false,null],"c":{"d":"e"}}',
      ' [ 1 , 2 ,\n\t3 ] ',
      '"escapes: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\u2713"',
      '"a pair written as escapes: \\ud83d\\udc10, and as it is: 🐐"',
      '"control: \\u0000\\u001f"',
      '[0, -0, 1.5, -2.25e-3, 1E5, 1e+2, 123456789012345678901234567890]',
      '{}',
      '[]',
      '""',
      '{"dup":1,"other":2,"dup":3}',
      `[${'['.repeat(100)}${']'.repeat(100)}]`,
    ];
    const result = plugin.call('json', invocation(texts));
    expect(result.rc).toBe(0);
    const written = result.json as string[];
    for (const [i, text] of texts.entries()) {
      expect(written[i], text).not.toBeNull();
      expect(JSON.parse(written[i]!), text).toEqual(JSON.parse(text));
    }
    // Compact, in order, numbers as they were written.
    expect(written[0]).toBe('{"a":1,"b":[true,false,null],"c":{"d":"e"}}');
    expect(written[5]).toBe('[0,-0,1.5,-2.25e-3,1E5,1e+2,123456789012345678901234567890]');
    expect(written[9]).toBe('{"dup":3,"other":2}');
    expect(written[3]).toBe('"a pair written as escapes: 🐐, and as it is: 🐐"');
    expect(written[4]).toBe('"control: \\u0000\\u001f"');
  });

  it('refuses what is not JSON', () => {
    const texts = [
      '',
      ' ',
      '01',
      '1.',
      '.5',
      '-',
      '1e',
      '+1',
      'NaN',
      'tru',
      'nul',
      '[1,]',
      '[1 2]',
      '{"a" 1}',
      '{"a":1,}',
      '{a:1}',
      "{'a':1}",
      '"unterminated',
      '"bad \\x escape"',
      '"short \\u12"',
      '"bad hex \\u12g4"',
      '"raw\ncontrol"',
      '[1] 2',
      '{"a":1}}',
      `${'['.repeat(600)}${']'.repeat(600)}`,
    ];
    const result = plugin.call('json', invocation(texts));
    expect(result.json).toEqual(texts.map(() => null));
    for (const text of texts.slice(0, -1)) expect(() => JSON.parse(text), text).toThrow();
  });

  it('reads numbers as integers exactly, cuts fractions, and falls back outside the range', () => {
    const texts = [
      '9007199254740993',
      '-9223372036854775808',
      '9223372036854775807',
      '9223372036854775808',
      '2147483648',
      '-2147483648',
      '2.9',
      '-2.9',
      '1e3',
      '1e300',
      '"7"',
    ];
    expect(plugin.call('numbers', invocation(texts)).json).toEqual([
      ['9007199254740993', -1, 9007199254740992],
      ['-9223372036854775808', -1, -(2 ** 63)],
      ['9223372036854775807', -1, 2 ** 63],
      ['-1', -1, 2 ** 63],
      ['2147483648', -1, 2147483648],
      ['-2147483648', -2147483648, -2147483648],
      ['2', 2, 2.9],
      ['-2', -2, -2.9],
      ['1000', 1000, 1000],
      ['-1', -1, 1e300],
      ['-1', -1, 0],
    ]);
    // f64s read as JavaScript reads them, to the last bit.
    const floats = ['0.1', '-2.5e-3', '1.7976931348623157e308', '5e-324', '2.2250738585072014e-308', '4.35'];
    const read = plugin.call('numbers', invocation(floats)).json as [string, number, number][];
    expect(read.map((r) => r[2])).toEqual(floats.map(Number));
  });

  it('reads members and elements, absent ones as null or the fallback', () => {
    expect(plugin.call('read', invocation(null)).json).toEqual([
      10,
      true,
      'fallback',
      42,
      'not a string',
      true,
      false,
      ['a', 's', 'n'],
      3,
      17,
      'replaced',
      20,
      true,
    ]);
  });

  it('builds JSON from AssemblyScript values, escaping what must be escaped', () => {
    const result = plugin.call('build', invocation(null));
    expect(result.rc).toBe(0);
    expect(result.text).toContain('"i64max":9223372036854775807,"u64max":18446744073709551615');
    expect(result.text).toContain('"lone":"\\ud800a\\udc00"');
    expect(result.text).toContain('"integer":-9007199254740993');
    expect(result.json).toMatchObject({
      negative: -1,
      u8: 255,
      half: 1.5,
      whole: 2,
      minusZero: 0,
      big: 1e21,
      small: 1.5e-7,
      nan: null,
      infinity: null,
      yes: true,
      tricky: 'quote " backslash \\ tab \t newline \n nul \u0000 bell \u0007 del \u007f',
      nothing: null,
      none: null,
      list: ['a', 'b'],
      nested: [[1, 2], [3]],
      lone: '\ud800a\udc00',
      goat: 'Grüße ✓ 🐐',
      quoted: '"a\\"b"',
      number: 0.1,
    });
  });

  it('calls each Host API function through its own import, with the documented arguments', () => {
    replies = {
      db_query: { ok: true, value: { rows: [{ x: 7 }], rowCount: 1 } },
      cache_get: { ok: false, error: { code: 'permission_denied', message: 'cache is not granted ✗' } },
      config_get: 0,
      db_transaction: {
        ok: false,
        error: {
          code: 'precondition_failed',
          message: 'statements[0] expected one row',
          details: { index: 0, expected: 'one', rowCount: 0 },
        },
      },
    };
    const result = plugin.call('calls', invocation(null));
    expect(result.rc).toBe(0);
    expect(plugin.calls).toEqual([
      { fn: 'db_query', args: { sql: 'select $1', params: [7, 'x'] } },
      { fn: 'db_exec', args: { sql: 'delete from t' } },
      { fn: 'cache_get', args: { key: 'k' } },
      { fn: 'cache_set', args: { key: 'k', value: 5, ttlSeconds: 60 } },
      { fn: 'cache_set', args: { key: 'j', value: { a: 'ü' } } },
      { fn: 'cache_delete', args: { key: 'k' } },
      {
        fn: 'http_fetch',
        args: {
          url: 'https://api.example.com/a',
          method: 'POST',
          headers: { 'X-A': 'b' },
          body: '{"b":1}',
          timeoutMs: 2000,
        },
      },
      { fn: 'http_fetch', args: { url: 'https://api.example.com/', method: 'GET' } },
      {
        fn: 'email_send',
        args: { to: ['a@example.com'], subject: 'Hi', text: 'Text', html: '<p>Hi</p>' },
      },
      { fn: 'i18n_t', args: { key: 'greeting.hello', params: { name: 'Ann' }, locale: 'de' } },
      { fn: 'i18n_t', args: { key: 'plain' } },
      { fn: 'log', args: { level: 'warn', message: 'careful ✓' } },
      { fn: 'config_get', args: {} },
      { fn: 'events_publish', args: { name: 'x.happened', payload: { n: 1 } } },
      { fn: 'events_publish', args: { name: 'x.bare', payload: null } },
      { fn: 'identity_get_user', args: { id: 7 } },
      { fn: 'plugins_call', args: { plugin: 'other', handler: 'whoami', input: [1] } },
      {
        fn: 'audit_record',
        args: { action: 'greeted', targetType: 'user', targetId: '7', details: { count: 2 } },
      },
      { fn: 'audit_record', args: { action: 'reset' } },
      {
        fn: 'db_transaction',
        args: {
          statements: [
            { sql: 'insert into t (a) values ($1) returning id', params: [1], expect: 'one' },
            { sql: 'delete from u' },
          ],
          events: [
            { name: 't.created', payload: { n: 1 } },
            { name: 't.row', rowsOf: 0 },
          ],
        },
      },
      { fn: 'db_transaction', args: { statements: [{ sql: 'select 1' }] } },
    ]);
    const answers = result.json as [unknown, string, string][];
    expect(answers[0]).toEqual([{ ok: true, value: { rows: [{ x: 7 }], rowCount: 1 } }, '', '']);
    expect(answers[2]).toEqual([
      { ok: false, error: { code: 'permission_denied', message: 'cache is not granted ✗' } },
      'permission_denied',
      'cache is not granted ✗',
    ]);
    expect(answers[12]).toEqual([
      { ok: false, error: { code: 'host_error', message: 'no reply from the kernel' } },
      'host_error',
      'no reply from the kernel',
    ]);
    // The details of a failed call come back with it.
    expect(answers[19]).toEqual([
      {
        ok: false,
        error: {
          code: 'precondition_failed',
          message: 'statements[0] expected one row',
          details: { index: 0, expected: 'one', rowCount: 0 },
        },
      },
      'precondition_failed',
      'statements[0] expected one row',
    ]);
    // The arguments and every reply were freed: only the output's block is left.
    expect(plugin.liveBlocks).toBe(1);
  });

  it('fails a call with a text, from a refused host call or on purpose, and keeps serving', () => {
    replies = { cache_get: { ok: false, error: { code: 'permission_denied', message: 'not granted' } } };
    expect(plugin.call('refused', invocation(null))).toMatchObject({
      rc: 1,
      error: 'permission_denied: cache.get: not granted',
      text: null,
    });
    expect(plugin.call('failing', invocation(null))).toMatchObject({ rc: 1, error: 'bad input ✗' });
    expect(plugin.call('echo', invocation('still here')).json).toEqual({
      input: 'still here',
      context: expect.objectContaining({ requestId: 'req-1' }),
    });
  });

  it('writes non-ASCII output as UTF-8, and passes input bytes through unchanged', () => {
    const result = plugin.call('unicode', invocation(null));
    expect(result.json).toBe('Grüße ✓ 🐐');
    expect(result.bytes).toEqual(new TextEncoder().encode('"Grüße ✓ 🐐"'));
    const doc = invocation({ text: 'ünïcödé 🐐', pad: 'x'.repeat(13) });
    expect(plugin.call('echo', doc).text).toBe(doc);
  });

  it('turns abort into the error text, then a trap', () => {
    // After a trap the kernel replaces the instance: so does this test.
    const fresh = () => new FakeExtism(module, () => ({ ok: true, value: null }));
    expect(fresh().call('aborting', invocation(null))).toMatchObject({
      rc: 'trapped',
      error: 'abort: on purpose ✓',
    });
    const failed = fresh().call('asserting', invocation(1));
    expect(failed.rc).toBe('trapped');
    expect(failed.error).toMatch(/^abort: wanted a string at probe-plugin\.ts:\d+:\d+$/);
    // Misusing the JSON builder is a mistake in the plugin: it aborts too.
    const misuse = fresh().call('set_on_array', invocation(null));
    expect(misuse).toMatchObject({
      rc: 'trapped',
      error: 'abort: JsonValue.set on a value that is not an object',
    });
  });
});
