/**
 * Turns a {@link DefinedPlugin} into the named handlers the gRPC runtime invokes: each route's parameters, query
 * and body are checked against its schemas first (a 400 naming every failing field, the handler never runs),
 * the answer against the response schema, and `RouteError`/`reply()` become the `{status, body}` the kernel
 * sends, `replyFile()` the `{status, file}` it sends as bytes. Events, jobs, hooks and MCP tools receive their
 * unwrapped input.
 * @module
 */
import type { ApiFieldIssue } from '../api-error.js';
import type { DefinedPlugin, HandlerContext, RouteDefinition } from '../define/define-plugin.js';
import { type FileReply, invalidInput, isFileReply, isReply, RouteError } from '../define/route-reply.js';
import { createHostClient } from '../host/host-client.js';
import { checkInput } from '../validation/field-issues.js';
import type { Handler, Host, PluginContext } from './types.js';

/** The route input the kernel sends. */
interface RouteInput {
  method?: string;
  path?: string;
  params?: unknown;
  query?: unknown;
  body?: unknown;
}

/** A status and body, in the form the kernel's plugin routes answer with. */
interface Answer {
  status: number;
  body: unknown;
}

/** A file, in the form the kernel's plugin routes send as bytes. */
interface FileAnswer {
  status: number;
  file: { contentType: string; filename: string; base64: string; inline: boolean };
}

function fileAnswer(reply: FileReply): FileAnswer {
  const { contentType, filename, data, inline } = reply;
  const base64 = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
  return { status: reply.status, file: { contentType, filename, base64, inline } };
}

function handlerContext(context: PluginContext, host: Host): HandlerContext {
  const client = createHostClient((fn, args) => host.call(fn, args));
  return Object.assign(Object.create(context) as PluginContext, {
    host: client,
    settings: () => client.config.get(),
  }) as HandlerContext;
}

function routeHandler(name: string, route: RouteDefinition): Handler {
  const handle = route.handler;
  if (!handle) throw new Error(`route "${name}" has no handler`);
  return async (raw, context, host): Promise<Answer | FileAnswer> => {
    const input = (raw ?? {}) as RouteInput;
    const issues: ApiFieldIssue[] = [];
    const part = (schema: RouteDefinition['params'], value: unknown, prefix: string) => {
      if (!schema) return value;
      const checked = checkInput(schema, value ?? (prefix === 'body' ? undefined : {}), prefix);
      if (checked.ok) return checked.value;
      issues.push(...checked.issues);
      return undefined;
    };
    const request = {
      method: input.method ?? route.method,
      path: input.path ?? route.path,
      params: part(route.params, input.params, 'params'),
      query: part(route.query, input.query, 'query'),
      body: part(route.body, input.body, 'body'),
    };
    if (issues.length) {
      return { status: 400, body: invalidInput(issues).toBody() };
    }
    let output: unknown;
    try {
      output = await handle(request, handlerContext(context, host));
    } catch (error) {
      if (error instanceof RouteError) return { status: error.status, body: error.toBody() };
      throw error;
    }
    // A file is bytes, not JSON: the response schema describes JSON answers only.
    if (isFileReply(output)) return fileAnswer(output);
    if (isReply(output)) {
      // The response schema describes the 200 answer; other statuses carry what the handler chose.
      if (output.status !== 200 || !route.response)
        return { status: output.status, body: output.body ?? null };
      output = output.body;
    }
    if (route.response) {
      const checked = checkInput(route.response, output, 'response');
      if (!checked.ok) {
        // A bug in the plugin, not in the request: fail the invocation (502) and say which fields were wrong.
        throw new Error(
          `route "${name}" answered what its response schema does not allow: ${checked.issues
            .map((i) => `${i.path} ${i.message}`)
            .join('; ')}`,
        );
      }
      output = checked.value;
    }
    // Always wrapped: a body that happens to look like {status, body} must not be taken for one.
    return { status: 200, body: output ?? null };
  };
}

/** Lists the parts of a gRPC definition that have no handler; `serve()` refuses to start with any. */
export function missingHandlers(plugin: DefinedPlugin): string[] {
  const groups = {
    routes: plugin.routes,
    events: plugin.events,
    jobs: plugin.jobs,
    hooks: plugin.hooks,
    mcpTools: plugin.mcpTools,
  } as Record<string, Record<string, { handler?: unknown }> | undefined>;
  return Object.entries(groups).flatMap(([group, record]) =>
    Object.entries(record ?? {})
      .filter(([, d]) => typeof d.handler !== 'function')
      .map(([key]) => `${group}.${key}`),
  );
}

/**
 * The handlers of a gRPC plugin definition, by the names its manifest uses.
 * @param plugin - made by `definePlugin` with `runtime: 'grpc'`
 * @throws Error when a route, event, job, hook or MCP tool has no handler
 */
export function pluginHandlers(plugin: DefinedPlugin): Record<string, Handler> {
  if (plugin.runtime !== 'grpc') {
    throw new Error(`plugin "${plugin.id}" is a ${plugin.runtime} plugin; serve() runs gRPC plugins only`);
  }
  const missing = missingHandlers(plugin);
  if (missing.length) {
    throw new Error(
      `plugin "${plugin.id}" has no handler for ${missing.join(', ')}: add a handler function to each, or remove it`,
    );
  }
  const handlers: Record<string, Handler> = {};
  for (const [name, route] of Object.entries(plugin.routes ?? {})) handlers[name] = routeHandler(name, route);
  const wrap =
    (fn: (input: never, ctx: HandlerContext) => unknown, unwrap: (input: unknown) => unknown): Handler =>
    (input, context, host) =>
      fn(unwrap(input) as never, handlerContext(context, host));
  for (const [name, e] of Object.entries(plugin.events ?? {}))
    handlers[name] = wrap(e.handler!, (i) => (i as { event: unknown }).event);
  for (const [name, j] of Object.entries(plugin.jobs ?? {}))
    handlers[name] = wrap(j.handler!, (i) => (i as { job: unknown }).job);
  for (const [name, h] of Object.entries(plugin.hooks ?? {})) handlers[name] = wrap(h.handler!, (i) => i);
  for (const [name, tool] of Object.entries(plugin.mcpTools ?? {})) {
    handlers[name] = wrap(tool.handler!, (i) => {
      if (!tool.input) return i;
      const checked = checkInput(tool.input, i, 'input');
      if (checked.ok) return checked.value;
      throw new Error(`invalid arguments: ${checked.issues.map((x) => `${x.path} ${x.message}`).join('; ')}`);
    });
  }
  return handlers;
}
