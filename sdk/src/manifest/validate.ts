/**
 * Checks a manifest and answers every problem with its JSON path and the reason, so a developer can fix them
 * all in one go.
 * @module
 */
import semver from 'semver';
import { manifestSchema, type PluginManifest } from './schema.js';

/** One problem in a manifest. */
export interface ManifestIssue {
  /** JSON path such as `/contributes/routes/0/auth`; `/` for the whole manifest. */
  path: string;
  /** What is wrong and what would be right. */
  message: string;
}

/** The outcome of {@link validateManifest}: the parsed manifest, or every problem found. */
export type ManifestResult = { ok: true; manifest: PluginManifest } | { ok: false; issues: ManifestIssue[] };

/**
 * Validates a parsed `goatflow-plugin.json` against the schema and the rules a schema cannot express (routes
 * inside the plugin's namespace, a kernelApi range this kernel satisfies, unique ids and handlers).
 * @param value - the parsed JSON
 * @param kernelApiVersion - the kernel API version to check `kernelApi` against; omit to skip that check
 */
export function validateManifest(value: unknown, kernelApiVersion?: string): ManifestResult {
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.flatMap((issue) => {
      const base = issue.path.map(String);
      const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...base, k]) : [base];
      const message =
        issue.code === 'unrecognized_keys'
          ? 'is not a manifest field (remove it or fix its name)'
          : issue.message;
      return paths.map((p) => ({ path: `/${p.join('/')}`, message }));
    });
    return { ok: false, issues };
  }
  const manifest = parsed.data;
  const issues: ManifestIssue[] = [];
  if (kernelApiVersion && !semver.satisfies(kernelApiVersion, manifest.kernelApi)) {
    issues.push({
      path: '/kernelApi',
      message: `this kernel provides API ${kernelApiVersion}, which "${manifest.kernelApi}" does not include`,
    });
  }
  const c = manifest.contributes;
  const prefixes = c.apiPrefixes ?? [];
  const seenRoutes = new Set<string>();
  (c.routes ?? []).forEach((route, i) => {
    if (route.path.startsWith('/api/')) {
      if (!prefixes.some((p) => route.path === p || route.path.startsWith(`${p}/`))) {
        issues.push({
          path: `/contributes/routes/${i}/path`,
          message: `"${route.path}" is outside the plugin's namespace: use a path relative to /api/plugins/${manifest.id} or declare its prefix in contributes.apiPrefixes`,
        });
      }
    }
    const key = `${route.method} ${route.path.replace(/:[^/]+/g, ':')}`;
    if (seenRoutes.has(key)) {
      issues.push({
        path: `/contributes/routes/${i}`,
        message: `duplicates the route ${route.method} ${route.path}`,
      });
    }
    seenRoutes.add(key);
  });
  const uniqueIds = (list: { id: string }[] | undefined, where: string) => {
    const seen = new Set<string>();
    (list ?? []).forEach((item, i) => {
      if (seen.has(item.id))
        issues.push({ path: `/contributes/${where}/${i}/id`, message: `"${item.id}" is used twice` });
      seen.add(item.id);
    });
  };
  uniqueIds(c.widgets, 'widgets');
  uniqueIds(c.menu, 'menu');
  uniqueIds(c.pages, 'pages');
  uniqueIds(c.jobs, 'jobs');
  const assets = c.assets;
  const inAssets = (module: string) =>
    assets !== undefined && module.startsWith(`${assets.replace(/\/+$/, '')}/`);
  for (const [where, list] of [
    ['widgets', c.widgets],
    ['pages', c.pages],
  ] as const) {
    (list ?? []).forEach((item, i) => {
      if (!inAssets(item.module)) {
        issues.push({
          path: `/contributes/${where}/${i}/module`,
          message: `"${item.module}" must lie inside the folder declared in contributes.assets (only that folder is served)`,
        });
      }
    });
  }
  if (c.settings && c.settings.type !== 'object') {
    issues.push({
      path: '/contributes/settings/type',
      message: 'the settings schema must be of type "object"',
    });
  }
  (c.exports ?? []).forEach((view, i) => {
    const schema = view.split('.')[0];
    if (schema !== manifest.id.replaceAll('-', '_')) {
      issues.push({
        path: `/contributes/exports/${i}`,
        message: `a plugin can export only views of its own schema "${manifest.id.replaceAll('-', '_')}"`,
      });
    }
  });
  if ((c.exports?.length || c.migrations) && !manifest.permissions.db?.own) {
    issues.push({
      path: '/permissions/db/own',
      message: 'migrations and exports need the permission db.own',
    });
  }
  if ((c.hooks?.length ?? 0) > 0 && !manifest.permissions.auth?.hooks) {
    issues.push({
      path: '/permissions/auth/hooks',
      message: 'contributes.hooks needs the permission auth.hooks',
    });
  }
  return issues.length ? { ok: false, issues } : { ok: true, manifest };
}
