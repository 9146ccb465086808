import { Counter, Gauge, Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import type { DbHandle, PoolUse } from './db/connection.js';
import type { UseCaseCounters } from './use-cases/context.js';

// What a server process counts for Prometheus (docs/operations.md, "Metrics"): one registry per
// server (two apps in one process — tests — never add to each other's counts), read at GET /metrics.
// Labels are bounded by the code, never by the data: a route's pattern (`/s/:site/rest/api/3/myself`),
// never its URL, so no site slug, key or id becomes a time series of its own, and nothing in a scrape
// names an organization or a person (docs/security.md, T1).

/** Jobs in the queue by queue name and state, read from the queue's tables at each scrape. */
export interface QueueDepth {
  queue: string;
  state: 'waiting' | 'active' | 'failed';
  jobs: number;
}

/** A request's route label when no route matched (the web app's pages, unknown paths). */
export const UNMATCHED_ROUTE = '(unmatched)';

/** Bounds of the latency histograms, in seconds: a look-up takes about a millisecond, a search tens. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** How long a scrape waits for the queue's depth before it leaves it out. */
const QUEUE_DEPTH_TIMEOUT_MS = 2000;

/**
 * A histogram whose observations cost a bucket search and three additions: prom-client's own checks
 * and hashes its labels on every observation (about 2 µs per observation on this machine, against 15–25 ns here;
 * docs/benchmarks.md, "Metrics"). Its series are looked up once by the caller and kept; the registry
 * reads them in Prometheus's format at each scrape through `get()`, as it reads its own metrics.
 */
class FastHistogram<L extends string> {
  readonly #series = new Map<string, FastSeries<L>>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: readonly number[],
  ) {}

  /** The series of `labels` (made at 0 the first time). */
  series(labels: Record<L, string>): FastSeries<L> {
    const key = JSON.stringify(labels);
    let series = this.#series.get(key);
    if (!series) {
      series = new FastSeries(labels, this.bounds);
      this.#series.set(key, series);
    }
    return series;
  }

  /** As a histogram for the registry: `name_bucket`, `name_sum`, `name_count`. */
  asHistogram(): Metric<L> {
    const { name, help } = this;
    const get = async () => {
      const values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> = [];
      for (const s of this.#series.values()) {
        let cumulative = 0;
        this.bounds.forEach((bound, i) => {
          cumulative += s.buckets[i];
          values.push({ labels: { ...s.labels, le: bound }, value: cumulative, metricName: `${name}_bucket` });
        });
        values.push({ labels: { ...s.labels, le: '+Inf' }, value: s.count, metricName: `${name}_bucket` });
        values.push({ labels: s.labels, value: s.sum, metricName: `${name}_sum` });
        values.push({ labels: s.labels, value: s.count, metricName: `${name}_count` });
      }
      return { name, help, type: 'histogram', aggregator: 'sum', values };
    };
    return { name, help, get, reset: () => this.#series.clear() } as unknown as Metric<L>;
  }

  /** Its counts alone, as a counter for the registry. */
  asCounter(name: string, help: string): Metric<L> {
    const get = async () => ({
      name,
      help,
      type: 'counter',
      aggregator: 'sum',
      values: [...this.#series.values()].map((s) => ({ labels: s.labels, value: s.count })),
    });
    return { name, help, get, reset: () => this.#series.clear() } as unknown as Metric<L>;
  }
}

class FastSeries<L extends string> {
  count = 0;
  sum = 0;
  readonly buckets: number[];
  constructor(
    readonly labels: Record<L, string>,
    private readonly bounds: readonly number[],
  ) {
    this.buckets = bounds.map(() => 0);
  }

  observe(value: number): void {
    this.count++;
    this.sum += value;
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]) {
        this.buckets[i]++;
        return;
      }
    }
  }
}

export class Metrics implements UseCaseCounters {
  readonly registry = new Registry();
  readonly #requests = new FastHistogram<'method' | 'route' | 'status'>(
    'portico_http_request_duration_seconds',
    'Time from a request arriving to its answer being sent, by method, route pattern and status code.',
    LATENCY_BUCKETS,
  );
  /** a request's series by "method route status" */
  readonly #series = new Map<string, FastSeries<'method' | 'route' | 'status'>>();
  readonly #queries = new FastHistogram<'database' | 'outcome'>(
    'portico_db_query_duration_seconds',
    "Time the database took for one of the app's statements (from holding a connection to its result), by outcome.",
    LATENCY_BUCKETS,
  );
  readonly #queryOk: FastSeries<'database' | 'outcome'>;
  readonly #queryFailed: FastSeries<'database' | 'outcome'>;
  readonly #jobRuns: Counter<'queue' | 'outcome'>;
  readonly #loginsRefused: Counter<'account' | 'reason'>;
  readonly #accessChanges: Counter<'action'>;
  readonly #database: DbHandle['kind'];

  /** `database`: which database the server runs on (a label of the database's series). */
  constructor(options: { database: DbHandle['kind'] }) {
    this.#database = options.database;
    const registers = [this.registry];
    // the process: CPU, memory, event-loop delay, garbage collection, open files
    collectDefaultMetrics({ register: this.registry });
    this.registry.registerMetric(this.#requests.asCounter('portico_http_requests_total', 'HTTP requests answered, by method, route pattern and status code.'));
    this.registry.registerMetric(this.#requests.asHistogram());
    this.registry.registerMetric(this.#queries.asHistogram());
    this.#queryOk = this.#queries.series({ database: this.#database, outcome: 'ok' });
    this.#queryFailed = this.#queries.series({ database: this.#database, outcome: 'error' });
    this.#jobRuns = new Counter({
      name: 'portico_job_runs_total',
      help: 'Background jobs this process ran, by queue and outcome (a failed run is retried while retries are left).',
      labelNames: ['queue', 'outcome'],
      registers,
    });
    this.#loginsRefused = new Counter({
      name: 'portico_logins_refused_total',
      help: 'Logins refused: wrong email or password (whatever the reason behind it), or throttled.',
      labelNames: ['account', 'reason'],
      registers,
    });
    this.#accessChanges = new Counter({
      name: 'portico_customer_access_changes_total',
      help: "Customers whose access was revoked or granted back (a bulk change counts each customer; one that changed nothing counts none).",
      labelNames: ['action'],
      registers,
    });
    // every series a dashboard asks for exists from the start, at 0 (a rate needs two samples)
    for (const account of ['staff', 'customer'] as const) for (const reason of ['credentials', 'throttled'] as const) this.#loginsRefused.inc({ account, reason }, 0);
    for (const action of ['revoke', 'grant'] as const) this.#accessChanges.inc({ action }, 0);
  }

  /** One answered request (its route pattern, undefined when no route matched: UNMATCHED_ROUTE; the time in ms). */
  requestAnswered(method: string, matched: string | undefined, status: number, elapsedMs: number): void {
    const route = matched ?? UNMATCHED_ROUTE;
    const key = `${method} ${route} ${status}`;
    let series = this.#series.get(key);
    if (!series) {
      series = this.#requests.series({ method, route, status: String(status) });
      this.#series.set(key, series);
    }
    series.observe(elapsedMs / 1000);
  }

  /** One statement of the app (db/connection.ts calls it through the `onQuery` option). */
  readonly queryRan = (elapsedMs: number, failed: boolean): void => {
    (failed ? this.#queryFailed : this.#queryOk).observe(elapsedMs / 1000);
  };

  /** Reads the pool's use at every scrape. */
  watchPool(read: () => PoolUse): void {
    const database = this.#database;
    const poolGauge = (name: string, help: string, value: (use: PoolUse) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['database'],
        registers: [this.registry],
        collect() {
          this.set({ database }, value(read()));
        },
      });
    poolGauge('portico_db_pool_connections_open', 'Database connections open (the embedded database has one).', (u) => u.open);
    poolGauge('portico_db_pool_connections_busy', 'Database connections running a statement or held by a transaction.', (u) => u.busy);
    poolGauge('portico_db_pool_waiting', 'Callers waiting for a database connection.', (u) => u.waiting);
    poolGauge('portico_db_pool_connections_max', 'Most database connections the pool opens.', (u) => u.max);
  }

  /** Reads the job queue's depth at every scrape (a scrape that cannot read it in time leaves it out). */
  watchQueue(read: () => Promise<QueueDepth[]>): void {
    new Gauge({
      name: 'portico_job_queue_jobs',
      help: 'Jobs in the queue by queue and state: waiting (to run or to be retried), active (running now, on any instance), failed (no retry left; pg-boss archives them after 12 hours).',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        let timer: ReturnType<typeof setTimeout> | undefined;
        const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), QUEUE_DEPTH_TIMEOUT_MS)));
        const depth = await Promise.race([read().catch(() => undefined), late]);
        clearTimeout(timer);
        for (const d of depth ?? []) this.set({ queue: d.queue, state: d.state }, d.jobs);
      },
    });
  }

  /** One run of a background job ended. */
  jobRan(queue: string, failed: boolean): void {
    this.#jobRuns.inc({ queue, outcome: failed ? 'failed' : 'completed' });
  }

  loginRefused(account: 'staff' | 'customer', reason: 'credentials' | 'throttled'): void {
    this.#loginsRefused.inc({ account, reason });
  }

  customerAccessChanged(action: 'revoke' | 'grant', customers: number): void {
    if (customers > 0) this.#accessChanges.inc({ action }, customers);
  }

  /** The scrape: Prometheus's text format. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
