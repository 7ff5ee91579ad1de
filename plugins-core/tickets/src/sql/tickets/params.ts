/**
 * Positional parameters for the statements the ticket builders assemble: each value gets the next `$n`, so a
 * filter that is absent adds neither SQL nor a parameter. Free of SDK imports, like everything under
 * `src/sql/tickets`, so the benchmark's bare server can run the very same statements.
 * @module
 */

/** One statement and its parameters, ready for `host.db.query` or `pg.Pool#query`. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/** Collects parameter values and hands out their placeholders. */
export class Params {
  readonly values: unknown[] = [];

  /**
   * Adds a value and answers its placeholder, cast when a type is given (PostgreSQL cannot always infer one,
   * e.g. for `$1 is null`).
   * @param value - the parameter
   * @param cast - a type such as `int[]` or `timestamptz`
   */
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }
}
