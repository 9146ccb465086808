import { fsyncSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import {
  Kysely,
  PGliteAdapter,
  PGliteDialect,
  PostgresDialect,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type TransactionSettings,
  type CompiledQuery,
  type KyselyConfig,
  type QueryResult,
} from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { currentCaller, LaneScheduler } from './lanes.js';
import { needsNewDatabase, unpackImage } from './unpack-image.js';
import { PgliteStatements } from './pglite-statements.js';
import { poolKeepingStatements } from './postgres-statements.js';
import { notePrincipalWrites } from './caller-cache.js';


export type Db = Kysely<Database>;

export interface DbHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  /**
   * Raw SQL for a library that brings its own statements (the job queue): one statement with
   * parameters, or a script of several without any. On PGlite it waits its turn for the one
   * connection like every Kysely query, so it never lands inside a request's transaction.
   */
  executeSql: SqlExecutor;
  close(): Promise<void>;
  /** PGlite: who waits for its one connection, and who got it (db/lanes.ts) */
  scheduler?: LaneScheduler;
  /** PGlite: see PgliteHandle */
  atCheckpoint?<T>(fn: () => Promise<T>): Promise<T>;
  /** what the caller cache listens through (db/caller-cache.ts): the PGlite instance, or the server's address */
  pglite?: PGlite;
  connectionString?: string;
  /** How the connections are used right now (the operator's metrics read it at each scrape). */
  poolUse(): PoolUse;
}

/** The connections of a database handle at one moment. */
export interface PoolUse {
  /** connections open (PGlite: its one) */
  open: number;
  /** of those, running a statement or held by a caller (a transaction holds one to its end) */
  busy: number;
  /** callers waiting for a connection */
  waiting: number;
  /** most connections the pool opens */
  max: number;
}

/**
 * Told of every statement the app's Kysely runs, with the time from sending it to its result (ms):
 * the operator's metrics (src/metrics.ts). Not the time spent waiting for a connection.
 */
export type QueryObserver = (elapsedMs: number, failed: boolean) => void;

/**
 * Kysely's `log` option: every statement passes here after it ran. Writes that may take access away
 * are counted (db/caller-cache.ts), and with a QueryObserver its time is told (Kysely measures each
 * statement as it has a log).
 */
function logTo(onQuery: QueryObserver | undefined): KyselyConfig['log'] {
  if (!onQuery) return (event) => notePrincipalWrites(event.query.sql);
  return (event) => {
    notePrincipalWrites(event.query.sql);
    onQuery(event.queryDurationMillis, event.level === 'error');
  };
}

export type SqlExecutor = (text: string, values?: unknown[]) => Promise<{ rows: any[] }>;

const INT8 = 20;
const NUMERIC = 1700;

// Both drivers return int8 and numeric as strings, so ids look the same on either database.
pg.types.setTypeParser(INT8, (v) => v);
pg.types.setTypeParser(NUMERIC, (v) => v);

/**
 * PGlite is a single connection. Kysely's PGliteDriver hands that one connection to every caller,
 * so without a lock a query from one request would run inside another request's open transaction.
 * This driver lets one caller hold the connection at a time (a transaction holds it to the end),
 * which gives the embedded default the same isolation as a pooled PostgreSQL server. Waiting
 * callers are served by lane (db/lanes.ts), so one site's queue of searches cannot make another
 * site's login wait behind all of it.
 */
class SerializedDriver implements Driver {
  #inner: Driver;
  readonly scheduler: LaneScheduler;
  readonly #statements: PgliteStatements | undefined;
  constructor(inner: Driver, options: { fairShare?: boolean; statements?: PgliteStatements } = {}) {
    this.#inner = inner;
    this.scheduler = new LaneScheduler({ fair: options.fairShare });
    this.#statements = options.statements;
  }
  init() {
    return this.#inner.init();
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    await this.scheduler.acquire(currentCaller());
    try {
      const connection = await this.#inner.acquireConnection();
      return new LockedConnection(connection, () => this.scheduler.release(), this.#statements);
    } catch (error) {
      this.scheduler.release();
      throw error;
    }
  }
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    await this.#inner.beginTransaction((connection as LockedConnection).inner, settings);
    (connection as LockedConnection).inTransaction = true;
  }
  async commitTransaction(connection: DatabaseConnection) {
    try {
      await this.#inner.commitTransaction((connection as LockedConnection).inner);
    } finally {
      (connection as LockedConnection).inTransaction = false;
    }
  }
  async rollbackTransaction(connection: DatabaseConnection) {
    try {
      await this.#inner.rollbackTransaction((connection as LockedConnection).inner);
    } finally {
      (connection as LockedConnection).inTransaction = false;
    }
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const locked = connection as LockedConnection;
    await this.#inner.releaseConnection(locked.inner);
    locked.release();
  }
  savepoint(connection: DatabaseConnection, name: string, compile: any) {
    return this.#inner.savepoint!((connection as LockedConnection).inner, name, compile);
  }
  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: any) {
    return this.#inner.rollbackToSavepoint!((connection as LockedConnection).inner, name, compile);
  }
  releaseSavepoint(connection: DatabaseConnection, name: string, compile: any) {
    return this.#inner.releaseSavepoint!((connection as LockedConnection).inner, name, compile);
  }
  destroy() {
    return this.#inner.destroy();
  }
}

class LockedConnection implements DatabaseConnection {
  inTransaction = false;
  constructor(
    readonly inner: DatabaseConnection,
    readonly release: () => void,
    readonly statements?: PgliteStatements,
  ) {}
  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    // The app's queries run as kept statements (db/pglite-statements.ts); the rest as PGlite runs them.
    if (this.statements && PgliteStatements.keeps(query.sql)) return this.statements.execute<R>(query.sql, query.parameters, this.inTransaction);
    return this.inner.executeQuery(query);
  }
  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery(query, chunkSize as number);
  }
}

/**
 * PGliteAdapter says it has one connection, which makes Kysely put its own first-come mutex in
 * front of the driver: SerializedDriver is that mutex here (with lanes), so the adapter must not.
 */
class SerializedPGliteAdapter extends PGliteAdapter {
  override get supportsMultipleConnections(): boolean {
    return true;
  }
}

class SerializedPGliteDialect extends PGliteDialect {
  readonly driver = { current: undefined as SerializedDriver | undefined };
  constructor(
    readonly config: ConstructorParameters<typeof PGliteDialect>[0] & { pglite: PGlite },
    readonly options: { fairShare?: boolean } = {},
  ) {
    super(config);
  }
  override createDriver(): Driver {
    this.driver.current = new SerializedDriver(super.createDriver(), { ...this.options, statements: new PgliteStatements(this.config.pglite) });
    return this.driver.current;
  }
  override createAdapter(): DialectAdapter {
    return new SerializedPGliteAdapter();
  }
}

/**
 * PostgreSQL's buffer pool inside PGlite. PGlite's default (PostgreSQL's, 128 MB) is memory of the
 * WebAssembly instance, touched as the database starts: about 100 MB of a server's resident memory
 * before its first request. 32 MB holds the demo data and the hot indexes of a help center many times
 * its size; a page not in it is read from the data directory's file, which the operating system
 * caches (docs/architecture.md, "Starting fast").
 */
const EMBEDDED_SHARED_BUFFERS = '32MB';

/**
 * Whether a commit on the embedded database reaches the disk before it is acknowledged
 * (PORTICO_EMBEDDED_FSYNC, default on; docs/operations.md, "Durability"). PGlite starts PostgreSQL
 * with `-F` (fsync off), and its Node file system (Emscripten's NODEFS) has no fsync: PostgreSQL's
 * fsync reaches nothing and its fdatasync is a no-op, so a commit is only written to the operating
 * system's cache — safe from a killed process, lost (or worse, a torn database) on power loss. On,
 * PostgreSQL runs with fsync=on and wal_sync_method=fsync, and NODEFS's fsync becomes the kernel's:
 * each commit fsyncs the write-ahead log before PGlite answers, as PostgreSQL does on a server.
 */
function durableStartParams(): string[] {
  return [...PGlite.defaultStartParams.filter((p) => p !== '-F'), '-c', 'fsync=on', '-c', 'wal_sync_method=fsync'];
}

/** The pieces of Emscripten's file system that durability needs (PGlite does not type them). */
interface EmscriptenFs {
  lookupPath(path: string): { node: { mount: { type: { stream_ops: { fsync?: (stream: { nfd?: number }) => number } } } } };
}

/** Where PGlite mounts the data directory inside its WebAssembly file system (its fs/nodefs.js). */
const PGLITE_DATA_MOUNT = '/pglite/data';
/** WASI's errno for an I/O error: PostgreSQL treats a failed fsync as fatal (data_sync_retry=off). */
const WASI_EIO = 29;

/** Makes NODEFS's fsync call the kernel's, so PostgreSQL's fsync of a file reaches the disk. */
function syncThroughToDisk(pglite: PGlite): void {
  const fs = (pglite as unknown as { mod?: { FS?: EmscriptenFs } }).mod?.FS;
  const ops = fs?.lookupPath(PGLITE_DATA_MOUNT).node.mount.type.stream_ops;
  if (!ops) throw new Error('This PGlite does not expose its file system: commits cannot be made durable. Set PORTICO_EMBEDDED_FSYNC=off to run without.');
  ops.fsync = (stream) => {
    if (stream.nfd === undefined) return 0; // a directory: NODEFS keeps no descriptor for it
    try {
      fsyncSync(stream.nfd);
      return 0;
    } catch {
      return WASI_EIO;
    }
  };
}

export interface PgliteHandle extends DbHandle {
  dump(compression?: 'none' | 'gzip'): Promise<Blob>;
  /**
   * Runs `fn` right after a checkpoint while no statement runs: the data directory's files then hold
   * every committed change and stay as they are until `fn` ends (a backup reads them; db/backup.ts).
   */
  atCheckpoint<T>(fn: () => Promise<T>): Promise<T>;
}

/**
 * Opens PGlite in `dataDir` (or in memory when dataDir is undefined). `loadDataDir` starts from a
 * dump made by `dumpPglite` instead of running initdb (tests use it: several times faster).
 */
export async function openPglite(
  dataDir: string | undefined,
  options: {
    loadDataDir?: Blob;
    /**
     * The file of the image of a new database (src/new-database-image.ts): unpacked into `dataDir`
     * when it holds no database yet, instead of running initdb. Asked for only then.
     */
    newDatabaseImage?: () => string | undefined;
    /** default true; false only to measure against (bench/) */
    fairShare?: boolean;
    onQuery?: QueryObserver;
    /**
     * A data directory only: each commit reaches the disk before it is acknowledged (default true;
     * PORTICO_EMBEDDED_FSYNC=off sets false). In memory there is no disk.
     */
    fsync?: boolean;
  } = {},
): Promise<PgliteHandle> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  if (dataDir && options.newDatabaseImage && needsNewDatabase(dataDir)) {
    const image = options.newDatabaseImage();
    if (image) await unpackImage(image, dataDir);
  }
  const loadDataDir = options.loadDataDir;
  const durable = Boolean(dataDir) && options.fsync !== false;
  const pglite = await PGlite.create(dataDir, {
    startParams: [...(durable ? durableStartParams() : PGlite.defaultStartParams), '-c', `shared_buffers=${EMBEDDED_SHARED_BUFFERS}`],
    // pg_trgm (trigram indexes for JQL text search, migration 20261128T2345_jql_perf) ships inside
    // the npm package (dist/pg_trgm.tar.gz) and is loaded from there: nothing is downloaded.
    extensions: { pg_trgm },
    parsers: { [INT8]: (v: string) => v, [NUMERIC]: (v: string) => v },
    ...(loadDataDir ? { loadDataDir } : {}),
  });
  if (durable) {
    try {
      syncThroughToDisk(pglite);
    } catch (error) {
      await pglite.close().catch(() => {});
      throw error;
    }
  }
  const dialect = new SerializedPGliteDialect({ pglite }, { fairShare: options.fairShare });
  const db = new Kysely<Database>({ dialect, log: logTo(options.onQuery) });
  const scheduler = dialect.driver.current!.scheduler;
  const executeSql: SqlExecutor = (text, values) =>
    // Holding a Kysely connection holds SerializedDriver's lock: PGlite is ours alone meanwhile.
    db.connection().execute(async () => {
      if (values && values.length > 0) return pglite.query(text, values);
      // PGlite's query() is the extended protocol (one statement); exec() runs a whole script.
      try {
        const results = await pglite.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      } catch (error) {
        // A script that opened a transaction and failed must not leave it open for the next caller.
        await pglite.exec('ROLLBACK').catch(() => {});
        throw error;
      }
    });
  // Holding a Kysely connection holds SerializedDriver's lock: no statement runs until fn ends.
  const atCheckpoint = <T>(fn: () => Promise<T>): Promise<T> =>
    db.connection().execute(async () => {
      await pglite.exec('CHECKPOINT');
      return fn();
    });
  return {
    db,
    kind: 'pglite',
    executeSql,
    close: () => db.destroy(),
    // Right after a checkpoint: a database opened from the dump then starts from that checkpoint
    // and replays almost no write-ahead log (the test template of the demo data carried 3.9 MB of it,
    // about a tenth of each test database's open: 578 → 518 ms, docs/architecture.md, "How npm test
    // spends its time"); so does a first start from the new-database image.
    dump: (compression = 'none') => atCheckpoint(() => pglite.dumpDataDir(compression)),
    atCheckpoint,
    scheduler,
    pglite,
    poolUse: () => ({ open: 1, busy: scheduler.busy ? 1 : 0, waiting: scheduler.waiting, max: 1 }),
  };
}

/**
 * How long one SQL statement of a request may run on PostgreSQL before the server cancels it
 * (PORTICO_STATEMENT_TIMEOUT_MS). A statement that waits for a lock counts too, so no request can
 * hold a pooled connection — or a row another request needs — for longer. The JQL budget keeps
 * every search well under it; migrations run without it (server.ts).
 */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 5000;

/**
 * How many connections a server's pool opens when PORTICO_DB_POOL_SIZE does not say: twice this
 * machine's cores, at least 4 and at most 10. More statements in flight than the cores can run only
 * adds switching between processes: on two cores with PostgreSQL beside Portico, a pool of 4 against
 * 10 served 3,150 against 2,800 picker searches a second and a quarter more JQL searches by email, with
 * lower p99s (docs/benchmarks.md, "a pool the size of the machine"). A database on a larger machine
 * of its own may want more: the variable says so.
 */
export function defaultPoolSize(cores: number = availableParallelism()): number {
  return Math.min(10, Math.max(4, 2 * cores));
}

export interface PostgresOptions {
  /** connections in the pool; default 10 (the server passes its configured size: defaultPoolSize) */
  poolSize?: number;
  /** statement_timeout of every connection in ms; 0 disables it; default DEFAULT_STATEMENT_TIMEOUT_MS */
  statementTimeoutMs?: number;
  onQuery?: QueryObserver;
}

/** How long the PostgreSQL pool keeps a connection nobody uses (openPostgres). */
const IDLE_CONNECTION_MS = 5 * 60_000;

export function openPostgres(connectionString: string, options: PostgresOptions | number = {}): DbHandle {
  const { poolSize = 10, statementTimeoutMs = DEFAULT_STATEMENT_TIMEOUT_MS, onQuery } = typeof options === 'number' ? { poolSize: options } : options;
  // Both are startup parameters: every connection of the pool has them from its first statement
  // on, with no SET that a pooled connection could lose or leak. JIT is off because Portico's
  // statements are short look-ups: the planner's estimates for a large OR made the server spend
  // more than a second compiling one search (1.27 s of 1.6 s for ten participant clauses at 10,000
  // requests), which is what the statement timeout would then have cut.
  //
  // An idle connection is kept for five minutes, not pg's ten seconds: each one keeps the statements
  // it has prepared (db/postgres-statements.ts), and a burst after ten quiet seconds paid for new
  // connections and for preparing every statement again on each — the first of ten revokes at once
  // answered in 127 ms instead of 27 (docs/benchmarks.md, "A revoke's cost at ten at once").
  //
  // A request waits for a free connection no longer than twice what a statement may run (pg's
  // connectionTimeoutMillis; 0, no statement timeout, is no bound either): past it the pool gives
  // up, and the request answers 503 with nothing done, like a statement stopped by the timeout
  // (db/errors.ts). Without a bound, requests queued behind a busy pool would wait for as long as it
  // stays busy, long after their clients gave up. Twice, not once: a request that comes just after
  // the pool filled with statements that run to the timeout gets its connection when they are
  // stopped — a wait as long as one statement's, plus the moment it takes to hand the connection
  // over, which a bound of exactly one statement's time refused about as often as it let through.
  const pool = new pg.Pool({
    connectionString,
    max: poolSize,
    idleTimeoutMillis: IDLE_CONNECTION_MS,
    connectionTimeoutMillis: 2 * statementTimeoutMs,
    statement_timeout: statementTimeoutMs,
    options: '-c jit=off',
  });
  // An idle connection the server ends (a restart, a failover, an administrator, a dropped test
  // database) makes the pool emit 'error'; unheard, that would end the whole process. The pool has
  // already dropped that connection and opens a new one when a query needs it.
  pool.on('error', () => {});
  // The app's statements are kept by each connection (db/postgres-statements.ts).
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: poolKeepingStatements(pool) }), log: logTo(onQuery) });
  // pg sends a query without parameters with the simple protocol, so a script of several runs too.
  const executeSql: SqlExecutor = (text, values) => pool.query(text, values as unknown[] | undefined);
  return {
    db,
    kind: 'postgres',
    executeSql,
    close: () => db.destroy(),
    connectionString,
    poolUse: () => ({ open: pool.totalCount, busy: pool.totalCount - pool.idleCount, waiting: pool.waitingCount, max: poolSize }),
  };
}

/**
 * The database of a server: PostgreSQL when DATABASE_URL is set, else PGlite in PORTICO_DATA_DIR.
 * PGlite runs each statement to its end (it is single-threaded WebAssembly and ignores
 * statement_timeout), so there only the JQL budget bounds a statement.
 */
export async function openDatabase(
  env: { DATABASE_URL?: string; PORTICO_DATA_DIR?: string },
  options: PostgresOptions & { newDatabaseImage?: () => string | undefined; fsync?: boolean } = {},
): Promise<DbHandle> {
  const { newDatabaseImage, fsync, ...postgres } = options;
  if (env.DATABASE_URL) return openPostgres(env.DATABASE_URL, postgres);
  return openPglite(env.PORTICO_DATA_DIR || './data', { newDatabaseImage, fsync, onQuery: options.onQuery });
}
