/**
 * The tickets plugin's program: the kernel starts it as its own process (`entry` in the manifest, the bundle
 * `goatflow-plugin build` makes of this file), and `serve()` connects back and runs the definition's handlers.
 * @module
 */
import { serve } from '@goatflow/sdk/grpc';
import plugin from './plugin.js';

await serve(plugin);
