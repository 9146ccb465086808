import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase, TEST_DB_KIND, type TestDatabase } from '../support/db.js';
import { until } from '../support/until.js';
import { openPostgres, type DbHandle } from '../../src/db/connection.js';
import { CREATE_QUEUE_LOCK, JOB_QUEUE_SCHEMA, startJobRunner, type JobDefinition, type JobRunner } from '../../src/jobs/runner.js';

// Several instances started together on a database whose job queue does not exist yet all start:
// each creates the same queues, and pg-boss's create_queue, run by two instances at once for one
// name, deadlocks in PostgreSQL (one inserts the queue's row and then alters its table to reference
// it; the other waits on that row while holding the lock the alter needs). A fresh-clone CI run saw
// exactly that: two Portico processes started on an empty database, one exited with "deadlock
// detected". The runner creates its queues one instance at a time (docs/architecture.md#background-jobs).
//
// PGlite is one process's database: only PostgreSQL has instances that race.
const onPostgres = TEST_DB_KIND === 'postgres';

function job(name: string): JobDefinition<object> {
  return { name, retryLimit: 2, retryDelaySeconds: 1, maxRunSeconds: 30, run: async () => {} };
}

let database: TestDatabase;
beforeAll(async () => {
  if (onPostgres) database = await createTestDatabase('postgres', { demo: false });
});
afterAll(async () => {
  await database?.close();
});

describe.runIf(onPostgres)('instances starting together', () => {
  it('six job runners started at once on an empty job queue all start, and each queue is created once', { timeout: 120_000 }, async () => {
    const jobs = ['portico-race-a', 'portico-race-b', 'portico-race-c', 'portico-race-d'].map(job);
    for (let round = 0; round < 3; round++) {
      await sql`drop schema if exists ${sql.id(JOB_QUEUE_SCHEMA)} cascade`.execute(database.db);
      const handles: DbHandle[] = Array.from({ length: 6 }, () => openPostgres(database.url!, 4));
      const runners: JobRunner[] = [];
      try {
        const started = await Promise.allSettled(handles.map((h) => startJobRunner(h, jobs, { pollSeconds: 30 })));
        for (const s of started) if (s.status === 'fulfilled') runners.push(s.value);
        const refused = started.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
        expect(refused, `round ${round + 1}`).toEqual([]);
        const queues = await sql<{ name: string }>`select name from ${sql.id(JOB_QUEUE_SCHEMA, 'queue')} order by name`.execute(database.db);
        expect(queues.rows.map((r) => r.name)).toEqual(jobs.map((j) => j.name));
      } finally {
        for (const r of runners) await r.stop();
        for (const h of handles) await h.close();
      }
    }
  });

  it('an instance starting on a job queue whose queues exist takes no queue-creation lock: it starts while another holds it, and runs its jobs', { timeout: 60_000 }, async () => {
    const ran: string[] = [];
    const jobs = ['portico-again-a', 'portico-again-b'].map((name) => ({ ...job(name), run: async () => void ran.push(name) }));
    await sql`drop schema if exists ${sql.id(JOB_QUEUE_SCHEMA)} cascade`.execute(database.db);
    const first = openPostgres(database.url!, 2);
    await (await startJobRunner(first, jobs, { pollSeconds: 30 })).stop();
    await first.close();
    // another instance creating a queue of its own holds the lock (createQueueAlone) for as long as it takes
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    const handle = openPostgres(database.url!, 2);
    let runner: JobRunner | undefined;
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1::bigint)', [CREATE_QUEUE_LOCK]);
      const started = startJobRunner(handle, jobs, { pollSeconds: 0.5 });
      const waited = await Promise.race([started.then(() => 'started'), new Promise((r) => setTimeout(() => r('still waiting after 10 s'), 10_000))]);
      expect(waited).toBe('started');
      runner = await started;
      for (const j of jobs) await runner.offer(j, {});
      await until('both jobs to run', () => ran.length === 2);
      expect(ran.sort()).toEqual(['portico-again-a', 'portico-again-b']);
    } finally {
      await holder.query('ROLLBACK').catch(() => {});
      await runner?.stop();
      await holder.end();
      await handle.close();
    }
  });
});

// A server starts its job workers once it listens (docs/architecture.md, "Starting fast"): until then
// its runner takes jobs (a request may queue mail at once) and fetches none. On either database.
describe('a runner started without its workers', () => {
  it('queues a job at once, runs none until its workers start, and then runs it', { timeout: 60_000 }, async () => {
    const own = await createTestDatabase(undefined, { demo: false });
    const ran: string[] = [];
    const later = { ...job('portico-later'), run: async () => void ran.push('ran') };
    const runner = await startJobRunner(own, [later], { pollSeconds: 0.5, startWorkers: false });
    try {
      await runner.offer(later, {});
      // three poll intervals: a started worker would have fetched it (an offer also wakes it at once)
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(ran).toEqual([]);
      expect((await runner.depth()).find((d) => d.queue === 'portico-later' && d.state === 'waiting')?.jobs).toBe(1);
      await runner.startWorkers();
      await until('the job to run', () => ran.length === 1);
      expect(ran).toEqual(['ran']);
    } finally {
      await runner.stop();
      await own.close();
    }
  });
});
