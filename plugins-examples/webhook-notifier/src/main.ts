/**
 * webhook-notifier's program: the kernel starts it as its own process (`entry` in the manifest), and `serve()`
 * connects back to the kernel and runs the definition's handlers.
 * @module
 */
import { serve } from '@goatflow/sdk/grpc';
import plugin from './plugin.js';

await serve(plugin);
