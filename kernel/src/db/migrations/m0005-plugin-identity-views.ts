import { Migration } from '@mikro-orm/migrations';

/**
 * The bound acting user (`goatflow.user_id`, set per host call by the kernel), when it names an active user.
 * Kernel-initiated work binds `''` and an unset setting reads as NULL: both match no user, so every view is empty.
 */
const ACTING = `nullif(current_setting('goatflow.user_id', true), '')::int`;
const ACTIVE_ACTOR = `exists (select 1 from kernel.users a where a.active and a.id = ${ACTING})`;

/**
 * The kernel's identity data as plugins may see it: read-only `security_barrier` views in the kernel-owned schema
 * `goatflow`, filtered by the acting user. The views run with their owner's (the kernel's) rights, so a plugin role
 * granted `select` on them still has no right on any `kernel` table; `security_barrier` keeps a plugin's own
 * predicates (which may be leaky functions) from being evaluated on rows the view's filter would drop. A
 * membership change applies to the next statement: nothing is copied.
 */
export class M0005PluginIdentityViews extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists goatflow`);
    this.addSql(`revoke all on schema goatflow from public`);
    // 0 or 1 row: who the plugin is acting for, and whether they are an administrator (rw in the group admin).
    this.addSql(`create view goatflow.acting_user with (security_barrier) as
      select u.id, u.login, u.type,
             (u.type = 'agent' and exists (
                select 1 from kernel.group_memberships m join kernel.groups g on g.id = m.group_id and g.active
                 where m.user_id = u.id and g.name = 'admin' and m.permission_key = 'rw')) as is_admin
        from kernel.users u
       where u.active and u.id = ${ACTING}`);
    // The acting user's own permission keys in active groups; never another user's.
    this.addSql(`create view goatflow.my_group_permissions with (security_barrier) as
      select m.group_id, g.name as group_name, m.permission_key
        from kernel.group_memberships m
        join kernel.groups g on g.id = m.group_id and g.active
        join kernel.users u on u.id = m.user_id and u.active
       where m.user_id = ${ACTING}`);
    // Everyone's keys in active groups (who may own a ticket of a queue), for an active acting user only.
    this.addSql(`create view goatflow.group_permissions with (security_barrier) as
      select m.group_id, m.user_id, m.permission_key
        from kernel.group_memberships m
        join kernel.groups g on g.id = m.group_id and g.active
        join kernel.users u on u.id = m.user_id and u.active
       where ${ACTIVE_ACTOR}`);
    // Never the password hash.
    this.addSql(`create view goatflow.users with (security_barrier) as
      select u.id, u.login, u.type, u.first_name, u.last_name, u.email, u.locale, u.active
        from kernel.users u
       where ${ACTIVE_ACTOR}`);
    this.addSql(`create view goatflow.groups with (security_barrier) as
      select g.id, g.name, g.active
        from kernel.groups g
       where ${ACTIVE_ACTOR}`);
    this.addSql(`revoke all on all tables in schema goatflow from public`);
  }
}
