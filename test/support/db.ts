import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openPglite, openPostgres, type DbHandle } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrate.js';

export type TestDbKind = 'pglite' | 'postgres';

export const TEST_DB_KIND: TestDbKind = process.env.PORTICO_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
export const POSTGRES_ADMIN_URL = process.env.PORTICO_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase extends DbHandle {
  /** e.g. "pglite (in memory)" or "postgres portico_test_ab12cd" — printed by tests that care */
  label: string;
  /** connection string of a PostgreSQL test database (for starting a second process on it) */
  url?: string;
}

function urlFor(name: string): string {
  const u = new URL(POSTGRES_ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * A fresh, migrated database for one test file: PGlite in memory, or a new database on the
 * PostgreSQL server that is dropped when the handle closes.
 */
export async function createTestDatabase(kind: TestDbKind = TEST_DB_KIND, options: { demo?: boolean } = {}): Promise<TestDatabase & { hasDemo: boolean }> {
  if (kind === 'pglite') {
    const template = pgliteTemplate(options.demo ? 'demo' : 'migrated');
    const handle = await openPglite(undefined, template ? { loadDataDir: template } : {});
    await migrateToLatest(handle.db);
    return { ...handle, label: 'pglite (in memory)', hasDemo: Boolean(template && options.demo) };
  }
  const name = `portico_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = urlFor(name);
  const handle = openPostgres(url, 5);
  await migrateToLatest(handle.db);
  return {
    ...handle,
    hasDemo: false,
    label: `postgres ${name}`,
    url,
    async close() {
      await handle.close();
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** The dump made once per run by pglite-template-setup.ts, when running under vitest with it. */
function pgliteTemplate(which: 'migrated' | 'demo'): Blob | undefined {
  let templates: { migrated: string; demo: string } | undefined;
  try {
    templates = inject('pgliteTemplates');
  } catch {
    return undefined; // not under vitest (benchmarks, scripts)
  }
  return templates ? new Blob([readFileSync(templates[which])]) : undefined;
}
