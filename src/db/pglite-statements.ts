import { protocol, types, type PGlite } from '@electric-sql/pglite';
import type { QueryResult } from 'kysely';
import type { BackendMessage, DataRowMessage, NotificationResponseMessage, CommandCompleteMessage } from 'pg-protocol/dist/messages.js';
import { Parser } from 'pg-protocol/dist/parser.js';
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
//
// A kept statement's answer is read from PostgreSQL's bytes by node-postgres's own parser
// (pg-protocol), not by PGlite's copy of it: PGlite's copies every value of every row into a new
// buffer before decoding it, which on a page of 50 requests was a tenth of the embedded server's
// CPU (docs/benchmarks.md, "A text search's plan, kept"). Reading the bytes itself, this class does
// what PGlite would have done with them: the first error is thrown, the rows are parsed with
// PGlite's parsers, and a notification a statement's commit sends (a trigger's pg_notify) is handed
// to the listeners registered with listenToKeptStatements — PGlite's own listeners hear only what
// its own calls return (COMMIT, query(), exec()).


/** Statements worth keeping: what Kysely's queries compile to (DDL and transaction control are not). */
const KEEPABLE = /^\s*(select|insert|update|delete|with)\b/i;


interface Kept {
  name: string;
  /** the type of each parameter, as PostgreSQL inferred it, to serialize values as PGlite does */
  parameterTypes: number[];
  /** the result's columns, each with PGlite's parser of its type (none for a statement that returns no rows) */
  columns: Column[];
}

interface Column {
  name: string;
  type: number;
  parse: ((value: string, type: number) => unknown) | undefined;
}

type Listener = (payload: string) => void;
/** per PGlite, per channel: who hears the notifications a kept statement's commit sends */
const keptListeners = new WeakMap<PGlite, Map<string, Set<Listener>>>();

/**
 * Hears the notifications sent on `channel` by the commits of kept statements of `pglite` (outside
 * a transaction, a statement commits as it ends); PGlite's own listen() hears the rest. Returns the
 * function that stops it.
 */
export function listenToKeptStatements(pglite: PGlite, channel: string, listener: Listener): () => void {
  let channels = keptListeners.get(pglite);
  if (!channels) keptListeners.set(pglite, (channels = new Map()));
  let listeners = channels.get(channel);
  if (!listeners) channels.set(channel, (listeners = new Set()));
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** A kept statement's answer from PostgreSQL's bytes, as PGlite's parseResults would give it. */
function readAnswer(pglite: PGlite, bytes: Buffer, columns: Column[]): { rows: Record<string, unknown>[]; affectedRows: number } {
  const rows: Record<string, unknown>[] = [];
  let affectedRows = 0;
  let error: Error | undefined;
  new Parser().parse(bytes, (message: BackendMessage) => {
    switch (message.name) {
      case 'dataRow': {
        const values = (message as DataRowMessage).fields;
        const row: Record<string, unknown> = {};
        for (let i = 0; i < columns.length; i++) {
          const { name, type, parse } = columns[i];
          const value = values[i];
          row[name] = value === null ? null : parse ? parse(value, type) : value;
        }
        rows.push(row);
        break;
      }
      case 'commandComplete': {
        const [command, ...rest] = (message as CommandCompleteMessage).text.split(' ');
        if (['INSERT', 'UPDATE', 'DELETE', 'COPY', 'MERGE'].includes(command)) affectedRows += Number.parseInt(rest.at(-1) ?? '0', 10);
        break;
      }
      case 'error':
        error ??= message as unknown as Error;
        break;
      case 'notification': {
        const { channel, payload } = message as NotificationResponseMessage;
        for (const listener of keptListeners.get(pglite)?.get(channel) ?? []) queueMicrotask(() => listener(payload));
        break;
      }
    }
  });
  if (error) throw error;
  return { rows, affectedRows };
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
      // the bytes are handed over as PostgreSQL writes them, in chunks that are views of PGlite's
      // memory: each is copied before the next is written
      const chunks: Buffer[] = [];
      await pglite.execProtocolRawStream(
        concat([protocol.serialize.bind({ statement: kept.name, values: values as string[] }), protocol.serialize.execute({}), protocol.serialize.sync()]),
        { syncToFs: false, onRawData: (chunk) => chunks.push(Buffer.from(chunk)) },
      );
      return readAnswer(pglite, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks), kept.columns);
    });
    if (!inTransaction) await pglite.syncToFs();
    return {
      numAffectedRows: BigInt(result.affectedRows),
      rows: result.rows as R[],
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
    const fields = (messages.find((m) => m.name === 'rowDescription') as { fields?: Array<{ name: string; dataTypeID: number }> } | undefined)?.fields ?? [];
    const columns = fields.map(({ name, dataTypeID: type }) => ({ name, type, parse: this.pglite.parsers[type] ?? types.parsers[type as keyof typeof types.parsers] }));
    const kept = { name, parameterTypes: parameters?.dataTypeIDs ?? [], columns };
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
