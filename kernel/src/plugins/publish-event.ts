/**
 * `publishEvent`: how kernel code (and later first-party kernel features) publishes an event to the plugins that
 * subscribe to it — the same table, deliveries and guarantees as a plugin's `events.publish`, with `kernel` as
 * the publisher. No grant is involved: the kernel may publish any well-formed name.
 * @module
 */
import type { PublishedEvent } from '../host-api/event-bus.js';
import type { PluginManager } from './plugin-manager.js';

/**
 * @param kernel - anything holding the kernel's plugin manager (a started `Kernel`)
 * @param name - a dotted event name, e.g. `user.created`
 * @param payload - JSON, at most 64 KiB
 * @returns the event's id and the plugins it will be delivered to
 * @throws HostApiError `invalid_argument` for a bad name or payload
 */
export function publishEvent(
  kernel: { plugins: PluginManager },
  name: string,
  payload: unknown,
): Promise<PublishedEvent> {
  return kernel.plugins.events.publish('kernel', name, payload);
}
