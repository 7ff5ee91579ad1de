/**
 * hello-wasm's greeting count, through `plugins.call`: the call runs hello-wasm's `currentCount` handler for the
 * same user and request, checked against hello-wasm's own grant.
 * @module
 */
import { type Host, HostCallError } from '@goatflow/sdk/grpc';

/**
 * The count, or `null` when hello-wasm cannot answer (not enabled, failing): this plugin keeps working without
 * it, so a disabled neighbour costs one line of the greeting, not the route.
 */
export async function helloWasmCount(host: Host): Promise<number | null> {
  try {
    const answer = await host.call<{ count: number }>('plugins.call', {
      plugin: 'hello-wasm',
      handler: 'currentCount',
    });
    return answer.count;
  } catch (error) {
    if (!(error instanceof HostCallError)) throw error;
    // Not enabled is an operator's choice; anything else is worth a line in the log at /admin/plugins.
    if (error.code !== 'unavailable')
      host.log('warn', `plugins.call hello-wasm: ${error.code}: ${error.message}`);
    return null;
  }
}
