import type pg from 'pg';
import { CACHED_PLAN_CHANGED, KEPT_STATEMENTS_PER_CONNECTION as CAPACITY } from './kept-statements.js';

// Kept statements on the PostgreSQL server (docs/architecture.md, "Kept plans"): every statement
// with parameters is sent as a named prepared statement of its connection, parsed there once and
// then only bound and executed, its plan kept by the server (custom for the first five calls, then
// the generic plan when it costs no more). pg does the protocol: a query given a `name` is parsed
// on a connection the first time and reused after. What pg leaves out is a bound: each connection
// keeps at most CAPACITY statements and deallocates the least recently used one.



const KEPT = Symbol('portico kept statements');

interface KeptStatements {
  /** statement name by SQL text; the first entry is the least recently used */
  names: Map<string, string>;
  next: number;
  /** names to deallocate before the next statement */
  toDeallocate: string[];
}

/** pg's client, with what is used here: the statements it parsed, and the transaction status of the
 * server's last ReadyForQuery ('I' idle, 'T' in a transaction, 'E' failed). */
type Client = pg.PoolClient & { [KEPT]?: KeptStatements; connection?: { parsedStatements: Record<string, string> }; getTransactionStatus?(): string | null };
type QueryFunction = (config: unknown, values?: unknown, callback?: unknown) => unknown;

/**
 * Makes `client.query(text, values)` with values run `text` as a kept statement of this
 * connection. Queries without values (scripts, transaction control) and every other form of
 * query() go through unchanged. Idempotent: a pooled client is patched once.
 */
export function keepStatements(client: pg.PoolClient, capacity = CAPACITY): pg.PoolClient {
  const c = client as Client;
  if (c[KEPT]) return client;
  const kept: KeptStatements = { names: new Map(), next: 0, toDeallocate: [] };
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
      if (c.connection) delete c.connection.parsedStatements[name];
    }
    return original({ name: nameFor(text), text, values });
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
      if (property === 'connect') return async () => keepStatements(await target.connect());
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
