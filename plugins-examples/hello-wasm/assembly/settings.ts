// The plugin's settings through the Host API's config.get: the manifest's settingsDefaults overlaid with what
// the operator set. Read on every call, so a changed setting applies to the next request.
import { host, HostResult } from '@goatflow/sdk/assembly';

/** The settings this plugin understands (see `contributes.settings` in goatflow-plugin.json). */
export class Settings {
  constructor(
    /** config.get's reply: when it is not ok, the other fields hold the defaults. */
    public reply: HostResult,
    /** Appended to the greeting; may be empty. */
    public emoji: string,
    /** How many rows GET /visits shows, 1 to 50. */
    public visitsShown: i32,
  ) {}
}

/** Reads the settings; check `reply.ok` before trusting them. */
export function readSettings(): Settings {
  const reply = host.config.get();
  const shown = reply.value.get('visitsShown').asI64(10);
  return new Settings(
    reply,
    reply.value.get('emoji').asString('👋'),
    <i32>(shown < 1 ? 1 : shown > 50 ? 50 : shown),
  );
}
