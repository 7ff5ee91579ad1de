/**
 * hello-wasm's greeting count, through `plugins.call`: the call runs hello-wasm's `currentCount` handler for the
 * same user and request, checked against hello-wasm's own grant.
 * @module
 */
import { type HostClient, isHostError } from '@goatflow/sdk';

/**
 * The count, or `null` when hello-wasm cannot answer (not enabled, failing): this plugin keeps working without
 * it, so a disabled neighbour costs one line of the greeting, not the route.
 */
export async function helloWasmCount(host: HostClient): Promise<number | null> {
  try {
    const answer = await host.plugins.call<{ count: number }>('hello-wasm', 'currentCount');
    return answer.count;
  } catch (error) {
    if (!isHostError(error)) throw error;
    // Not enabled is an operator's choice; anything else is worth a line in the log at /admin/plugins.
    if (error.code !== 'unavailable') {
      await host.log('warn', `plugins.call hello-wasm: ${error.code}: ${error.message}`);
    }
    return null;
  }
}
