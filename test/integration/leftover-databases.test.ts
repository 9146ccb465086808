import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { adminQuery, dropLeftoverDatabases, TEST_DATABASE_PATTERN, urlFor } from '../support/postgres-admin.js';
import { TEST_DB_KIND } from '../support/db.js';

// A test run stopped halfway (Ctrl-C, a CI timeout) never drops its databases; the next run's global
// setup drops those nobody uses (test/support/postgres-admin.ts). Here with a name of its own, so
// that the run's own templates (which nobody is connected to either) are never in reach.

describe.runIf(TEST_DB_KIND === 'postgres')('databases left behind by a stopped run', () => {
  it('are dropped when nobody is connected to them, and kept while someone is', async () => {
    const prefix = `portico_leftover_${randomBytes(4).toString('hex')}_`;
    const [idle, busy] = [`${prefix}idle`, `${prefix}busy`];
    await adminQuery(`CREATE DATABASE ${idle}`, `CREATE DATABASE ${busy}`);
    const someone = new pg.Client({ connectionString: urlFor(busy) });
    await someone.connect();
    try {
      // old enough (0 minutes) and matched by the pattern: only the idle one goes
      expect(await dropLeftoverDatabases({ pattern: `^${prefix}`, olderThanMinutes: 0 })).toEqual([idle]);
      // one made just now is no leftover at the usual age
      await someone.end();
      expect(await dropLeftoverDatabases({ pattern: `^${prefix}` })).toEqual([]);
    } finally {
      await someone.end().catch(() => {});
      await adminQuery(`DROP DATABASE IF EXISTS ${idle}`, `DROP DATABASE IF EXISTS ${busy}`);
    }
  });

  it("the usual pattern names every kind of database a run makes, and nothing else", () => {
    const re = new RegExp(TEST_DATABASE_PATTERN);
    for (const name of ['portico_test_ab12cd34ef56', 'portico_tpl_1a2b3c4d_demo', 'portico_e2e_0011aabbccdd']) expect(name).toMatch(re);
    for (const name of ['portico', 'portico_bench_scale', 'postgres', 'test', 'my_portico_test_x']) expect(name).not.toMatch(re);
  });
});
