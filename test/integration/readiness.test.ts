import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DB_KIND, type TestDatabase } from '../support/db.js';
import { startServerOnTestDatabase, type ServerOnTestDatabase } from '../support/server-on-test-database.js';
import { adminQuery } from '../support/postgres-admin.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { RunningServer } from '../../src/server.js';
import { MIGRATION_NAMES } from '../../src/db/migrate.js';

// GET /healthz says the process answers; GET /readyz says it can serve: the database answers in time
// and its schema is this version's (docs/operations.md, "Health and readiness"). A real server
// (src/server.ts) on either database; on PostgreSQL its database is taken away and given back.

let running: ServerOnTestDatabase | undefined;
let database: TestDatabase | undefined;
let server: RunningServer;

beforeAll(async () => {
  const config: Config = { ...loadConfig({}), logLevel: 'silent', port: 0, host: '127.0.0.1', demo: false };
  running = await startServerOnTestDatabase(config, { prefix: 'portico-readiness' });
  server = running.server;
  database = running.database;
}, 180_000);

afterAll(async () => {
  await running?.close();
});

async function get(url: string) {
  const res = await fetch(server.url + url);
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as Record<string, unknown>, cacheControl: res.headers.get('cache-control') };
}

/** Asks /readyz every 100 ms until it answers `status` (or fails after `ms`). */
async function until(status: number, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const r = await get('/readyz');
    if (r.status === status) return r;
    if (Date.now() > deadline) throw new Error(`/readyz answered ${r.status} ${r.text}, not ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const READY = { status: 'ready', problems: [], database: 'ok', migrations: 'done', draining: false };

describe('health and readiness', () => {
  it('/healthz answers 200 and /readyz 200 with what it checked, neither kept by a cache', async () => {
    expect((await get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual(READY);
    expect(ready.cacheControl).toBe('no-store');
  });

  it('/readyz answers 503 while a migration of this version has not run, and while the schema is a newer version\'s', async () => {
    const db = server.handle.db;
    const last = MIGRATION_NAMES.at(-1)!;
    const row = await db.selectFrom('kysely_migration' as never).selectAll().where('name' as never, '=', last as never).executeTakeFirstOrThrow();
    await sql`DELETE FROM kysely_migration WHERE name = ${last}`.execute(db);
    try {
      const pending = await get('/readyz');
      expect(pending.status).toBe(503);
      expect(pending.body).toMatchObject({ status: 'not ready', database: 'ok', migrations: 'pending', draining: false });
      expect(pending.body.problems).toEqual(['The database schema is not up to date: migrations have not all run.']);
    } finally {
      await db.insertInto('kysely_migration' as never).values(row as never).execute();
    }
    expect((await get('/readyz')).body).toEqual(READY);

    await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('99991231T0000_from_a_newer_version', now())`.execute(db);
    try {
      const newer = await get('/readyz');
      expect(newer.status).toBe(503);
      expect(newer.body).toMatchObject({ status: 'not ready', database: 'ok', migrations: 'newer' });
      expect(newer.body.problems).toEqual(['The database schema is newer than this version of Portico: a newer version migrated it.']);
    } finally {
      await sql`DELETE FROM kysely_migration WHERE name = '99991231T0000_from_a_newer_version'`.execute(db);
    }
    expect((await get('/readyz')).status).toBe(200);
    expect((await get('/healthz')).status).toBe(200);
  });

  it.runIf(TEST_DB_KIND === 'postgres')('PostgreSQL stops taking connections: /readyz answers 503 without naming the server, /healthz stays 200, and readiness returns with the database', async () => {
    const name = new URL(database!.url!).pathname.slice(1);
    expect((await get('/readyz')).status).toBe(200);
    // the database goes away for this server: no new connection, and the open ones ended
    await adminQuery(
      `ALTER DATABASE ${name} ALLOW_CONNECTIONS false`,
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`,
    );
    try {
      const down = await until(503);
      expect(down.body).toEqual({
        status: 'not ready',
        problems: ['The database did not answer: it refused the connection or the query failed.'],
        database: 'unreachable',
        migrations: 'unknown',
        draining: false,
      });
      for (const secret of [name, '5432', '127.0.0.1', 'postgres']) expect(down.text).not.toContain(secret);
      expect((await get('/healthz')).status).toBe(200);
      // and it stays down while the database does
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await get('/readyz')).status).toBe(503);
    } finally {
      await adminQuery(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    }
    expect((await until(200)).body).toEqual(READY);
    // and the app serves again
    expect((await fetch(`${server.url}/api/auth/session`)).status).toBe(401);
  });

  it.runIf(TEST_DB_KIND === 'pglite')('the embedded database busy beyond the bound: /readyz answers 503 within about 2 s, and 200 once it is free', async () => {
    let release!: () => void;
    const held = server.handle.db.transaction().execute(() => new Promise<void>((resolve) => (release = resolve)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    try {
      const started = Date.now();
      const busy = await get('/readyz');
      const took = Date.now() - started;
      expect(busy.status).toBe(503);
      expect(busy.body).toEqual({
        status: 'not ready',
        problems: ['The database did not answer within 2000 ms.'],
        database: 'timeout',
        migrations: 'unknown',
        draining: false,
      });
      expect(took).toBeGreaterThanOrEqual(1900);
      expect(took).toBeLessThan(5000);
      // probes while the first question is unanswered wait for the same one
      const probes = await Promise.all([get('/readyz'), get('/readyz'), get('/readyz')]);
      expect(probes.map((p) => p.status)).toEqual([503, 503, 503]);
      expect((await get('/healthz')).status).toBe(200);
    } finally {
      release();
      await held;
    }
    expect((await until(200)).body).toEqual(READY);
  });
});
