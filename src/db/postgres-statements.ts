import pg from 'pg';
import { createRequire } from 'node:module';
import { CACHED_PLAN_CHANGED, KEPT_STATEMENTS_PER_CONNECTION as CAPACITY } from './kept-statements.js';
import { namePoolWaitTimeout } from './errors.js';

/** pg's own mapping of a JavaScript value to a parameter, as its Query binds them. */
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils') as { prepareValue(value: unknown): unknown };

// Kept statements on the PostgreSQL server (docs/architecture.md, "Kept plans"): every statement
// with parameters is sent as a named prepared statement of its connection, parsed there once and
// then only bound and executed, its plan kept by the server (custom for the first five calls, then
// the generic plan when it costs no more). pg does the protocol: a query given a `name` is parsed
// on a connection the first time and reused after. What pg leaves out is a bound: each connection
// keeps at most CAPACITY statements and deallocates the least recently used one.
//
// And one thing pg does on every execution that a kept statement does not need: it asks the server
// to describe the result's columns (a Describe message, answered by a RowDescription that pg then
// turns into column parsers). A kept statement's columns never change while it is kept (if a
// migration changes them, PostgreSQL refuses to run it: CACHED_PLAN_CHANGED, and it is prepared
// again under a new name), so they are asked for on its first execution only: KeptQuery.

const KEPT = Symbol('portico kept statements');

interface KeptStatements {
  /** statement name by SQL text; the first entry is the least recently used */
  names: Map<string, string>;
  next: number;
  /** names to deallocate before the next statement */
  toDeallocate: string[];
  /** the result columns of each kept statement that returns rows, as its first execution described them */
  shapes: Map<string, Shape>;
}

/** What a RowDescription sets up in pg's Result: the columns, their parsers, the empty row. */
interface Shape {
  fields: unknown[];
  parsers: unknown[];
  empty: Record<string, null>;
}

/** pg's Query and Result, with the parts KeptQuery uses (pg 8; test/integration/kept-statements.test.ts guards them). */
interface QueryInternals {
  name?: string;
  portal: string;
  values: unknown[];
  binary?: boolean;
  rows?: number;
  callback?: unknown;
  _accumulateRows?: unknown;
  _result: { fields: unknown[]; _parsers: unknown[] | undefined; _prebuiltEmptyResultObject: Record<string, null> | null };
  hasBeenParsed(connection: unknown): boolean;
  listeners(event: string): unknown[];
  handleError(error: unknown, connection: unknown): void;
  _getRows(connection: unknown, rows: number | undefined): void;
}
type Connection = { bind(options: object): void; sync(): void };
const BaseQuery = pg.Query as unknown as new (text: string, values: unknown[], callback: unknown) => QueryInternals & {
  prepare(connection: Connection): void;
  handleRowDescription(message: { fields: unknown[] }): void;
};

/**
 * A kept statement's execution: the first one as pg runs it (Parse, Bind, Describe, Execute, Sync),
 * remembering the columns it was described with; every later one Bind, Execute, Sync, with those
 * columns set up as the RowDescription would have set them.
 */
class KeptQuery extends BaseQuery {
  readonly #shapes: Map<string, Shape>;

  constructor(config: { name: string; text: string; values: unknown[]; callback: (error: Error | null, result: unknown) => void }, shapes: Map<string, Shape>) {
    // pg's Query copies a config object property by property (its normalizeQueryConfig: 1.9 µs a
    // query here, against 0.2 given text, values and callback); the name is set after it
    super(config.text, config.values, config.callback);
    this.name = config.name;
    this.#shapes = shapes;
  }

  override prepare(connection: Connection): void {
    const shape = this.name === undefined ? undefined : this.#shapes.get(this.name);
    if (shape === undefined || !this.hasBeenParsed(connection)) return super.prepare(connection);
    try {
      connection.bind({ portal: this.portal, statement: this.name, values: this.values, binary: this.binary, valueMapper: prepareValue });
    } catch (error) {
      // A value that cannot be bound fails this query before anything was sent; the statement stays
      // kept (pg, which sends Parse in the same breath, closes it), and the Sync's ReadyForQuery
      // hands the connection on.
      connection.sync();
      this.handleError(error, connection);
      return;
    }
    const result = this._result;
    result.fields = shape.fields;
    result._parsers = shape.parsers;
    result._prebuiltEmptyResultObject = shape.empty;
    this._accumulateRows = this.callback || !this.listeners('row').length;
    this._getRows(connection, this.rows);
  }

  override handleRowDescription(message: { fields: unknown[] }): void {
    super.handleRowDescription(message);
    if (this.name !== undefined && !this.#shapes.has(this.name)) {
      const result = this._result;
      this.#shapes.set(this.name, { fields: result.fields, parsers: result._parsers ?? [], empty: result._prebuiltEmptyResultObject ?? {} });
    }
  }
}

/** pg's client, with what is used here: the statements it parsed, and the transaction status of the
 * server's last ReadyForQuery ('I' idle, 'T' in a transaction, 'E' failed). */
type Client = pg.ClientBase & { [KEPT]?: KeptStatements; connection?: { parsedStatements: Record<string, string> }; getTransactionStatus?(): string | null };
type QueryFunction = (config: unknown, values?: unknown, callback?: unknown) => unknown;

/**
 * Makes `client.query(text, values)` with values run `text` as a kept statement of this
 * connection. Queries without values (scripts, transaction control) and every other form of
 * query() go through unchanged. Idempotent: a pooled client is patched once.
 */
export function keepStatements<C extends pg.ClientBase>(client: C, capacity = CAPACITY): C {
  const c = client as Client;
  if (c[KEPT]) return client;
  const kept: KeptStatements = { names: new Map(), next: 0, toDeallocate: [], shapes: new Map() };
  c[KEPT] = kept;
  const original = client.query.bind(client) as QueryFunction;

  const nameFor = (text: string): string => {
    let name = kept.names.get(text);
    if (name) {
      kept.names.delete(text);
    } else {
      name = `portico_${kept.next++}`;
      while (kept.names.size >= capacity) {
        const [oldest, oldName] = kept.names.entries().next().value as [string, string];
        kept.names.delete(oldest);
        kept.toDeallocate.push(oldName);
      }
    }
    kept.names.set(text, name);
    return name;
  };

  const forget = (text: string) => {
    const name = kept.names.get(text);
    if (!name) return;
    kept.names.delete(text);
    kept.toDeallocate.push(name);
  };

  const run = async (text: string, values: unknown[]) => {
    while (kept.toDeallocate.length) {
      const name = kept.toDeallocate.shift()!;
      await original(`DEALLOCATE ${name}`);
      kept.shapes.delete(name);
      if (c.connection) delete c.connection.parsedStatements[name];
    }
    const name = nameFor(text);
    return new Promise((resolve, reject) => {
      original(new KeptQuery({ name, text, values, callback: (error, result) => (error ? reject(error) : resolve(result)) }, kept.shapes));
    });
  };

  (client as { query: QueryFunction }).query = (config: unknown, values?: unknown, callback?: unknown) => {
    if (typeof config !== 'string' || !Array.isArray(values) || values.length === 0 || callback !== undefined) {
      return original(config, values, callback);
    }
    return run(config, values).catch(async (error: unknown) => {
      // A kept plan that no longer fits its table is dropped. With no transaction open nothing ran:
      // run it again. Inside one the transaction is aborted anyway; the error says so.
      if ((error as { code?: unknown }).code !== CACHED_PLAN_CHANGED) throw error;
      forget(config);
      if (c.getTransactionStatus?.() !== 'I') throw error;
      return run(config, values);
    });
  };
  return client;
}

/**
 * The pool as Kysely's PostgresDialect sees it: the same pool (its options and Client class, which
 * Kysely uses to cancel a query), whose connect() hands out clients that keep their statements.
 * The pool's own query() (the job queue's raw SQL) is left as it is.
 */
export function poolKeepingStatements(pool: pg.Pool): pg.Pool {
  return new Proxy(pool, {
    get(target, property) {
      // a wait for a free connection that outlasts the pool's bound is named for the error handler (db/errors.ts)
      if (property === 'connect') return async () => keepStatements(await target.connect().catch(namePoolWaitTimeout));
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
