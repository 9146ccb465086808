import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { listenToKeptStatements } from './pglite-statements.js';
import { keepStatements } from './postgres-statements.js';

/** One statement through the app's connection (db/connection.ts, DbHandle.executeSql). */
type SqlExecutor = (text: string, values?: unknown[]) => Promise<{ rows: any[] }>;

// The instance's cache of callers (docs/architecture.md, "The caller cache"): who an API token or a
// session cookie is, kept so that a request in steady use asks the database nothing before its
// handler. It is safe only because of three rules, each checked here:
//
// 1. Every change to what the caller statement reads notifies every instance at commit (triggers of
//    migration 20261205T0500 on the channel CHANNEL): "a <account id>" drops that account's
//    callers, "*" drops all.
// 2. An instance uses its cache only while it has heard, within HALF_LEASE_MS of sending it, the
//    newest of its own notifications that it sends every PING_EVERY_MS. PostgreSQL delivers a
//    session's notifications in commit order, so hearing one sent at time s means every change
//    committed before s has been heard too. An instance whose listening connection stalls or dies
//    stops using its cache HALF_LEASE_MS after its last ping at the latest.
// 3. A change that takes access away answers only after settle(): it notifies a barrier after its
//    commit and waits until every instance holding a lease has acknowledged it (each acknowledges
//    after dropping what came before), or LEASE_MS have passed — by then an instance that did not
//    answer has stopped using its cache by rule 2. An instance without a lease renewed its lease
//    last more than LEASE_MS ago, so its cache lapsed long before.
//
// A read whose answer is to be cached takes a ticket first; a notification that arrives before the
// answer is kept (a change committed while the read ran) spoils the ticket, and the answer is used
// for that one request only. Only active callers are kept: a refused credential is read every time.

export const CHANNEL = 'portico_principals';
/** The longest a change waits for an instance that does not answer. */
export const LEASE_MS = 2000;
const HALF_LEASE_MS = LEASE_MS / 2;
const PING_EVERY_MS = 200;
/** A kept caller is read again at least this often (a session's idle expiry and last use stay near). */
export const CALLER_TTL_MS = 30_000;
const MAX_ENTRIES = 20_000;

export interface Ticket {
  readonly generation: number;
}

/** A ticket for a JQL look-up read (LookUpNotices): which changes of its site had been heard before it. */
export interface LookUpTicket {
  readonly everywhere: number;
  readonly site: number;
}

/**
 * Whether a kept JQL look-up (use-cases/filters/jql-search.ts) or a kept picker answer
 * (db/queries/user-picker.ts) still says what the database would:
 * it does while no change to what a look-up of its site reads has been heard since the ticket taken
 * before it was read, and the cache may be used (rule 2 below: every change committed up to half a
 * lease ago has been heard). Changes announce themselves as "l <site id>" or "l *" (migrations
 * 20261207T1000_look_up_notices, 20261207T1100_picker_notices), and a request that made one answers
 * after settle() (rule 3).
 */
export interface LookUpNotices {
  /** taken before a look-up is read; null when notices may not be relied on now */
  lookUpTicket(siteId: string): LookUpTicket | null;
  /** true while nothing a look-up of the site reads has been heard to change since `ticket` */
  lookUpHolds(siteId: string, ticket: LookUpTicket): boolean;
}

export interface CallerCache<P> extends LookUpNotices {
  /** the kept caller of this credential, when the cache may be used now */
  get(key: string): P | undefined;
  /** taken before a read whose answer may be kept; null when the cache may not be used now */
  ticket(): Ticket | null;
  /** keeps a read's answer, unless a change was heard since its ticket */
  put(key: string, ticket: Ticket, accountId: string, principal: P, ttlMs: number): void;
  /** resolves once every instance has dropped the callers that changes committed before the call touched */
  settle(): Promise<void>;
  /** whether the cache may be used now (tests, metrics) */
  usable(): boolean;
  readonly instanceId: string;
  close(): Promise<void>;
}

/** How the cache hears and sends notifications: PostgreSQL's LISTEN/NOTIFY on either database. */
interface Transport {
  /** starts listening; `down` is called when the listening connection is lost (then it reconnects) */
  start(onMessage: (payload: string) => void, onUp: () => void, onDown: () => void): Promise<void>;
  notify(payload: string): Promise<void>;
  /**
   * Notifies a barrier and reads, in the same statement (one round trip), the instances it must hear
   * back from (PostgreSQL: those holding a lease); null when there is one instance. Reading the leases
   * in the notification's own statement rather than after its commit misses no one: an instance
   * that takes a lease later started after the change committed, so it holds nothing the change spoils.
   */
  barrier(payload: string): Promise<string[] | null>;
  /** whether usability needs the ping loop (PostgreSQL) or lasts while listening (PGlite: one process) */
  readonly pings: boolean;
  /** sends a ping: renews the lease and notifies `payload` in one transaction */
  ping(payload: string): Promise<void>;
  close(): Promise<void>;
}

interface Entry<P> {
  principal: P;
  accountId: string;
  expiresAt: number;
}

/**
 * One barrier notification and the settle() calls it answers: every call that came while it was
 * still unsent (their changes committed before it is sent, so it comes after them on the channel).
 */
interface Barrier {
  id: string;
  acked: Set<string>;
  waitingFor: string[] | null;
  /** each settle() call's own resolve; a call that gives up (its lease timer) leaves */
  waiters: Set<() => void>;
}

class Cache<P> implements CallerCache<P> {
  readonly instanceId = randomUUID();
  #entries = new Map<string, Entry<P>>();
  #byAccount = new Map<string, Set<string>>();
  #generation = 0;
  /** performance.now() until which the cache may be used */
  #usableUntil = 0;
  #pingsSent = new Map<number, number>();
  #nextPing = 1;
  #pingTimer: NodeJS.Timeout | undefined;
  #barriers = new Map<string, Barrier>();
  /** the barrier the settle() calls of now will share, not yet sent */
  #openBarrier: Barrier | null = null;
  /** whether a barrier is being sent: the next waits for it (they would queue on one connection anyway) */
  #sendingBarrier = false;
  #closed = false;
  /** grows with every "l *" (and whenever the cache is cleared); then the per-site counts start again */
  #lookUpsEverywhere = 0;
  #lookUpsBySite = new Map<string, number>();

  readonly transport: Transport;
  constructor(makeTransport: (instanceId: string) => Transport) {
    this.transport = makeTransport(this.instanceId);
  }

  async start(): Promise<void> {
    await this.transport.start(
      (payload) => this.#heard(payload),
      () => this.#up(),
      () => this.#down(),
    );
  }

  get(key: string): P | undefined {
    const now = performance.now();
    if (now >= this.#usableUntil) return undefined;
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (now >= entry.expiresAt) {
      this.#drop(key, entry);
      return undefined;
    }
    return entry.principal;
  }

  ticket(): Ticket | null {
    return performance.now() < this.#usableUntil ? { generation: this.#generation } : null;
  }

  put(key: string, ticket: Ticket, accountId: string, principal: P, ttlMs: number): void {
    const now = performance.now();
    if (ticket.generation !== this.#generation || now >= this.#usableUntil || !(ttlMs > 0)) return;
    const old = this.#entries.get(key);
    if (old) this.#drop(key, old);
    if (this.#entries.size >= MAX_ENTRIES) {
      const [oldestKey, oldest] = this.#entries.entries().next().value as [string, Entry<P>];
      this.#drop(oldestKey, oldest);
    }
    this.#entries.set(key, { principal, accountId, expiresAt: now + Math.min(ttlMs, CALLER_TTL_MS) });
    let keys = this.#byAccount.get(accountId);
    if (!keys) this.#byAccount.set(accountId, (keys = new Set()));
    keys.add(key);
  }

  usable(): boolean {
    return performance.now() < this.#usableUntil;
  }

  lookUpTicket(siteId: string): LookUpTicket | null {
    return this.usable() ? { everywhere: this.#lookUpsEverywhere, site: this.#lookUpsBySite.get(siteId) ?? 0 } : null;
  }

  lookUpHolds(siteId: string, ticket: LookUpTicket): boolean {
    return this.usable() && ticket.everywhere === this.#lookUpsEverywhere && ticket.site === (this.#lookUpsBySite.get(siteId) ?? 0);
  }

  async settle(): Promise<void> {
    let done!: () => void;
    const settled = new Promise<void>((resolve) => (done = resolve));
    // Each call waits at most the whole lease from its own start (after its change's commit): by
    // then an instance that did not answer has stopped using its cache (rule 2).
    const timer = setTimeout(done, LEASE_MS);
    // Changes that settle at once share one barrier (group commit): a call joins only a barrier not
    // yet sent, so the barrier still comes after its change on the channel. Ten revokes at once send
    // two or three barriers instead of ten (each a commit that takes PostgreSQL's notification lock,
    // and an acknowledgement from every other instance).
    const barrier = this.#openBarrier ?? this.#openNewBarrier();
    barrier.waiters.add(done);
    this.#sendOpenBarrier();
    await settled;
    clearTimeout(timer);
    barrier.waiters.delete(done);
    if (barrier.waiters.size === 0 && barrier !== this.#openBarrier) this.#barriers.delete(barrier.id);
  }

  #openNewBarrier(): Barrier {
    const barrier: Barrier = { id: randomUUID(), acked: new Set(), waitingFor: null, waiters: new Set() };
    this.#barriers.set(barrier.id, barrier);
    this.#openBarrier = barrier;
    return barrier;
  }

  /** Sends the open barrier unless one is being sent; when that one is sent, the open one goes next. */
  #sendOpenBarrier(): void {
    const barrier = this.#openBarrier;
    if (this.#sendingBarrier || !barrier) return;
    this.#openBarrier = null;
    if (barrier.waiters.size === 0) {
      this.#barriers.delete(barrier.id);
      return;
    }
    this.#sendingBarrier = true;
    void (async () => {
      try {
        // after the changes' commits: every instance hears them before this barrier
        barrier.waitingFor = (await this.transport.barrier(`barrier ${this.instanceId} ${barrier.id}`)) ?? [this.instanceId];
        this.#checkBarrier(barrier);
      } catch {
        // The barrier could not be sent or the leases read: its calls wait their whole lease, after
        // which no instance that missed the change still uses its cache (rule 2).
      } finally {
        this.#sendingBarrier = false;
        this.#sendOpenBarrier();
      }
    })();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#pingTimer);
    this.#usableUntil = 0;
    this.#clear();
    for (const barrier of this.#barriers.values()) for (const done of barrier.waiters) done();
    await this.transport.close();
  }

  #up(): void {
    if (this.#closed) return;
    if (!this.transport.pings) {
      this.#usableUntil = Number.POSITIVE_INFINITY;
      return;
    }
    clearInterval(this.#pingTimer);
    let inFlight = false;
    const ping = () => {
      if (inFlight) return; // one at a time: a ping held up says enough
      inFlight = true;
      const seq = this.#nextPing++;
      this.#pingsSent.set(seq, performance.now());
      this.transport
        .ping(`ping ${this.instanceId} ${seq}`)
        .catch(() => {})
        .finally(() => (inFlight = false));
    };
    ping();
    this.#pingTimer = setInterval(ping, PING_EVERY_MS);
    this.#pingTimer.unref();
  }

  #down(): void {
    clearInterval(this.#pingTimer);
    this.#usableUntil = 0;
    this.#pingsSent.clear();
    this.#clear();
  }

  #heard(payload: string): void {
    if (payload === '*') {
      this.#clear();
      return;
    }
    const [kind, a, b, c] = payload.split(' ');
    if (kind === 'l' && a) {
      if (a === '*' || this.#lookUpsBySite.size >= MAX_ENTRIES) this.#spoilLookUps();
      else this.#lookUpsBySite.set(a, (this.#lookUpsBySite.get(a) ?? 0) + 1);
    } else if (kind === 'a' && a) {
      this.#generation++;
      const keys = this.#byAccount.get(a);
      if (keys) for (const key of [...keys]) this.#drop(key, this.#entries.get(key)!);
    } else if (kind === 'ping' && a === this.instanceId) {
      const seq = Number(b);
      const sentAt = this.#pingsSent.get(seq);
      if (sentAt === undefined) return;
      for (const s of this.#pingsSent.keys()) if (s <= seq) this.#pingsSent.delete(s);
      this.#usableUntil = Math.max(this.#usableUntil, sentAt + HALF_LEASE_MS);
    } else if (kind === 'barrier' && a && b) {
      // Heard after every change committed before it, so what those changes touched is dropped.
      if (a === this.instanceId) this.#acked(b, this.instanceId);
      else this.transport.notify(`ack ${a} ${b} ${this.instanceId}`).catch(() => {});
    } else if (kind === 'ack' && a === this.instanceId && b && c) {
      this.#acked(b, c);
    }
  }

  #acked(barrierId: string, by: string): void {
    const barrier = this.#barriers.get(barrierId);
    if (!barrier) return;
    barrier.acked.add(by);
    this.#checkBarrier(barrier);
  }

  #checkBarrier(barrier: Barrier): void {
    if (barrier.waitingFor && barrier.waitingFor.every((id) => barrier.acked.has(id))) for (const done of barrier.waiters) done();
  }

  #clear(): void {
    this.#generation++;
    this.#entries.clear();
    this.#byAccount.clear();
    this.#spoilLookUps();
  }

  /** Every look-up ticket taken so far stops holding. */
  #spoilLookUps(): void {
    this.#lookUpsEverywhere++;
    this.#lookUpsBySite.clear();
  }

  #drop(key: string, entry: Entry<P>): void {
    this.#entries.delete(key);
    const keys = this.#byAccount.get(entry.accountId);
    if (keys) {
      keys.delete(key);
      if (keys.size === 0) this.#byAccount.delete(entry.accountId);
    }
  }
}

/** PostgreSQL server: a connection of its own that listens, pings and renews the lease. */
class PostgresTransport implements Transport {
  readonly pings = true;
  #client: pg.Client | null = null;
  #closed = false;
  #retry: NodeJS.Timeout | undefined;
  #handlers!: { message: (p: string) => void; up: () => void; down: () => void };
  /** the listening connection's last query: pings, barriers and acks take turns on it, as pg 9 will require */
  #last: Promise<unknown> = Promise.resolve();

  constructor(
    readonly connectionString: string,
    readonly instanceId: string,
  ) {}

  /** Runs a query on the listening connection after the ones sent before it. */
  #query<R extends pg.QueryResultRow>(client: pg.Client, text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    const run = this.#last.then(() => client.query<R>(text, values));
    this.#last = run.catch(() => {});
    return run;
  }

  async start(message: (p: string) => void, up: () => void, down: () => void): Promise<void> {
    this.#handlers = { message, up, down };
    await this.#connect();
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    // its statements kept as the app's are (docs/architecture.md, "Kept plans"): the ping, the
    // barrier and the acknowledgement are sent again and again, and parsing and planning each anew
    // cost PostgreSQL more than running it
    const client = keepStatements(new pg.Client({ connectionString: this.connectionString, application_name: `portico callers ${this.instanceId}` }));
    const lost = () => {
      if (this.#client !== client) return;
      this.#client = null;
      client.end().catch(() => {});
      this.#handlers.down();
      if (!this.#closed) {
        this.#retry = setTimeout(() => void this.#connect().catch(() => {}), 500);
        this.#retry.unref();
      }
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (m) => {
      if (m.channel === CHANNEL && m.payload !== undefined && this.#client === client) this.#handlers.message(m.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      // instances that stopped without saying so, long gone
      await client.query(`DELETE FROM principal_cache_instances WHERE lease_until < now() - interval '1 hour'`);
    } catch (error) {
      client.removeAllListeners('end');
      client.end().catch(() => {});
      if (!this.#closed) {
        this.#retry = setTimeout(() => void this.#connect().catch(() => {}), 500);
        this.#retry.unref();
      }
      throw error;
    }
    this.#client = client;
    this.#last = Promise.resolve(); // a lost connection's queries do not hold up the new one's
    this.#handlers.up();
  }

  async ping(payload: string): Promise<void> {
    const client = this.#client;
    if (!client) return;
    await this.#query(client, 
      `WITH lease AS (
         INSERT INTO principal_cache_instances (instance_id, lease_until) VALUES ($1::uuid, now() + make_interval(secs => $3::float8))
         ON CONFLICT (instance_id) DO UPDATE SET lease_until = EXCLUDED.lease_until
         RETURNING instance_id)
       SELECT pg_notify('${CHANNEL}', $2::text) FROM lease`,
      [this.instanceId, payload, LEASE_MS / 1000],
    );
  }

  async notify(payload: string): Promise<void> {
    const client = this.#client;
    if (!client) throw new Error('not listening');
    await this.#query(client, `SELECT pg_notify('${CHANNEL}', $1::text)`, [payload]);
  }

  async barrier(payload: string): Promise<string[]> {
    const client = this.#client;
    if (!client) throw new Error('not listening');
    const { rows } = await this.#query<{ ids: string[] }>(
      client,
      `SELECT array(SELECT instance_id::text FROM principal_cache_instances WHERE lease_until > now()) AS ids, pg_notify('${CHANNEL}', $1::text)`,
      [payload],
    );
    return rows[0].ids;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = null;
    if (!client) return;
    // give up the lease, so no change waits for this instance
    await this.#query(client, `DELETE FROM principal_cache_instances WHERE instance_id = $1::uuid`, [this.instanceId]).catch(() => {});
    await client.end().catch(() => {});
  }
}

/**
 * The embedded database: one process, one PGlite, so the cache's own listener hears every change
 * (PGlite hands a committed transaction's notifications to its listeners as it returns the commit).
 * Sending goes through the app's connection lock (executeSql), never into another request's
 * transaction.
 */
class PgliteTransport implements Transport {
  readonly pings = false;
  #unlisten: (() => Promise<void>) | undefined;
  constructor(
    readonly pglite: PGlite,
    readonly executeSql: SqlExecutor,
  ) {}
  async start(message: (p: string) => void, up: () => void): Promise<void> {
    // PGlite's listeners hear what its own calls return; a kept statement's commit (a revoke outside
    // a transaction) is read by db/pglite-statements.ts, which hands its notifications on
    const unlistenKept = listenToKeptStatements(this.pglite, CHANNEL, message);
    const unlisten = await this.pglite.listen(CHANNEL, message);
    this.#unlisten = async () => {
      unlistenKept();
      await unlisten();
    };
    up();
  }
  async notify(payload: string): Promise<void> {
    await this.executeSql(`SELECT pg_notify('${CHANNEL}', $1::text)`, [payload]);
  }
  async barrier(payload: string): Promise<null> {
    await this.notify(payload);
    return null;
  }
  async ping(): Promise<void> {}
  async close(): Promise<void> {
    await this.#unlisten?.().catch(() => {});
  }
}

/** The caller cache of an instance on this database (started: listening, and usable once it hears its first ping). */
export async function openCallerCache<P>(handle: { kind: 'pglite' | 'postgres'; pglite?: PGlite; connectionString?: string; executeSql: SqlExecutor }): Promise<CallerCache<P>> {
  const { pglite, connectionString } = handle;
  let cache: Cache<P>;
  if (handle.kind === 'pglite') {
    if (!pglite) throw new Error('the caller cache needs the PGlite instance');
    cache = new Cache<P>(() => new PgliteTransport(pglite, handle.executeSql));
  } else {
    if (!connectionString) throw new Error('the caller cache needs the connection string');
    cache = new Cache<P>((instanceId) => new PostgresTransport(connectionString, instanceId));
  }
  await cache.start();
  return cache;
}

// Which requests must settle: a request that wrote to a table the caller statement reads in a way
// that may take access away (an update or a delete; an insert only adds), or wrote in any way to what
// a JQL look-up or a user picker reads (LookUpNotices: a new customer can be what a kept look-up
// found nobody for, and terms written back on a grant what a kept picker answer lacks),
// settles before it answers (http/plugins/auth.ts). Every statement an app sends passes
// notePrincipalWrites (db/connection.ts, Kysely's log hook); the epoch grows with each such statement. The once-a-minute bookkeeping of a
// credential's use (db/queries/caller.ts) lengthens a session or records a time and says so with
// the marker below, so it does not count.
const WRITES_PRINCIPAL = /\b(update|delete\s+from)\s+"?(accounts|sessions|api_tokens|org_admins|site_admins|project_agents|sites)"?[\s(]/i;
const WRITES_LOOK_UPS = /\b(insert\s+into|update|delete\s+from)\s+"?(accounts|account_search_terms|org_admins|site_admins|project_agents|custom_fields|projects)"?[\s(]/i;
export const NOT_A_PRINCIPAL_CHANGE = '/* use recorded */';
const verdicts = new Map<string, boolean>();
let writeEpoch = 0;

export function notePrincipalWrites(sqlText: string): void {
  let writes = verdicts.get(sqlText);
  if (writes === undefined) {
    writes = !sqlText.includes(NOT_A_PRINCIPAL_CHANGE) && (WRITES_PRINCIPAL.test(sqlText) || WRITES_LOOK_UPS.test(sqlText));
    if (verdicts.size > 5000) verdicts.clear();
    verdicts.set(sqlText, writes);
  }
  if (writes) writeEpoch++;
}

/** Grows with every statement of this process that may have taken access away. */
export function principalWriteEpoch(): number {
  return writeEpoch;
}
