/**
 * Kernel configuration, read once from the environment and validated with zod, so a typo in a variable stops
 * the start with a message that names it instead of surfacing later as odd behaviour.
 * @module
 */
import path from 'node:path';
import { PLUGIN_ID_PATTERN } from '@goatflow/sdk';
import proxyAddr from 'proxy-addr';
import { z } from 'zod';
import { ConfigError } from '../errors/index.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const envSchema = z.object({
  PORT: int(0, 65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  GOATFLOW_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  GOATFLOW_DB_POOL_SIZE: int(1, 100).default(10),
  GOATFLOW_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').max(256).optional(),
  GOATFLOW_DEMO_DATA: bool.default(false),
  GOATFLOW_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GOATFLOW_SESSION_IDLE_SECONDS: int(10, 31 * 24 * 3600).default(2 * 3600),
  GOATFLOW_SESSION_MAX_AGE_SECONDS: int(10, 365 * 24 * 3600).default(24 * 3600),
  GOATFLOW_SESSION_CACHE_MS: int(0, 60_000).default(2000),
  GOATFLOW_LOGIN_WINDOW_SECONDS: int(1, 24 * 3600).default(15 * 60),
  GOATFLOW_LOGIN_MAX_FAILURES_PER_ACCOUNT: int(1, 1000).default(5),
  GOATFLOW_LOGIN_MAX_FAILURES_PER_IP: int(1, 100000).default(50),
  GOATFLOW_BODY_LIMIT_BYTES: int(1024, 100 * 1024 * 1024).default(1024 * 1024),
  GOATFLOW_TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v): boolean | number | string => {
      if (v === 'true') return true;
      if (v === 'false' || v === '') return false;
      return /^\d+$/.test(v) ? Number(v) : v;
    })
    .refine(
      (v) => typeof v !== 'string' || trustListIsValid(v),
      'must be false, true, a hop count such as 1, or comma-separated addresses/subnets such as 10.0.0.0/8',
    ),
  GOATFLOW_SHUTDOWN_TIMEOUT_SECONDS: int(1, 600).default(10),
  GOATFLOW_WEB_DIR: z.string().min(1).optional(),
  GOATFLOW_PLUGIN_DIR: z.string().min(1).optional(),
  GOATFLOW_PLUGIN_MAX_MEMORY_MB: int(1, 1024).default(64),
  GOATFLOW_PLUGIN_SQL_TIMEOUT_MS: int(10, 600_000).default(5000),
  GOATFLOW_SMTP_URL: z
    .string()
    .refine(
      smtpUrlIsValid,
      'must be an smtp:// or smtps:// URL with a host, e.g. smtp://user:pass@mail.example.com:587',
    )
    .optional(),
  GOATFLOW_EMAIL_FROM: z
    .string()
    .max(300)
    .regex(
      /^([^\r\n<>"]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>"]+@[^\s@<>"]+)$/,
      'must be an address such as goatflow@example.com or "GoatFlow <goatflow@example.com>"',
    )
    .default('GoatFlow <goatflow@localhost>'),
  GOATFLOW_EVENTS_POLL_MS: int(10, 600_000).default(1000),
  GOATFLOW_EVENTS_MAX_ATTEMPTS: int(1, 100).default(10),
  GOATFLOW_EVENTS_RETRY_BASE_MS: int(10, 3_600_000).default(5000),
  GOATFLOW_JOBS_TICK_MS: int(10, 60_000).default(1000),
  GOATFLOW_CORE_PLUGINS: z
    .string()
    .default('all')
    .transform((v): 'all' | string[] => {
      const value = v.trim();
      if (value === 'all' || value === '') return 'all';
      if (value === 'none') return [];
      return [...new Set(value.split(',').map((id) => id.trim()))];
    })
    .refine(
      (v) => v === 'all' || v.every((id) => PLUGIN_ID_PATTERN.test(id) && id !== 'all' && id !== 'none'),
      'must be all, none, or comma-separated plugin ids such as tickets,statistics',
    ),
});

/** An SMTP URL nodemailer can use: smtp:// (STARTTLS when offered) or smtps:// (TLS), with a host. */
function smtpUrlIsValid(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

/** The list form of GOATFLOW_TRUST_PROXY must be what express will accept, or the start fails later, unnamed. */
function trustListIsValid(list: string): boolean {
  try {
    proxyAddr.compile(list.split(',').map((s) => s.trim()));
    return true;
  } catch {
    return false;
  }
}

export interface KernelConfig {
  port: number;
  host: string;
  dataDir: string;
  /** Set when the kernel uses an external PostgreSQL; otherwise it starts the embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  dbPoolSize: number;
  adminPassword: string | undefined;
  demoData: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  sessionIdleSeconds: number;
  sessionMaxAgeSeconds: number;
  /** How long an instance reuses the principal it read for a session cookie; 0 turns the cache off. */
  sessionCacheMs: number;
  loginWindowSeconds: number;
  loginMaxFailuresPerAccount: number;
  loginMaxFailuresPerIp: number;
  bodyLimitBytes: number;
  trustProxy: boolean | number | string;
  shutdownTimeoutSeconds: number;
  /** Directory with the built web shell; `undefined` means "find @goatflow/web's dist". */
  webDir: string | undefined;
  /** An extra folder of third-party plugins (one sub-folder each). */
  pluginDir: string | undefined;
  /** The most memory a WASM plugin may declare. */
  pluginMaxMemoryBytes: number;
  /** statement_timeout of plugin SQL. */
  pluginSqlTimeoutMs: number;
  /** Where email.send sends mail; without it mail is kept in the outbox (`GET /api/admin/outbox`). */
  smtpUrl: string | undefined;
  /** The From address of mail sent by plugins. */
  emailFrom: string;
  /** How often the event dispatcher looks for due deliveries when nothing wakes it. */
  eventsPollMs: number;
  /** Attempts before an event delivery is given up (its last error is kept). */
  eventsMaxAttempts: number;
  /** Delay after an event delivery's first failure; doubled after each further one (at most an hour). */
  eventsRetryBaseMs: number;
  /** How often plugin job schedules are looked at. */
  jobsTickMs: number;
  /**
   * Which first-party plugins (plugins-core) are discovered: `'all'`, or only these ids (none when empty), so a
   * test kernel or a slim installation does not start what it does not use.
   */
  corePlugins: 'all' | string[];
}

/** Reads and validates the configuration; throws {@link ConfigError} naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): KernelConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.GOATFLOW_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    dbPoolSize: e.GOATFLOW_DB_POOL_SIZE,
    adminPassword: e.GOATFLOW_ADMIN_PASSWORD,
    demoData: e.GOATFLOW_DEMO_DATA,
    logLevel: e.GOATFLOW_LOG_LEVEL,
    sessionIdleSeconds: e.GOATFLOW_SESSION_IDLE_SECONDS,
    sessionMaxAgeSeconds: e.GOATFLOW_SESSION_MAX_AGE_SECONDS,
    sessionCacheMs: e.GOATFLOW_SESSION_CACHE_MS,
    loginWindowSeconds: e.GOATFLOW_LOGIN_WINDOW_SECONDS,
    loginMaxFailuresPerAccount: e.GOATFLOW_LOGIN_MAX_FAILURES_PER_ACCOUNT,
    loginMaxFailuresPerIp: e.GOATFLOW_LOGIN_MAX_FAILURES_PER_IP,
    bodyLimitBytes: e.GOATFLOW_BODY_LIMIT_BYTES,
    trustProxy: e.GOATFLOW_TRUST_PROXY,
    shutdownTimeoutSeconds: e.GOATFLOW_SHUTDOWN_TIMEOUT_SECONDS,
    webDir: e.GOATFLOW_WEB_DIR,
    pluginDir: e.GOATFLOW_PLUGIN_DIR ? path.resolve(e.GOATFLOW_PLUGIN_DIR) : undefined,
    pluginMaxMemoryBytes: e.GOATFLOW_PLUGIN_MAX_MEMORY_MB * 1024 * 1024,
    pluginSqlTimeoutMs: e.GOATFLOW_PLUGIN_SQL_TIMEOUT_MS,
    smtpUrl: e.GOATFLOW_SMTP_URL,
    emailFrom: e.GOATFLOW_EMAIL_FROM,
    eventsPollMs: e.GOATFLOW_EVENTS_POLL_MS,
    eventsMaxAttempts: e.GOATFLOW_EVENTS_MAX_ATTEMPTS,
    eventsRetryBaseMs: e.GOATFLOW_EVENTS_RETRY_BASE_MS,
    jobsTickMs: e.GOATFLOW_JOBS_TICK_MS,
    corePlugins: e.GOATFLOW_CORE_PLUGINS,
  };
}
