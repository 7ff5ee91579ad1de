/**
 * `POST /api/admin/plugins/upload`: installs a plugin from an uploaded package. `multipart/form-data` with two
 * parts, `package` (the .tgz) and `checksum` (a sha256sum file or just the hex digest). Mounted behind
 * `requireAdmin` and the CSRF gate like every admin write; the only API route that takes a body other than JSON.
 *
 * `DELETE /api/admin/plugins/:id`: removes an uploaded package (204) once the plugin is disabled; its data, grant
 * and settings are kept for a later upload of it.
 * @module
 */
import { Router } from 'express';
import { currentContext } from '../../context/request-context.js';
import { type FieldIssue, ValidationError } from '../../errors/index.js';
import type { PluginInstaller } from '../../plugins/plugin-installer.js';
import { readMultipart } from '../multipart.js';
import { parseInput } from '../validate.js';
import { pluginId } from './admin-plugins.js';

/** The path, relative to `/api`, where body parsing lets multipart/form-data through. */
export const PLUGIN_UPLOAD_PATH = '/admin/plugins/upload';

/** A checksum file is one line per file; this leaves room for a long SHA256SUMS. */
const MAX_CHECKSUM_BYTES = 64 * 1024;

export function adminPluginUploadRoutes(installer: PluginInstaller): Router {
  const router = Router();
  router.post('/upload', async (req, res) => {
    const parts = await readMultipart(req, {
      package: { maxBytes: installer.limits.maxPackageBytes },
      checksum: { maxBytes: MAX_CHECKSUM_BYTES },
    });
    const pkg = parts.get('package');
    const checksum = parts.get('checksum');
    const missing: FieldIssue[] = [];
    if (!pkg?.bytes.length) {
      missing.push({ path: 'package', code: 'required', message: 'is required: the plugin package (.tgz)' });
    }
    if (!checksum?.bytes.length) {
      missing.push({
        path: 'checksum',
        code: 'required',
        message: "is required: the package's SHA-256 (a sha256sum file or the 64 hex digits)",
      });
    }
    if (missing.length || !pkg || !checksum) throw new ValidationError(missing);
    const result = await installer.install({
      bytes: pkg.bytes,
      filename: pkg.filename,
      checksum: checksum.bytes.toString('utf8'),
      actorId: currentContext()?.principal?.id,
    });
    res.status(result.package.outcome === 'installed' ? 201 : 200).json(result);
  });
  router.delete('/:id', async (req, res) => {
    await installer.remove(parseInput(pluginId, req.params.id, 'id'));
    res.status(204).end();
  });
  return router;
}
