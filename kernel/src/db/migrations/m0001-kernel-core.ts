import { Migration } from '@mikro-orm/migrations';

/**
 * The kernel's own tables live in the `kernel` schema, which plugin roles are never granted, so a plugin's SQL
 * cannot reach users, sessions or the audit log even before the statement guard looks at it.
 */
export class M0001KernelCore extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists kernel`);
    this.addSql(`create table kernel.users (
      id serial primary key,
      login text not null,
      type text not null check (type in ('agent', 'customer')),
      first_name text not null,
      last_name text not null,
      email text not null,
      password_hash text not null,
      locale text not null default 'en' check (locale in ('en', 'de')),
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    // Logins are compared case-insensitively: "Admin" and "admin" are one account.
    this.addSql(`create unique index users_login_lower_idx on kernel.users (lower(login))`);
    this.addSql(`create unique index users_login_idx on kernel.users (login)`);
    this.addSql(`create table kernel.groups (
      id serial primary key,
      name text not null,
      comment text not null default '',
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create unique index groups_name_lower_idx on kernel.groups (lower(name))`);
    this.addSql(`create unique index groups_name_idx on kernel.groups (name)`);
    this.addSql(`create table kernel.group_memberships (
      group_id integer not null references kernel.groups(id) on delete cascade,
      user_id integer not null references kernel.users(id) on delete cascade,
      permission_key text not null check (permission_key ~ '^[a-z][a-z0-9_]{0,31}$'),
      created_at timestamptz not null default now(),
      primary key (group_id, user_id, permission_key)
    )`);
    this.addSql(`create index group_memberships_user_idx on kernel.group_memberships (user_id)`);
    this.addSql(`create table kernel.sessions (
      id text primary key,
      user_id integer not null references kernel.users(id) on delete cascade,
      created_at timestamptz not null,
      last_seen_at timestamptz not null,
      expires_at timestamptz not null,
      ip text,
      user_agent text
    )`);
    this.addSql(`create index sessions_user_idx on kernel.sessions (user_id)`);
    this.addSql(`create index sessions_expires_idx on kernel.sessions (expires_at)`);
    this.addSql(`create table kernel.sysconfig (
      key text primary key,
      value jsonb not null,
      updated_at timestamptz not null default now(),
      updated_by integer
    )`);
    this.addSql(`create table kernel.audit_log (
      id bigserial primary key,
      at timestamptz not null default now(),
      actor_user_id integer,
      actor_login text,
      action text not null,
      target_type text,
      target_id text,
      ip text,
      request_id text,
      details jsonb not null default '{}'
    )`);
    this.addSql(`create index audit_log_at_idx on kernel.audit_log (at desc)`);
    this.addSql(`create index audit_log_action_idx on kernel.audit_log (action, at desc)`);
    // Login failure counters live in the database so every kernel instance behind a load balancer sees them.
    this.addSql(`create table kernel.auth_rate_limits (
      key text primary key,
      window_start timestamptz not null,
      failures integer not null
    )`);
  }
}
