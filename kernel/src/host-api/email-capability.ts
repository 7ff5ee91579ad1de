/**
 * `email.send`: mail from a plugin to recipients its `email` grant covers — addresses in a granted domain, or a
 * GoatFlow user's address when `users` is granted. Every mail is recorded in `kernel.email_outbox`: sent through
 * SMTP when `GOATFLOW_SMTP_URL` is set (status `sent`, or `failed` with the server's error), otherwise kept there
 * unsent for the operator to read at `GET /api/admin/outbox`.
 * @module
 */
import type { PluginPermissions } from '@goatflow/sdk';
import { createTransport, type Transporter } from 'nodemailer';
import type { KernelOrm } from '../db/orm.js';
import { HostApiError, notGranted } from './host-api-error.js';
import { emailDomainMatches } from './host-patterns.js';

export const EMAIL_LIMITS = {
  maxRecipients: 50,
  maxSubjectLength: 500,
  maxBodyBytes: 1024 * 1024,
} as const;

export type OutboxStatus = 'unsent' | 'sending' | 'sent' | 'failed';

export interface OutboxItem {
  id: number;
  plugin: string;
  userId: number | null;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  status: OutboxStatus;
  error: string | null;
  messageId: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface MailerOptions {
  /** smtp:// or smtps:// URL; without it mail is only stored in the outbox. */
  smtpUrl: string | undefined;
  /** The From address of every mail. */
  from: string;
}

/** A plain address, no display name: `local@domain.tld`. */
const ADDRESS =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+)$/;

function invalid(message: string): never {
  throw new HostApiError('invalid_argument', message);
}

interface Mail {
  to: string[];
  subject: string;
  text: string;
  html: string | undefined;
}

function bodyArg(value: unknown, name: string, required: boolean): string | undefined {
  if (value === undefined || value === null) {
    if (required) invalid(`"${name}" must be a string`);
    return undefined;
  }
  if (typeof value !== 'string') invalid(`"${name}" must be a string`);
  if (Buffer.byteLength(value) > EMAIL_LIMITS.maxBodyBytes) {
    invalid(`"${name}" may be at most ${EMAIL_LIMITS.maxBodyBytes} bytes`);
  }
  if (value.includes('\0')) invalid(`"${name}" must not contain NUL characters`);
  return value;
}

export function parseMail(args: Record<string, unknown>): Mail {
  const rawTo = typeof args.to === 'string' ? [args.to] : args.to;
  if (!Array.isArray(rawTo) || rawTo.length === 0 || rawTo.length > EMAIL_LIMITS.maxRecipients) {
    invalid(`"to" must be an address or a list of 1 to ${EMAIL_LIMITS.maxRecipients} addresses`);
  }
  const to: string[] = [];
  for (const item of rawTo) {
    if (typeof item !== 'string') invalid('"to" must contain only strings');
    // Checked first and named: a line break in an address is a header-injection attempt.
    if (/[\r\n]/.test(item)) invalid('"to" contains a line break: header injection is refused');
    if (item.length > 254 || !ADDRESS.test(item)) {
      invalid(`"${item.slice(0, 100)}" is not a plain e-mail address such as name@example.com`);
    }
    if (!to.some((t) => t.toLowerCase() === item.toLowerCase())) to.push(item);
  }
  if (typeof args.subject !== 'string') invalid('"subject" must be a string');
  if (/[\r\n]/.test(args.subject)) invalid('"subject" contains a line break: header injection is refused');
  if (args.subject.length > EMAIL_LIMITS.maxSubjectLength) {
    invalid(`"subject" may be at most ${EMAIL_LIMITS.maxSubjectLength} characters`);
  }
  // Other control characters have no place in a header either.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is exactly what is being checked
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(args.subject)) {
    invalid('"subject" contains control characters');
  }
  return {
    to,
    subject: args.subject,
    text: bodyArg(args.text, 'text', true)!,
    html: bodyArg(args.html, 'html', false),
  };
}

export class Mailer {
  private readonly transport: Transporter | undefined;

  constructor(
    private readonly orm: KernelOrm,
    options: MailerOptions,
  ) {
    this.transport = options.smtpUrl
      ? createTransport(
          {
            url: options.smtpUrl,
            connectionTimeout: 10_000,
            greetingTimeout: 10_000,
            socketTimeout: 30_000,
            // Mail content comes from plugins: nodemailer must never read a file or URL on their behalf.
            disableFileAccess: true,
            disableUrlAccess: true,
          },
          { from: options.from },
        )
      : undefined;
  }

  async send(
    pluginId: string,
    granted: PluginPermissions,
    userId: number | null,
    args: Record<string, unknown>,
  ): Promise<{ id: number }> {
    const patterns = granted.email ?? [];
    if (patterns.length === 0) {
      throw notGranted('email.send', 'email');
    }
    const mail = parseMail(args);
    await this.checkRecipients(patterns, mail.to);
    const em = this.orm.em.fork();
    const [row] = await em.execute<{ id: string }[]>(
      `insert into kernel.email_outbox (plugin_id, user_id, recipients, subject, text_body, html_body, status)
       values (?, ?, ?::jsonb, ?, ?, ?, ?) returning id`,
      [
        pluginId,
        userId,
        JSON.stringify(mail.to),
        mail.subject,
        mail.text,
        mail.html ?? null,
        this.transport ? 'sending' : 'unsent',
      ],
    );
    const id = Number(row!.id);
    if (!this.transport) return { id };
    try {
      const info = await this.transport.sendMail({
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html === undefined ? {} : { html: mail.html }),
        headers: { 'X-GoatFlow-Plugin': pluginId },
      });
      await em.execute(
        `update kernel.email_outbox set status = 'sent', sent_at = now(), message_id = ? where id = ?`,
        [String(info.messageId ?? '').slice(0, 500), id],
      );
      return { id };
    } catch (err) {
      const message = smtpError(err);
      await em.execute(`update kernel.email_outbox set status = 'failed', error = ? where id = ?`, [
        message,
        id,
      ]);
      throw new HostApiError('send_failed', `the mail (outbox id ${id}) was not sent: ${message}`);
    }
  }

  private async checkRecipients(patterns: string[], recipients: string[]): Promise<void> {
    const users = patterns.includes('users');
    const domains = patterns.filter((p) => p !== 'users');
    const rest = recipients.filter((r) => {
      const domain = r.slice(r.lastIndexOf('@') + 1);
      return !domains.some((p) => emailDomainMatches(p, domain));
    });
    if (rest.length === 0) return;
    let known = new Set<string>();
    if (users) {
      const rows = await this.orm.em.fork().execute<{ email: string }[]>(
        `select lower(email) as email from kernel.users where active and lower(email) in (${rest.map(() => '?').join(', ')})`,
        rest.map((r) => r.toLowerCase()),
      );
      known = new Set(rows.map((r) => r.email));
    }
    const refused = rest.find((r) => !known.has(r.toLowerCase()));
    if (refused !== undefined) {
      throw new HostApiError(
        'permission_denied',
        `email.send may not write to ${refused}: its domain is not in this plugin's email grant` +
          (users ? " and it is not an active GoatFlow user's address" : ''),
      );
    }
  }

  close(): void {
    this.transport?.close();
  }
}

function smtpError(err: unknown): string {
  const e = err as { message?: string; code?: string; responseCode?: number };
  const parts = [e.code, e.responseCode, e.message].filter((p) => p !== undefined && p !== '');
  return (parts.join(' ') || 'unknown SMTP error').slice(0, 1000);
}

/** The outbox, newest first, for the admin API. */
export async function listOutbox(
  orm: KernelOrm,
  q: { status?: OutboxStatus | undefined; plugin?: string | undefined; limit: number; offset: number },
): Promise<{ items: OutboxItem[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.status) {
    where.push('status = ?');
    params.push(q.status);
  }
  if (q.plugin) {
    where.push('plugin_id = ?');
    params.push(q.plugin);
  }
  const clause = where.length ? `where ${where.join(' and ')}` : '';
  const em = orm.em.fork();
  const [count] = await em.execute<{ n: string }[]>(
    `select count(*) as n from kernel.email_outbox ${clause}`,
    params,
  );
  const rows = await em.execute<
    {
      id: string;
      plugin_id: string;
      user_id: number | null;
      recipients: string[] | string;
      subject: string;
      text_body: string;
      html_body: string | null;
      status: OutboxStatus;
      error: string | null;
      message_id: string | null;
      created_at: Date;
      sent_at: Date | null;
    }[]
  >(
    `select id, plugin_id, user_id, recipients, subject, text_body, html_body, status, error, message_id,
            created_at, sent_at
       from kernel.email_outbox ${clause} order by id desc limit ? offset ?`,
    [...params, q.limit, q.offset],
  );
  return {
    total: Number(count?.n ?? 0),
    items: rows.map((r) => ({
      id: Number(r.id),
      plugin: r.plugin_id,
      userId: r.user_id,
      to: typeof r.recipients === 'string' ? JSON.parse(r.recipients) : r.recipients,
      subject: r.subject,
      text: r.text_body,
      html: r.html_body,
      status: r.status,
      error: r.error,
      messageId: r.message_id,
      createdAt: new Date(r.created_at).toISOString(),
      sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null,
    })),
  };
}
