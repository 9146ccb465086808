import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { openPglite, openPostgres, type DbHandle } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { loadDemoData } from '../../src/db/demo.js';
import { adminQuery, POSTGRES_ADMIN_URL, urlFor } from './postgres-admin.js';

export { POSTGRES_ADMIN_URL };

export type TestDbKind = 'pglite' | 'postgres';

export const TEST_DB_KIND: TestDbKind = process.env.PORTICO_TEST_DB === 'postgres' ? 'postgres' : 'pglite';

export interface TestDatabase extends DbHandle {
  /** e.g. "pglite (in memory)" or "postgres portico_test_ab12cd" — printed by tests that care */
  label: string;
  /** connection string of a PostgreSQL test database (for starting a second process on it) */
  url?: string;
  /** whether it already holds the demo data (asked for with `demo`, copied from this run's template) */
  hasDemo?: boolean;
}

/**
 * A fresh, migrated database for one test file: PGlite in memory, or a new database on the
 * PostgreSQL server that is dropped when the handle closes. With `demo`, it starts from the demo
 * data when this run made a template of it (`hasDemo` says so; else the caller loads it).
 */
export async function createTestDatabase(kind: TestDbKind = TEST_DB_KIND, options: { demo?: boolean } = {}): Promise<TestDatabase & { hasDemo: boolean }> {
  const which = options.demo ? 'demo' : 'migrated';
  if (kind === 'pglite') {
    const template = pgliteTemplate(which);
    const handle = await openPglite(undefined, template ? { loadDataDir: template } : {});
    await migrateToLatest(handle.db);
    return { ...handle, label: 'pglite (in memory)', hasDemo: Boolean(template && options.demo) };
  }
  const template = provided('postgresTemplates')?.[which];
  const name = `portico_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
  const url = urlFor(name);
  const handle = openPostgres(url, 5);
  await migrateToLatest(handle.db);
  return {
    ...handle,
    hasDemo: Boolean(template && options.demo),
    label: `postgres ${name}`,
    url,
    async close() {
      await handle.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/**
 * A new embedded data directory at `dataDir`, migrated (and with the demo data when asked), closed
 * again for a server or a command to open: unpacked from this run's template when there is one
 * (pglite-template-setup.ts), else made as a first start would make it (initdb, the migrations, the
 * demo data) — the template spares each such file PGlite's initdb and the migrations, about ten
 * seconds of CPU here.
 */
export async function createPgliteDataDir(dataDir: string, options: { demo?: boolean } = {}): Promise<void> {
  const template = pgliteTemplate(options.demo ? 'demo' : 'migrated');
  const handle = await openPglite(dataDir, template ? { loadDataDir: template } : {});
  try {
    await migrateToLatest(handle.db);
    if (options.demo && !template) await loadDemoData(handle.db);
  } finally {
    await handle.close();
  }
}

/**
 * A bare PGlite in memory (no Kysely, no Portico driver), for tests of what sits on PGlite itself:
 * started from this run's migrated template when there is one — PGlite's own initdb costs several
 * seconds of CPU a database — with the extension the migrated schema uses.
 */
export async function createBarePglite(options: Pick<PGliteOptions, 'parsers'> = {}): Promise<PGlite> {
  const template = pgliteTemplate('migrated');
  return PGlite.create({ ...options, extensions: { pg_trgm }, ...(template ? { loadDataDir: template } : {}) });
}

/** What this run's global setup made once (pglite-template-setup.ts, postgres-template-setup.ts). */
function provided<K extends 'pgliteTemplates' | 'postgresTemplates'>(key: K) {
  try {
    return inject(key);
  } catch {
    return undefined; // not under vitest (benchmarks, scripts)
  }
}

/**
 * The dump made once per run by pglite-template-setup.ts, when running under vitest with it: read
 * from disk once per worker and handed to each new PGlite as its own copy.
 */
function pgliteTemplate(which: 'migrated' | 'demo'): Blob | undefined {
  const templates = provided('pgliteTemplates');
  if (!templates) return undefined;
  const path = templates[which];
  let bytes = templateBytes.get(path);
  if (!bytes) templateBytes.set(path, (bytes = readFileSync(path)));
  return new TemplateDump(bytes);
}

const templateBytes = new Map<string, Uint8Array>();

/**
 * A template dump as the Blob PGlite loads (it reads it whole with arrayBuffer() and nothing else),
 * answering a copy of bytes already in memory; its other readers (stream, text, slice) are not for
 * this use and see an empty Blob. Node 20 makes a Blob of 45 MB slowly: building one from a Buffer and
 * reading it back took about 0.6 s, read from the file each time again 0.13 s, and a copy of the
 * bytes takes a few milliseconds — of the PGlite tests' CPU, Blob building and reading was about a
 * sixth (2026-12-06, a profile of the integration:pglite project; docs/architecture.md, "How npm
 * test spends its time").
 */
class TemplateDump extends Blob {
  readonly #bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    super();
    this.#bytes = bytes;
  }
  override get size(): number {
    return this.#bytes.byteLength;
  }
  override async arrayBuffer(): Promise<ArrayBuffer> {
    // a copy (Buffer#slice would be a view of the kept bytes): nothing one database does reaches the next
    return new Uint8Array(this.#bytes).buffer as ArrayBuffer;
  }
}
