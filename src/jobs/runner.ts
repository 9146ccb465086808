import PgBoss from 'pg-boss';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { DbHandle } from '../db/connection.js';
import type { Database } from '../db/schema.js';

/** The queue's tables live in their own schema, created and upgraded by pg-boss when a runner starts. */
export const JOB_QUEUE_SCHEMA = 'pgboss';

/**
 * One kind of background work. Each job file (deliver-mail.ts, …) exports one. A job is retried when
 * `run` throws, after about retryDelaySeconds × 2^(attempt − 1) (pg-boss's backoff, with jitter),
 * until retryLimit retries have failed too.
 */
export interface JobDefinition<Data extends object> {
  name: string;
  retryLimit: number;
  retryDelaySeconds: number;
  /**
   * The longest one run may take. A worker fetches jobs in batches, so pg-boss gives a batch this
   * times the batch size before it counts its jobs as failed and retries them (as it does for the
   * jobs of a worker that vanished).
   */
  maxRunSeconds: number;
  /**
   * 'stately': at most one job of this kind waits and one runs, across every instance on the
   * database (pg-boss's queue policy) — a periodic job offered by each instance runs one at a time.
   */
  policy?: 'stately';
  run(data: Data, attempt: JobAttempt): Promise<void>;
}

export interface JobAttempt {
  /** 1 for the first try */
  number: number;
  /** no retry follows if this attempt fails */
  last: boolean;
}

export interface JobRunner {
  /**
   * Queues a job in the caller's transaction: it exists only if that transaction commits, so a use
   * case that rolls back leaves no job behind.
   */
  enqueue<Data extends object>(trx: Kysely<Database>, job: JobDefinition<Data>, data: Data): Promise<void>;
  /**
   * Offers a job outside any transaction; with the job's 'stately' policy it is dropped when one
   * already waits (another instance offered it first).
   */
  offer<Data extends object>(job: JobDefinition<Data>, data: Data): Promise<void>;
  /**
   * Stops fetching and lets running jobs finish for up to `timeoutMs` (default 10 s); a job still
   * running then is failed back to the queue (retried later, here or on another instance). Waits
   * for the runner's last query.
   */
  stop(options?: { timeoutMs?: number }): Promise<void>;
  /** The jobs in the queue by queue and state, read from the queue's tables (the operator's metrics). */
  depth(): Promise<QueueDepth[]>;
  /** Starts the workers when the runner was started without them (`startWorkers: false`); else nothing. */
  startWorkers(): Promise<void>;
}

export interface QueueDepth {
  queue: string;
  /** waiting: to run or to be retried; active: running on some instance; failed: no retry left (for 12 hours, until pg-boss archives it) */
  state: 'waiting' | 'active' | 'failed';
  jobs: number;
}

export interface JobRunnerOptions {
  /** How often an idle worker asks for work (seconds, at least 0.5). */
  pollSeconds: number;
  /** Jobs fetched per poll; a full batch is followed by the next fetch at once. */
  batchSize?: number;
  onError?(error: Error): void;
  /** Told of each run of a job this runner ends (the operator's metrics). */
  onRun?(queue: string, failed: boolean): void;
  /**
   * Default true. False: the queues are made ready (jobs can be queued) but nothing is fetched until
   * `startWorkers()` — a server starts its workers once it listens (docs/architecture.md, "Starting fast").
   */
  startWorkers?: boolean;
}

/**
 * Starts Portico's one background-job runner on pg-boss over the app's own database: the queue's
 * statements go through `executeSql` (on PGlite that is the serializing driver, so a job's statement
 * never runs inside a request's transaction). Several Portico instances on one PostgreSQL database may
 * each run one: pg-boss fetches with FOR UPDATE SKIP LOCKED, so every job goes to one of them.
 */
export async function startJobRunner(handle: Pick<DbHandle, 'db' | 'executeSql'>, jobs: Array<JobDefinition<any>>, options: JobRunnerOptions): Promise<JobRunner> {
  const batchSize = options.batchSize ?? 10;
  const onError = options.onError ?? (() => {});
  const { db, executeSql } = handle;
  let statementsRunning = 0;
  let handlersRunning = 0;
  const boss = new PgBoss({
    schema: JOB_QUEUE_SCHEMA,
    db: {
      async executeSql(text: string, values: unknown[]) {
        statementsRunning++;
        try {
          if (CREATE_QUEUE.test(text)) return await createQueueAlone(db, text, values);
          return await executeSql(text, values);
        } finally {
          statementsRunning--;
        }
      },
    },
    migrate: true,
    supervise: true,
    schedule: false,
  });
  boss.on('error', onError);
  await boss.start();

  const workerIds = new Map<string, string>();
  let workersStarted: Promise<void> | undefined;
  try {
    await createQueues();
    if (options.startWorkers !== false) await startWorkers();
  } catch (error) {
    await boss.stop({ graceful: false, close: false }).catch(() => {});
    throw error;
  }
  async function createQueues() {
    // Only the queues that do not exist yet are created: on every start after the first that is
    // none, and one read instead of a locked transaction per queue (docs/benchmarks.md, "Cold start").
    // A queue another instance creates meanwhile is still created once (createQueueAlone).
    const existing = new Set((await boss.getQueues()).map((queue) => queue.name));
    for (const job of jobs) {
      if (!existing.has(job.name)) await boss.createQueue(job.name, { name: job.name, ...retryOptions(job, batchSize), ...(job.policy ? { policy: job.policy } : {}) });
    }
  }
  function startWorkers(): Promise<void> {
    return (workersStarted ??= startEachWorker());
  }
  async function startEachWorker() {
    for (const job of jobs) {
      let workerId: string | undefined;
      workerId = await boss.work<object>(
        job.name,
        { pollingIntervalSeconds: options.pollSeconds, batchSize, includeMetadata: true },
        async (batch) => {
          handlersRunning++;
          try {
            for (const fetched of batch) {
              const attempt = { number: fetched.retryCount + 1, last: fetched.retryCount >= fetched.retryLimit };
              try {
                await job.run(fetched.data, attempt);
                options.onRun?.(job.name, false);
              } catch (error) {
                options.onRun?.(job.name, true);
                // Fail this job alone (pg-boss schedules its retry); the others of the batch complete.
                await boss.fail(job.name, fetched.id, { message: messageOf(error) });
              }
            }
            // More may be waiting: fetch again at once rather than after the poll interval.
            if (batch.length === batchSize && workerId) boss.notifyWorker(workerId);
          } finally {
            handlersRunning--;
          }
        },
      );
      workerIds.set(job.name, workerId);
    }
  }

  const byName = new Map(jobs.map((j) => [j.name, j]));
  return {
    async enqueue(trx, job, data) {
      if (byName.get(job.name) !== job) throw new Error(`job ${job.name} is not run by this runner`);
      const id = await boss.send(job.name, data, {
        ...retryOptions(job, batchSize),
        db: { executeSql: async (text: string, values: unknown[]) => trx.executeQuery(CompiledQuery.raw(text, values ?? [])) },
      });
      if (!id) throw new Error(`job ${job.name} was not queued`);
      // Wake this process's worker instead of leaving the job to the next poll. On PGlite its fetch
      // waits for the one connection, that is for the caller's transaction to end, so it finds the job
      // at once; on PostgreSQL it may look too early and the job waits for the next poll (or another
      // instance's).
      const workerId = workerIds.get(job.name);
      if (workerId) setImmediate(() => boss.notifyWorker(workerId));
    },
    async offer(job, data) {
      if (byName.get(job.name) !== job) throw new Error(`job ${job.name} is not run by this runner`);
      const id = await boss.send(job.name, data, retryOptions(job, batchSize));
      const workerId = workerIds.get(job.name);
      if (id && workerId) setImmediate(() => boss.notifyWorker(workerId));
    },
    startWorkers,
    async depth() {
      const { rows } = await executeSql(QUEUE_DEPTH);
      const counted = new Map(rows.map((r: { queue: string; state: string; jobs: number }) => [`${r.queue} ${r.state}`, Number(r.jobs)]));
      // every queue of this runner in every state, 0 when none: a series that vanishes at 0 cannot be graphed
      const queues = [...new Set([...jobs.map((j) => j.name), ...rows.map((r: { queue: string }) => r.queue)])];
      return queues.flatMap((queue) => QUEUE_STATES.map((state) => ({ queue, state, jobs: counted.get(`${queue} ${state}`) ?? 0 })));
    },
    async stop({ timeoutMs = 10_000 } = {}) {
      const started = Date.now();
      // graceful: running jobs may finish until the timeout; then pg-boss fails those still running
      // ("pg-boss shut down while active"), which hands them back to the queue for a retry.
      await boss.stop({ graceful: true, wait: true, close: false, timeout: Math.max(1000, timeoutMs) });
      // A fetch that was under way when stop began may still hand its jobs to a handler: let both end
      // before the caller closes the database.
      const deadline = started + Math.max(1000, timeoutMs) + 1000;
      while ((statementsRunning > 0 || handlersRunning > 0) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}

const QUEUE_STATES: ReadonlyArray<QueueDepth['state']> = ['waiting', 'active', 'failed'];

/** The queue's jobs by queue and state (pg-boss keeps a job here until it is archived: completed and failed ones after 12 hours). */
const QUEUE_DEPTH = `
  SELECT name AS queue, CASE WHEN state IN ('created', 'retry') THEN 'waiting' ELSE state::text END AS state, count(*)::int AS jobs
  FROM ${JOB_QUEUE_SCHEMA}.job WHERE state IN ('created', 'retry', 'active', 'failed') GROUP BY 1, 2`;

function retryOptions(job: JobDefinition<any>, batchSize: number) {
  return { retryLimit: job.retryLimit, retryDelay: job.retryDelaySeconds, retryBackoff: true, expireInSeconds: job.maxRunSeconds * batchSize };
}

/** pg-boss's statement that creates a queue (`SELECT pgboss.create_queue($1, $2)`, plans.js). */
const CREATE_QUEUE = new RegExp(`^\\s*select\\s+${JOB_QUEUE_SCHEMA}\\.create_queue\\(`, 'i');

/** Any constant: the lock under which one instance at a time creates a queue. */
export const CREATE_QUEUE_LOCK = 7_346_815_220_431;

/**
 * Runs pg-boss's create_queue under a transaction-scoped advisory lock. Every instance creates its
 * queues when it starts, and two instances creating one queue at the same moment deadlock in
 * PostgreSQL: create_queue inserts the queue's row, then alters the queue's new table to reference
 * the queue table, while the other waits on that row holding a lock the alter needs. One at a time,
 * the second finds the row and does nothing.
 */
async function createQueueAlone(db: Kysely<Database>, text: string, values: unknown[]) {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${CREATE_QUEUE_LOCK}::bigint)`.execute(trx);
    return trx.executeQuery(CompiledQuery.raw(text, values ?? []));
  });
}

export function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 1000);
}
