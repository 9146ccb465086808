import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { TEST_DB_KIND } from '../support/db.js';
import { createTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  console.log(`database: ${t.database.label}`);
});
afterAll(() => t?.close());

describe('health and API documents', () => {
  it('answers /healthz once migrations ran', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('serves the OpenAPI document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().openapi).toBe('3.0.3');
  });

  it('answers unknown API paths with a JSON 404 in Atlassian shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/s/acme/rest/api/3/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().errorMessages).toEqual(['Not found.']);
  });

  it('loaded the demo data of docs/product.md#running', async () => {
    const keys = await t.db.selectFrom('requests').select('key').orderBy('id').execute();
    expect(keys.map((k) => k.key)).toEqual(['HELP-1', 'HELP-2', 'HELP-3', 'HELP-4', 'SUP-1']);
    const dave = await t.db.selectFrom('accounts').select('status').where('email_lower', '=', 'dave@customer.test').executeTakeFirstOrThrow();
    expect(dave.status).toBe('revoked');
  });
});

describe('help-center public site name', () => {
  it('tells anonymous visitors the name of the help center they are logging in to', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/s/acme/api/portal/site' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ slug: 'acme', name: 'Acme Support' });
    const missing = await t.app.inject({ method: 'GET', url: '/s/nowhere/api/portal/site' });
    expect(missing.statusCode).toBe(404);
  });
});

describe('a lost database connection', () => {
  it('when PostgreSQL ends the idle connections of the pool, the process lives on and the next request is answered', async () => {
    if (TEST_DB_KIND !== 'postgres') return; // PGlite has no connections to lose
    const lost: unknown[] = [];
    const onUncaught = (error: unknown) => lost.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      // several connections in the pool, idle once these are done
      await Promise.all([1, 2, 3].map(() => sql`SELECT pg_sleep(0.05)`.execute(t.db)));
      const ended = await sql<{ n: number }>`
        SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'idle'`.execute(t.db);
      await new Promise((r) => setTimeout(r, 300)); // the pool hears of it
      expect(lost).toEqual([]);
      expect(ended.rows[0].n).toBeGreaterThanOrEqual(2);
      const res = await t.app.inject({ method: 'GET', url: '/healthz' });
      expect(res.statusCode).toBe(200);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
