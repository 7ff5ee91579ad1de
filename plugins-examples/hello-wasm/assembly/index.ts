// hello-wasm: the handlers of the example WASM plugin. Every export of this file is a handler the manifest can
// name (a route's, an event's, a job's or one another plugin reaches with plugins.call), so helpers stay
// unexported or live in the other modules.
// Part of the compilation so asconfig.json's `use: abort=assembly/abort/abort` finds it.
import './abort';
import { call, fail, failWith, Fn, output, Reply } from './host';
import { invocation } from './invocation';
import { field, integer, item, quote, text } from './json';
import { readSettings } from './settings';

// The cache has no atomic increment: two greetings at the same instant may count once. The visits table is
// the durable record; the counter is the quick one, and is emptied when the plugin is disabled.
const COUNT = '{"key":"count"}';
// The longest a cache entry may live.
const COUNT_TTL_SECONDS = 7 * 24 * 3600;
// The visits table keeps this many of the latest visits; older ones are deleted as new ones come.
const VISITS_KEPT = 1000;

function translate(key: string, params: string): Reply {
  // No "locale": the kernel answers in the invocation's locale, the signed-in user's language.
  return call(Fn.I18nT, '{"key":' + quote(key) + ',"params":' + params + '}');
}

/** "First Last" from an identity.getUser value, or the login when the user has no name. */
function displayName(user: string, login: string): string {
  const name = (text(field(user, 'firstName')) + ' ' + text(field(user, 'lastName'))).trim();
  return name.length > 0 ? name : login;
}

/**
 * GET /greeting: greets the signed-in user by name, in their language, with the greeting count from the cache.
 * Outputs `{greeting, count, countText, action, locale}`; the widget shows all but the locale.
 */
export function greeting(): i32 {
  const inv = invocation();
  if (inv.userId == 0) return fail('greeting needs a signed-in user');
  const settings = readSettings();
  if (!settings.reply.ok) return failWith(settings.reply);
  const user = call(Fn.IdentityGetUser, '{"id":' + inv.userId.toString() + '}');
  if (!user.ok) return failWith(user);
  const cached = call(Fn.CacheGet, COUNT);
  if (!cached.ok) return failWith(cached);
  const count = integer(cached.value);

  const name = displayName(user.value, inv.login);
  const hello = translate(
    'greeting.hello',
    '{"name":' + quote(name) + ',"emoji":' + quote(settings.emoji) + '}',
  );
  if (!hello.ok) return failWith(hello);
  const countText = translate('greeting.count', '{"count":' + count.toString() + '}');
  if (!countText.ok) return failWith(countText);
  const action = translate('greeting.action', '{}');
  if (!action.ok) return failWith(action);

  output(
    '{"greeting":' +
      quote(text(hello.value).trim()) +
      ',"count":' +
      count.toString() +
      ',"countText":' +
      countText.value +
      ',"action":' +
      action.value +
      ',"locale":' +
      quote(inv.locale) +
      '}',
  );
  return 0;
}

/**
 * POST /count: counts one more greeting in the cache, records the visit in the plugin's own table, publishes
 * `hello.greeted` (hello-grpc mails the user and calls a webhook) and writes an audit row. Outputs
 * `{count, visitId}`.
 */
export function greet(): i32 {
  const inv = invocation();
  if (inv.userId == 0) return fail('greet needs a signed-in user');
  const cached = call(Fn.CacheGet, COUNT);
  if (!cached.ok) return failWith(cached);
  const count = integer(cached.value) + 1;
  const stored = call(
    Fn.CacheSet,
    '{"key":"count","value":' + count.toString() + ',"ttlSeconds":' + COUNT_TTL_SECONDS.toString() + '}',
  );
  if (!stored.ok) return failWith(stored);

  const uid = inv.userId.toString();
  const visit = call(
    Fn.DbQuery,
    '{"sql":' +
      quote(
        'insert into visits (user_id, login, greeting_count, locale) values ($1, $2, $3, $4) returning id',
      ) +
      ',"params":[' +
      uid +
      ',' +
      quote(inv.login) +
      ',' +
      count.toString() +
      ',' +
      quote(inv.locale) +
      ']}',
  );
  if (!visit.ok) return failWith(visit);
  const id = integer(field(item(field(visit.value, 'rows'), 0), 'id'));
  const visitId = id.toString();
  if (id > VISITS_KEPT) {
    const pruned = call(
      Fn.DbExec,
      '{"sql":"delete from visits where id <= $1","params":[' + (id - VISITS_KEPT).toString() + ']}',
    );
    // The visit is recorded; a table that could not be pruned this time is pruned by the next greeting.
    if (!pruned.ok) call(Fn.Log, '{"level":"warn","message":' + quote(pruned.code + ': ' + pruned.message) + '}');
  }

  const published = call(
    Fn.EventsPublish,
    '{"name":"hello.greeted","payload":{"userId":' +
      uid +
      ',"login":' +
      quote(inv.login) +
      ',"count":' +
      count.toString() +
      ',"visitId":' +
      visitId +
      '}}',
  );
  if (!published.ok) return failWith(published);
  const audited = call(
    Fn.AuditRecord,
    '{"action":"greeted","targetType":"user","targetId":' +
      uid +
      ',"details":{"count":' +
      count.toString() +
      ',"visitId":' +
      visitId +
      '}}',
  );
  if (!audited.ok) return failWith(audited);
  // A log line that could not be written is no reason to fail the greeting.
  call(
    Fn.Log,
    '{"level":"info","message":' +
      quote('greeted ' + inv.login + ' (greeting #' + count.toString() + ', visit ' + visitId + ')') +
      '}',
  );
  output('{"count":' + count.toString() + ',"visitId":' + visitId + '}');
  return 0;
}

/** GET /visits: the latest visits from the plugin's own table (as many as the visitsShown setting), and the total. */
export function visits(): i32 {
  const settings = readSettings();
  if (!settings.reply.ok) return failWith(settings.reply);
  const latest = call(
    Fn.DbQuery,
    '{"sql":' +
      quote(
        'select id, user_id as "userId", login, greeting_count as "count", locale, visited_at as "visitedAt" ' +
          'from visits order by id desc limit $1',
      ) +
      ',"params":[' +
      settings.visitsShown.toString() +
      ']}',
  );
  if (!latest.ok) return failWith(latest);
  const total = call(Fn.DbQuery, '{"sql":"select count(*)::integer as total from visits"}');
  if (!total.ok) return failWith(total);
  output(
    '{"items":' +
      field(latest.value, 'rows') +
      ',"total":' +
      integer(field(item(field(total.value, 'rows'), 0), 'total')).toString() +
      '}',
  );
  return 0;
}

/** DELETE /count (admins): resets the greeting counter and audits it. Outputs `{reset}`: whether there was one. */
export function reset(): i32 {
  const deleted = call(Fn.CacheDelete, COUNT);
  if (!deleted.ok) return failWith(deleted);
  const audited = call(Fn.AuditRecord, '{"action":"counter_reset","details":{"existed":' + deleted.value + '}}');
  if (!audited.ok) return failWith(audited);
  output('{"reset":' + deleted.value + '}');
  return 0;
}

/** For plugins.call (hello-grpc shows it): outputs `{count}`, the greeting count in the cache. */
export function currentCount(): i32 {
  const cached = call(Fn.CacheGet, COUNT);
  if (!cached.ok) return failWith(cached);
  output('{"count":' + integer(cached.value).toString() + '}');
  return 0;
}
