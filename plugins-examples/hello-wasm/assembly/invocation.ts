// What the kernel passes to every handler: the UTF-8 JSON document `{"input": …, "context": …}`, where the
// context names the plugin, the handler, the user the call acts for (null for kernel-initiated work such as an
// event delivery), their locale and the request id.
import { Host } from '@extism/as-pdk';
import { field, integer, text } from './json';

/** The parts of one invocation the handlers use. */
export class Invocation {
  constructor(
    /** The handler's input as raw JSON; for a route, `{method, path, params, query, body}`. */
    public input: string,
    /** The acting user's id, or 0 when the call acts for no user. */
    public userId: i64,
    public login: string,
    public locale: string,
  ) {}
}

/** Reads this call's invocation document. */
export function invocation(): Invocation {
  const doc = Host.inputString();
  const context = field(doc, 'context');
  const user = field(context, 'user');
  return new Invocation(
    field(doc, 'input'),
    integer(field(user, 'id')),
    text(field(user, 'login')),
    text(field(context, 'locale'), 'en'),
  );
}
