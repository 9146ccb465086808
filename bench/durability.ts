/**
 * What the embedded database's durability costs (docs/operations.md, "Durability"): commits per
 * second on a PGlite data directory on disk, one row per transaction as a request's comment or a
 * login writes it, with each commit fsynced before it is acknowledged (PORTICO_EMBEDDED_FSYNC=on, the
 * default) and without (off), side by side in one run, alternating so a noisy neighbour hits both.
 *
 *   npx tsx bench/durability.ts        (BENCH_COMMITS, default 2000; BENCH_ROUNDS, default 3; BENCH_DIR, default the OS temp dir)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openPglite } from '../src/db/connection.js';

const COMMITS = Number(process.env.BENCH_COMMITS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

async function commitsPerSecond(fsync: boolean): Promise<number> {
  const dir = mkdtempSync(path.join(process.env.BENCH_DIR ?? tmpdir(), 'portico-bench-durability-'));
  const handle = await openPglite(dir, { fsync });
  try {
    await sql`CREATE TABLE bench_commits (id serial PRIMARY KEY, body text NOT NULL, at timestamptz NOT NULL DEFAULT now())`.execute(handle.db);
    const body = 'A comment of about the length people write: the printer on the third floor jams again.';
    for (let i = 0; i < 50; i++) await sql`INSERT INTO bench_commits (body) VALUES (${body})`.execute(handle.db); // warm up
    const started = performance.now();
    for (let i = 0; i < COMMITS; i++) {
      await handle.db.transaction().execute((trx) => sql`INSERT INTO bench_commits (body) VALUES (${body})`.execute(trx));
    }
    return COMMITS / ((performance.now() - started) / 1000);
  } finally {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const results: Record<'on' | 'off', number[]> = { on: [], off: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const setting of ['on', 'off'] as const) results[setting].push(await commitsPerSecond(setting === 'on'));
}
const best = (xs: number[]) => Math.max(...xs);
console.log(`${COMMITS} commits of one row each, PGlite data directory in ${process.env.BENCH_DIR ?? tmpdir()}, best of ${ROUNDS}:`);
console.log('PORTICO_EMBEDDED_FSYNC | commits/s | µs per commit | runs');
for (const setting of ['on', 'off'] as const) {
  const rate = best(results[setting]);
  console.log(`${setting.padEnd(22)} | ${rate.toFixed(0).padStart(9)} | ${(1e6 / rate).toFixed(0).padStart(13)} | ${results[setting].map((r) => r.toFixed(0)).join(', ')}`);
}
console.log(`fsync on costs ${((1 - best(results.on) / best(results.off)) * 100).toFixed(0)}% of the commit rate`);
