// hello-wasm: the handlers of the example WASM plugin. Every export of this file is a handler the manifest can
// name (a route's, an event's, a job's or one another plugin reaches with plugins.call), so helpers stay
// unexported or live in the other modules. Everything else (the invocation, the Host API, JSON, the abort
// replacement that asconfig.json names) comes from @goatflow/sdk/assembly.
import {
  fail,
  failWith,
  host,
  HostResult,
  jsonArray,
  jsonObject,
  JsonValue,
  output,
  readInvocation,
} from '@goatflow/sdk/assembly';
import { readSettings } from './settings';

// The cache has no atomic increment: two greetings at the same instant may count once. The visits table is
// the durable record; the counter is the quick one, and is emptied when the plugin is disabled.
const COUNT = 'count';
// The longest a cache entry may live.
const COUNT_TTL_SECONDS = 7 * 24 * 3600;
// The visits table keeps this many of the latest visits; older ones are deleted as new ones come.
const VISITS_KEPT = 1000;

function translate(key: string, params: JsonValue | null = null): HostResult {
  // No locale: the kernel answers in the invocation's locale, the signed-in user's language.
  return host.i18n.t(key, params);
}

/** "First Last" from an identity.getUser value, or the login when the user has no name. */
function displayName(user: JsonValue, login: string): string {
  const name = (user.get('firstName').asString() + ' ' + user.get('lastName').asString()).trim();
  return name.length > 0 ? name : login;
}

/**
 * GET /greeting: greets the signed-in user by name, in their language, with the greeting count from the cache.
 * Outputs `{greeting, count, countText, action, locale}`; the widget shows all but the locale.
 */
export function greeting(): i32 {
  const context = readInvocation().context;
  const user = context.user;
  if (user === null) return fail('greeting needs a signed-in user');
  const settings = readSettings();
  if (!settings.reply.ok) return failWith(settings.reply);
  const found = host.identity.getUser(user.id);
  if (!found.ok) return failWith(found);
  const cached = host.cache.get(COUNT);
  if (!cached.ok) return failWith(cached);
  const count = cached.value.asI64();

  const name = displayName(found.value, user.login);
  const hello = translate('greeting.hello', jsonObject().set('name', name).set('emoji', settings.emoji));
  if (!hello.ok) return failWith(hello);
  const countText = translate('greeting.count', jsonObject().set('count', count));
  if (!countText.ok) return failWith(countText);
  const action = translate('greeting.action');
  if (!action.ok) return failWith(action);

  output(
    jsonObject()
      .set('greeting', hello.value.asString().trim())
      .set('count', count)
      .set('countText', countText.value)
      .set('action', action.value)
      .set('locale', context.locale),
  );
  return 0;
}

/**
 * POST /count: counts one more greeting in the cache, records the visit in the plugin's own table, publishes
 * `hello.greeted` (hello-grpc mails the user and calls a webhook) and writes an audit row. Outputs
 * `{count, visitId}`.
 */
export function greet(): i32 {
  const context = readInvocation().context;
  const user = context.user;
  if (user === null) return fail('greet needs a signed-in user');
  const cached = host.cache.get(COUNT);
  if (!cached.ok) return failWith(cached);
  const count = cached.value.asI64() + 1;
  const stored = host.cache.set(COUNT, count, COUNT_TTL_SECONDS);
  if (!stored.ok) return failWith(stored);

  const visit = host.db.query(
    'insert into visits (user_id, login, greeting_count, locale) values ($1, $2, $3, $4) returning id',
    jsonArray().push(user.id).push(user.login).push(count).push(context.locale),
  );
  if (!visit.ok) return failWith(visit);
  const visitId = visit.value.get('rows').at(0).get('id').asI64();
  if (visitId > VISITS_KEPT) {
    const pruned = host.db.exec('delete from visits where id <= $1', jsonArray().push(visitId - VISITS_KEPT));
    // The visit is recorded; a table that could not be pruned this time is pruned by the next greeting.
    if (!pruned.ok) host.log('warn', pruned.error!.toString());
  }

  const published = host.events.publish(
    'hello.greeted',
    jsonObject().set('userId', user.id).set('login', user.login).set('count', count).set('visitId', visitId),
  );
  if (!published.ok) return failWith(published);
  const audited = host.audit.record(
    'greeted',
    'user',
    user.id.toString(),
    jsonObject().set('count', count).set('visitId', visitId),
  );
  if (!audited.ok) return failWith(audited);
  // A log line that could not be written is no reason to fail the greeting.
  host.log(
    'info',
    'greeted ' + user.login + ' (greeting #' + count.toString() + ', visit ' + visitId.toString() + ')',
  );
  output(jsonObject().set('count', count).set('visitId', visitId));
  return 0;
}

/** GET /visits: the latest visits from the plugin's own table (as many as the visitsShown setting), and the total. */
export function visits(): i32 {
  const settings = readSettings();
  if (!settings.reply.ok) return failWith(settings.reply);
  const latest = host.db.query(
    'select id, user_id as "userId", login, greeting_count as "count", locale, visited_at as "visitedAt" ' +
      'from visits order by id desc limit $1',
    jsonArray().push(settings.visitsShown),
  );
  if (!latest.ok) return failWith(latest);
  const total = host.db.query('select count(*)::integer as total from visits');
  if (!total.ok) return failWith(total);
  output(
    jsonObject()
      .set('items', latest.value.get('rows'))
      .set('total', total.value.get('rows').at(0).get('total').asI64()),
  );
  return 0;
}

/** DELETE /count (admins): resets the greeting counter and audits it. Outputs `{reset}`: whether there was one. */
export function reset(): i32 {
  const deleted = host.cache.delete(COUNT);
  if (!deleted.ok) return failWith(deleted);
  const audited = host.audit.record('counter_reset', null, null, jsonObject().set('existed', deleted.value));
  if (!audited.ok) return failWith(audited);
  output(jsonObject().set('reset', deleted.value));
  return 0;
}

/** For plugins.call (hello-grpc shows it): outputs `{count}`, the greeting count in the cache. */
export function currentCount(): i32 {
  const cached = host.cache.get(COUNT);
  if (!cached.ok) return failWith(cached);
  output(jsonObject().set('count', cached.value.asI64()));
  return 0;
}
