/**
 * hello-grpc: the example gRPC plugin. The kernel starts this file as its own process (`entry` in
 * goatflow-plugin.json) and `serve()` connects it back to the kernel; from then on the kernel calls the handlers
 * named here, by the names the manifest's routes, events and jobs use.
 * @module
 */
import { serve } from '@goatflow/sdk/grpc';
import { greeting } from './greeting.js';
import { heartbeat } from './heartbeat.js';
import { onGreeted } from './notify.js';

await serve({ handlers: { greeting, onGreeted, heartbeat } });
