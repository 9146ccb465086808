import { parse, protocol, type PGlite } from '@electric-sql/pglite';
import type { QueryResult } from 'kysely';
import { CACHED_PLAN_CHANGED, KEPT_STATEMENTS_PER_CONNECTION as CAPACITY } from './kept-statements.js';

// Kept statements on the embedded database (docs/architecture.md, "Kept plans").
//
// PGlite's query() sends every statement as an unnamed one: parse, describe, bind, describe,
// execute and sync, six calls into the WebAssembly each, and PostgreSQL parses and plans the text
// again every time. Portico's statements come from a few hundred places in the code, each with its
// own text, so here each text is parsed once, as a named prepared statement, and every later call
// only binds and executes it: one call into the WebAssembly, and PostgreSQL keeps the plan as it
// does for a prepared statement on a server (a custom plan the first five times, then the generic
// one when it costs no more). A lookup statement took 0.15–0.33 ms this way against 0.7–1.3 ms.


/** Statements worth keeping: what Kysely's queries compile to (DDL and transaction control are not). */
const KEEPABLE = /^\s*(select|insert|update|delete|with)\b/i;


interface Kept {
  name: string;
  /** the type of each parameter, as PostgreSQL inferred it, to serialize values as PGlite does */
  parameterTypes: number[];
  /** the result's columns (undefined for a statement that returns no rows) */
  rowDescription: unknown;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export class PgliteStatements {
  /** by SQL text; a Map keeps insertion order, so the first entry is the least recently used */
  readonly #kept = new Map<string, Kept>();
  #next = 0;
  /** closed statements' names, closed with the next statement sent */
  #toClose: string[] = [];

  constructor(
    private readonly pglite: PGlite,
    private readonly capacity = CAPACITY,
  ) {}

  /** Whether `sql` runs as a kept statement (else through PGlite's query()). */
  static keeps(sql: string): boolean {
    return KEEPABLE.test(sql);
  }

  /** How many statements are kept now (tests, benchmarks). */
  get size(): number {
    return this.#kept.size;
  }

  /**
   * Runs `sql` with `parameters` as a kept statement. `inTransaction` says whether a transaction is
   * open: outside one, a statement whose kept plan no longer fits is prepared again and run once
   * more (nothing ran), and PGlite's files are synced after it as query() does.
   */
  async execute<R>(sql: string, parameters: readonly unknown[], inTransaction: boolean): Promise<QueryResult<R>> {
    try {
      return await this.#run<R>(sql, parameters, inTransaction);
    } catch (error) {
      if ((error as { code?: unknown }).code !== CACHED_PLAN_CHANGED || inTransaction) throw error;
      this.#forget(sql);
      return this.#run<R>(sql, parameters, inTransaction);
    }
  }

  async #run<R>(sql: string, parameters: readonly unknown[], inTransaction: boolean): Promise<QueryResult<R>> {
    const pglite = this.pglite;
    const result = await pglite.runExclusive(async () => {
      const kept = this.#kept.get(sql) ?? (await this.#prepare(sql));
      // most recently used last
      this.#kept.delete(sql);
      this.#kept.set(sql, kept);
      const values = parameters.map((value, i) => {
        if (value === null || value === undefined) return null;
        const serializer = pglite.serializers[kept.parameterTypes[i]];
        return serializer ? serializer(value) : String(value);
      });
      const messages = await pglite.execProtocolStream(
        concat([protocol.serialize.bind({ statement: kept.name, values: values as string[] }), protocol.serialize.execute({}), protocol.serialize.sync()]),
        { syncToFs: false },
      );
      const described = kept.rowDescription ? [kept.rowDescription, ...messages] : messages;
      return parse.parseResults(described as never, pglite.parsers, { rowMode: 'object' })[0];
    });
    if (!inTransaction) await pglite.syncToFs();
    return {
      numAffectedRows: result.affectedRows != null ? BigInt(result.affectedRows) : undefined,
      rows: (result.rows ?? []) as R[],
    };
  }

  /** Parses and describes `sql` as a new named statement (inside runExclusive), closing what is due. */
  async #prepare(sql: string): Promise<Kept> {
    while (this.#kept.size >= this.capacity) {
      const [oldest, kept] = this.#kept.entries().next().value as [string, Kept];
      this.#kept.delete(oldest);
      this.#toClose.push(kept.name);
    }
    const name = `portico_${this.#next++}`;
    const closing = this.#toClose.splice(0).map((n) => protocol.serialize.close({ type: 'S', name: n }));
    const messages = (await this.pglite.execProtocolStream(
      concat([...closing, protocol.serialize.parse({ name, text: sql, types: [] }), protocol.serialize.describe({ type: 'S', name }), protocol.serialize.sync()]),
      { syncToFs: false },
    )) as Array<{ name: string; dataTypeIDs?: number[] }>;
    const parameters = messages.find((m) => m.name === 'parameterDescription');
    const kept = { name, parameterTypes: parameters?.dataTypeIDs ?? [], rowDescription: messages.find((m) => m.name === 'rowDescription') };
    this.#kept.set(sql, kept);
    return kept;
  }

  #forget(sql: string) {
    const kept = this.#kept.get(sql);
    if (!kept) return;
    this.#kept.delete(sql);
    this.#toClose.push(kept.name);
  }
}
