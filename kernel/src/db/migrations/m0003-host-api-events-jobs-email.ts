import { Migration } from '@mikro-orm/migrations';

/**
 * Tables of the Host API's asynchronous parts: published events and their deliveries (one per subscribing
 * plugin, retried with backoff), claimed job slots (one run per slot across kernels), and the e-mail outbox.
 */
export class M0003HostApiEventsJobsEmail extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table kernel.plugin_events (
      id bigserial primary key,
      name text not null,
      payload jsonb not null,
      publisher text not null,
      created_at timestamptz not null default now()
    )`);
    this.addSql(`create index plugin_events_created_idx on kernel.plugin_events (created_at)`);
    this.addSql(`create table kernel.plugin_event_deliveries (
      event_id bigint not null references kernel.plugin_events(id) on delete cascade,
      plugin_id text not null,
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      delivered_at timestamptz,
      failed_at timestamptz,
      last_error text,
      primary key (event_id, plugin_id)
    )`);
    this.addSql(`create index plugin_event_deliveries_due_idx on kernel.plugin_event_deliveries
      (plugin_id, next_attempt_at) where delivered_at is null and failed_at is null`);
    this.addSql(`create table kernel.plugin_job_runs (
      plugin_id text not null,
      job_id text not null,
      scheduled_for timestamptz not null,
      instance text not null,
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      error text,
      primary key (plugin_id, job_id, scheduled_for)
    )`);
    this.addSql(`create table kernel.email_outbox (
      id bigserial primary key,
      plugin_id text not null,
      user_id integer references kernel.users(id) on delete set null,
      recipients jsonb not null,
      subject text not null,
      text_body text not null,
      html_body text,
      status text not null check (status in ('unsent', 'sending', 'sent', 'failed')),
      error text,
      message_id text,
      created_at timestamptz not null default now(),
      sent_at timestamptz
    )`);
    this.addSql(`create index email_outbox_status_idx on kernel.email_outbox (status, id desc)`);
  }
}
