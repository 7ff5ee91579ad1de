/**
 * Assembles the express application: request context and logging, security headers, body parsing, who is
 * calling, the admin and CSRF gates, the routes, the web shell, and the error handler — in that order.
 * @module
 */
import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { AuditLog } from '../audit/audit-log.js';
import type { KernelConfig } from '../config/config.js';
import { runWithContext } from '../context/request-context.js';
import type { KernelOrm } from '../db/orm.js';
import type { PluginLog } from '../host-api/plugin-log.js';
import type { AuthService } from '../identity/auth-service.js';
import type { GroupService } from '../identity/groups.js';
import type { LoginPipeline } from '../identity/login-pipeline.js';
import type { UserService } from '../identity/users.js';
import type { Logger } from '../log/logger.js';
import type { PluginInstaller } from '../plugins/plugin-installer.js';
import type { PluginManager } from '../plugins/plugin-manager.js';
import { authenticate, csrfProtection, requireAdmin } from './auth-middleware.js';
import { jsonBody } from './body.js';
import { errorHandler, notFoundApi } from './errors.js';
import { pluginRouteBodyLimit, pluginRoutes } from './plugin-routes.js';
import { adminRoutes } from './routes/admin.js';
import { adminOutboxRoutes } from './routes/admin-outbox.js';
import { adminPluginUploadRoutes, PLUGIN_UPLOAD_PATH } from './routes/admin-plugin-upload.js';
import { adminPluginRoutes } from './routes/admin-plugins.js';
import { authRoutes } from './routes/auth.js';
import { healthRoutes } from './routes/health.js';
import { openApiRoutes } from './routes/openapi.js';
import { pluginAssetRoutes, uiContributionRoutes } from './routes/ui-contributions.js';
import { staticWeb } from './static-web.js';

export interface AppServices {
  config: KernelConfig;
  logger: Logger;
  orm: KernelOrm;
  auth: AuthService;
  pipeline: LoginPipeline;
  users: UserService;
  groups: GroupService;
  audit: AuditLog;
  plugins: PluginManager;
  pluginInstaller: PluginInstaller;
  pluginLog: PluginLog;
  webDir: string;
  version: string;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function createApp(s: AppServices): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', s.config.trustProxy);
  app.set('query parser', 'simple');

  app.use(
    pinoHttp({
      logger: s.logger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
      autoLogging: { ignore: (req) => req.url === '/api/health' },
    }),
  );
  app.use((req, _res, next) => {
    runWithContext(
      { requestId: String(req.id), ip: req.ip, userAgent: req.get('user-agent'), principal: undefined },
      next,
    );
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: { 'upgrade-insecure-requests': null, 'connect-src': ["'self'"] },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );

  app.use('/api/health', healthRoutes(s.orm, s.version));
  // Who is calling is known before the body is read, so a route's larger body limit is offered only to callers
  // the route accepts: an anonymous request to a 15 MiB route is held to the default limit.
  app.use('/api', authenticate(s.auth, s.pipeline));
  app.use(
    '/api',
    ...jsonBody(s.config.bodyLimitBytes, [PLUGIN_UPLOAD_PATH], pluginRouteBodyLimit(s.plugins)),
  );
  app.use('/api/admin', requireAdmin);
  app.use('/api', csrfProtection(['/auth/login']));
  app.use('/api/auth', authRoutes(s.auth, s.users, s.config.sessionMaxAgeSeconds));
  app.use('/api/admin/plugins', adminPluginUploadRoutes(s.pluginInstaller));
  app.use('/api/admin/plugins', adminPluginRoutes(s.plugins, s.pluginLog, s.audit));
  app.use('/api/admin/outbox', adminOutboxRoutes(s.orm));
  app.use('/api/admin', adminRoutes(s.users, s.groups, s.audit));
  app.use('/api/ui', uiContributionRoutes(s.plugins));
  app.use('/api/v1', openApiRoutes(s.plugins, s.logger, s.pluginLog, s.version));
  app.use('/api', pluginRoutes(s.plugins));
  app.use('/api', notFoundApi());
  app.use('/plugins', pluginAssetRoutes(s.plugins));
  app.use(staticWeb(s.webDir));
  app.use(errorHandler(s.logger, s.config.bodyLimitBytes));
  return app;
}
