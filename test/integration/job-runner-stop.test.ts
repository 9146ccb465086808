import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { JOB_QUEUE_SCHEMA, startJobRunner, type JobDefinition } from '../../src/jobs/runner.js';
import { until } from '../support/until.js';

// What a graceful shutdown does with the background jobs (docs/operations.md, "Graceful shutdown"):
// a job that ends within the grace period completes; one still running then goes back to the queue and
// runs again under the next runner. On either database.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase(undefined, { demo: false });
  console.log(`database: ${database.label}`);
});
afterAll(() => database?.close());

async function stateOf(name: string): Promise<string[]> {
  const { rows } = await sql<{ state: string }>`select state::text from ${sql.id(JOB_QUEUE_SCHEMA, 'job')} where name = ${name}`.execute(database.db);
  return rows.map((r) => r.state);
}

describe('stopping the job runner', () => {
  it('a job that ends within the grace period completes; one still running when it is over goes back to the queue and runs again under the next runner', async () => {
    const runs: string[] = [];
    let finishQuick!: () => void;
    const quick: JobDefinition<{ n: number }> = {
      name: 'portico-stop-quick',
      retryLimit: 2,
      retryDelaySeconds: 1,
      maxRunSeconds: 60,
      run: async () => {
        runs.push('quick started');
        await new Promise<void>((resolve) => (finishQuick = resolve));
        runs.push('quick done');
      },
    };
    let slowRuns = 0;
    const slow: JobDefinition<{ n: number }> = {
      name: 'portico-stop-slow',
      retryLimit: 2,
      retryDelaySeconds: 1,
      maxRunSeconds: 60,
      run: async () => {
        const n = ++slowRuns;
        runs.push(`slow started (${n})`);
        // the first run outlasts the grace period; the second, under the next runner, ends at once
        if (n === 1) await new Promise((resolve) => setTimeout(resolve, 4000));
        runs.push(`slow done (${n})`);
      },
    };
    const first = await startJobRunner(database, [quick, slow], { pollSeconds: 0.5 });
    await first.offer(quick, { n: 1 });
    await first.offer(slow, { n: 1 });
    await until('both jobs running', () => runs.includes('quick started') && runs.includes('slow started (1)'));

    const stopping = first.stop({ timeoutMs: 1000 });
    setTimeout(() => finishQuick(), 300); // ends within the grace period
    await stopping;
    expect(runs).toContain('quick done');
    expect(await stateOf('portico-stop-quick')).toEqual(['completed']);
    // the slow one was failed back to the queue with retries left: it waits to be retried
    expect(await stateOf('portico-stop-slow')).toEqual(['retry']);

    const second = await startJobRunner(database, [quick, slow], { pollSeconds: 0.5 });
    try {
      await until('the slow job to run again and complete', async () => (await stateOf('portico-stop-slow')).join() === 'completed');
      expect(runs).toContain('slow started (2)');
      // the first run, handed back, still ends on its own (in a server the process has exited by then)
      await until('the first slow run to end', () => runs.includes('slow done (1)'));
      expect(await stateOf('portico-stop-slow')).toEqual(['completed']);
    } finally {
      await second.stop();
    }
  }, 60_000);
});
