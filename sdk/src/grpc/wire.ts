/**
 * The messages of `goatflow/plugin/v1/plugin.proto` as they look in JavaScript once `@grpc/proto-loader` has
 * decoded them with {@link PROTO_LOADER_OPTIONS} (camelCase fields, uint64 as numbers, the `oneof` name in
 * `kind`). The kernel and the SDK share these types, so both ends of the stream agree by construction.
 * @module
 */

/**
 * How both ends load the proto. Field names become camelCase, 64-bit ids become JS numbers (ids stay far below
 * 2^53), unset fields get their defaults, and each `oneof` reports which field is set in `kind`.
 */
export const PROTO_LOADER_OPTIONS = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
} as const;

/** The fully qualified name of the Host service in the proto. */
export const HOST_SERVICE_NAME = 'goatflow.plugin.v1.Host';

/** Where the proto lives inside the SDK package (relative to the package root). */
export const PROTO_FILE = 'proto/goatflow/plugin/v1/plugin.proto';

/** First message of every stream: who the plugin is and what it serves. */
export interface WireHello {
  pluginId: string;
  secret: string;
  sdkVersion: string;
  handlers: string[];
}

/** The kernel accepted the hello. */
export interface WireWelcome {
  kernelVersion: string;
}

/** Kernel → plugin: run one handler. */
export interface WireInvocation {
  id: number;
  handler: string;
  inputJson: string;
  contextJson: string;
  deadlineUnixMs: number;
}

/** A failure reported by the plugin. */
export interface WireError {
  code: string;
  message: string;
}

/** Plugin → kernel: the outcome of one invocation. */
export interface WireInvocationResult {
  id: number;
  ok: boolean;
  outputJson: string;
  error: WireError | null;
}

/** Plugin → kernel: a Host API call on behalf of a running invocation. */
export interface WireHostCall {
  id: number;
  invocationId: number;
  fn: string;
  argsJson: string;
}

/** Kernel → plugin: the answer to one host call; `resultJson` is `{ok: true, value} | {ok: false, error}`. */
export interface WireHostCallResult {
  id: number;
  resultJson: string;
}

/** Kernel → plugin: the kernel no longer waits for this invocation. */
export interface WireCancel {
  id: number;
  reason: string;
}

/** Plugin → kernel: one line for the plugin's log. */
export interface WireLogLine {
  level: string;
  message: string;
}

/** What a plugin sends (exactly one field set). */
export type PluginMessageOut =
  | { hello: WireHello }
  | { result: Partial<WireInvocationResult> & { id: number; ok: boolean } }
  | { hostCall: WireHostCall }
  | { log: WireLogLine };

/** What the kernel receives from a plugin, decoded. `kind` is undefined for an empty message. */
export type PluginMessageIn =
  | { kind: 'hello'; hello: WireHello }
  | { kind: 'result'; result: WireInvocationResult }
  | { kind: 'hostCall'; hostCall: WireHostCall }
  | { kind: 'log'; log: WireLogLine }
  | { kind?: undefined };

/** What the kernel sends (exactly one field set). */
export type KernelMessageOut =
  | { welcome: WireWelcome }
  | { invocation: WireInvocation }
  | { hostCallResult: WireHostCallResult }
  | { cancel: WireCancel };

/** What a plugin receives from the kernel, decoded. `kind` is undefined for an empty message. */
export type KernelMessageIn =
  | { kind: 'welcome'; welcome: WireWelcome }
  | { kind: 'invocation'; invocation: WireInvocation }
  | { kind: 'hostCallResult'; hostCallResult: WireHostCallResult }
  | { kind: 'cancel'; cancel: WireCancel }
  | { kind?: undefined };

/** The environment variables the kernel starts a plugin process with. */
export const PLUGIN_ENV = {
  /** Path of the unix socket on which the kernel serves the Host service. */
  socket: 'GOATFLOW_HOST_SOCKET',
  /** The plugin's id. */
  pluginId: 'GOATFLOW_PLUGIN_ID',
  /** The one-time secret of this start of the process. */
  secret: 'GOATFLOW_PLUGIN_SECRET',
} as const;
