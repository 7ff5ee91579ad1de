/**
 * The rule every statement of this plugin follows, and the pieces of SQL it is built from. The rights live in
 * the database (migrations/0004_views.sql): a statement reads only through the `*_scope` views, the reference
 * tables and the kernel's `goatflow` views, and a write joins a scope view with the `can_*` flag it needs, so the
 * check and the write are one statement. The actor is always the bound user, never a value a handler passes.
 *
 * Statements live in `src/sql/**` as exported string constants, one per statement, so test/sql-lint.test.ts can
 * parse each and enforce the rule; a module that assembles statements from parts exports `LINT_SAMPLES`, the
 * statements it can build. Nothing outside `src/sql` holds SQL text.
 * @module
 */

/** The views that carry the acting user's rights (migrations/0004_views.sql); not exported to other plugins. */
export const SCOPE_VIEWS = [
  'queue_scope',
  'ticket_scope',
  'article_scope',
  'attachment_scope',
  'history_scope',
  'customer_user_scope',
  'customer_company_scope',
  'admin_scope',
] as const;

/** Tables anyone signed in may read as they are: the same for every user. */
export const REFERENCE_TABLES = ['states', 'priorities', 'ticket_types'] as const;

/** The views this plugin exports (`contributes.exports`): security barriers over the scope views. */
export const EXPORTED_VIEWS = [
  'tickets.ticket_visible',
  'tickets.article_visible',
  'tickets.queue_visible',
] as const;

/** The kernel's identity views this plugin reads (`permissions.db.read`). */
export const IDENTITY_VIEWS = [
  'goatflow.acting_user',
  'goatflow.my_group_permissions',
  'goatflow.group_permissions',
  'goatflow.users',
  'goatflow.groups',
] as const;

/** The acting user's id, as an SQL expression: what every write records as its actor. */
export const ACTOR = '(select id from goatflow.acting_user)';

/** The acting user as the plugin sees them: no row for a caller without a user (events, jobs). */
export const SELECT_ACTING_USER = `select id, type, is_admin as "isAdmin" from goatflow.acting_user`;

/** A row of {@link SELECT_ACTING_USER}. */
export interface ActingUser {
  id: number;
  type: 'agent' | 'customer';
  isAdmin: boolean;
}
