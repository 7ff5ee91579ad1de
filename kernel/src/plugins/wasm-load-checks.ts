/**
 * What a WASM module promises but its manifest or grants do not back, found when the kernel loads it: Host API
 * imports whose permission the plugin was not granted (every call would be refused), and handlers the manifest
 * names that the module does not export (every call would fail). The module still loads — a plugin may guard a
 * call it rarely makes — but its developer reads at once, in the plugin's log, what is wrong and how to fix it,
 * in the words `goatflow-plugin validate` uses before the plugin is shipped.
 * @module
 */
import {
  HOST_API_FUNCTIONS,
  HOST_API_MODULE,
  type ModuleInfo,
  type PluginManifest,
  type PluginPermissions,
  permissionFor,
} from '@goatflow/sdk';

/** The handler names a manifest routes calls to, each with what calls it. */
function manifestHandlers(manifest: PluginManifest): Map<string, string> {
  const c = manifest.contributes;
  const named = new Map<string, string>();
  const add = (handler: string, what: string) => {
    if (!named.has(handler)) named.set(handler, what);
  };
  for (const r of c.routes ?? []) add(r.handler, `route ${r.method} ${r.path}`);
  for (const e of c.events ?? []) add(e.handler, `the subscription to ${e.name}`);
  for (const j of c.jobs ?? []) add(j.handler, `job ${j.id}`);
  for (const h of c.hooks ?? []) add(h.handler, `hook ${h.point}`);
  for (const t of c.mcpTools ?? []) add(t.handler, `MCP tool ${t.name}`);
  return named;
}

/**
 * The problems of a WASM plugin's module against its manifest and grants, one sentence each with the fix.
 * @param info - the module as the runtime read it when admitting it (`LoadedWasmPlugin.moduleInfo`)
 * @param manifest - the plugin's manifest
 * @param granted - what the operator granted
 */
export function wasmLoadFindings(
  info: ModuleInfo,
  manifest: PluginManifest,
  granted: PluginPermissions,
): string[] {
  const findings: string[] = [];
  for (const imp of info.imports) {
    if (imp.module !== HOST_API_MODULE) continue;
    const fn = HOST_API_FUNCTIONS.get(imp.name);
    const rule = fn ? permissionFor(fn) : undefined;
    if (!fn || !rule || rule.declared(granted)) continue;
    const declared = rule.declared(manifest.permissions);
    findings.push(
      `the module imports ${imp.name} (${fn}) but the plugin was not granted ${rule.field}, so each call is ` +
        `refused with permission_denied. To fix: ${
          declared
            ? 'an administrator grants it at /admin/plugins'
            : `declare \`${rule.example}\` under permissions in src/plugin.ts (or goatflow-plugin.json), rebuild, and have an administrator grant it at /admin/plugins`
        }`,
    );
  }
  const exported = new Set(info.functionExports);
  for (const [handler, what] of manifestHandlers(manifest)) {
    if (exported.has(handler)) continue;
    findings.push(
      `${what} calls the handler "${handler}", which the module does not export, so each call fails. To fix: ` +
        `export a function named ${handler} from the module (AssemblyScript: \`export function ${handler}(): i32\` in assembly/index.ts), or rename the handler in the manifest`,
    );
  }
  return findings;
}
