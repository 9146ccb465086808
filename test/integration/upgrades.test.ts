import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { createPgliteDataDir, createTestDatabase, TEST_DB_KIND, type TestDatabase } from '../support/db.js';
import { adminQuery, urlFor } from '../support/postgres-admin.js';
import { openPglite, openPostgres } from '../../src/db/connection.js';
import { DatabaseNewerThanCodeError, MIGRATION_NAMES, migrateToLatest } from '../../src/db/migrate.js';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';

// Upgrades (docs/operations.md, "Upgrades"): an instance whose code is older than its database's
// schema refuses to start and says which versions; migrations run once however many instances
// start together.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SLOW = 240_000;
const FUTURE = '20991231T2359_from_a_newer_portico';
const NEWEST_KNOWN = MIGRATION_NAMES[MIGRATION_NAMES.length - 1];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a built entry point (the server, the `portico` command) as an operator would. */
function run(file: string, args: string[], env: Record<string, string>): Promise<Run> {
  const clean = { ...process.env };
  delete clean.DATABASE_URL;
  delete clean.PORTICO_DATA_DIR;
  return new Promise((resolve) => {
    execFile(process.execPath, [file, ...args], { env: { ...clean, PORT: '0', HOST: '127.0.0.1', PORTICO_DEMO: '0', ...env }, cwd: tmpdir(), timeout: SLOW - 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const expectRefusal = (text: string) => {
  expect(text).toContain(`its newest migration is ${FUTURE}`);
  expect(text).toContain(`this Portico knows migrations up to ${NEWEST_KNOWN} only`);
};

describe(`an instance older than its database (${TEST_DB_KIND})`, () => {
  let database: TestDatabase | undefined;
  let dataDir: string | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    if (TEST_DB_KIND === 'postgres') {
      database = await createTestDatabase('postgres');
      await sql`INSERT INTO kysely_migration (name, timestamp) VALUES (${FUTURE}, ${new Date().toISOString()})`.execute(database.db);
      env = { DATABASE_URL: database.url! };
    } else {
      dataDir = mkdtempSync(path.join(tmpdir(), 'portico-upgrade-'));
      await createPgliteDataDir(dataDir); // migrated, from the run's template
      const handle = await openPglite(dataDir);
      await sql`INSERT INTO kysely_migration (name, timestamp) VALUES (${FUTURE}, ${new Date().toISOString()})`.execute(handle.db);
      await handle.close();
      env = { PORTICO_DATA_DIR: dataDir };
    }
  }, SLOW);
  afterAll(async () => {
    await database?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('the server refuses to start, names both versions and exits non-zero', async () => {
    const result = await run(path.join(root, 'dist/server/main.js'), [], env);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('Portico is running');
    expect(result.stderr).toContain('Portico cannot start: The database was upgraded by a newer Portico');
    expectRefusal(result.stderr);
    // nothing left behind that would make the next start think a server holds the data directory
    if (dataDir) expect(existsSync(path.join(dataDir, 'server.json'))).toBe(false);
  }, SLOW);

  it('startServer rejects with the same refusal, and the database keeps the newer migration', async () => {
    const config = { ...loadConfig({}), logLevel: 'silent' as const, port: 0, host: '127.0.0.1', demo: false, databaseUrl: env.DATABASE_URL, dataDir: env.PORTICO_DATA_DIR ?? './data' };
    const error = await startServer(config).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseNewerThanCodeError);
    expectRefusal((error as Error).message);
    const check = database ? openPostgres(database.url!, 1) : await openPglite(dataDir);
    try {
      const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name DESC LIMIT 1`.execute(check.db);
      expect(rows).toEqual([{ name: FUTURE }]);
    } finally {
      await check.close();
    }
  }, SLOW);

  it('the portico command refuses too, exit 1', async () => {
    const result = await run(path.join(root, 'bin/portico.js'), ['token', 'create', '--email', 'admin@acme.test'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expectRefusal(result.stderr);
  }, SLOW);
});

describe.runIf(TEST_DB_KIND === 'postgres')('instances starting together on a new PostgreSQL database', () => {
  const name = `portico_test_upgrade_${process.pid}_${Date.now()}`;
  afterAll(() => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

  it('run every migration exactly once', async () => {
    await adminQuery(`CREATE DATABASE ${name}`);
    const handles = [0, 1, 2].map(() => openPostgres(urlFor(name), { poolSize: 2, statementTimeoutMs: 0 }));
    try {
      await Promise.all(handles.map((h) => migrateToLatest(h.db)));
      const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(handles[0].db);
      expect(rows.map((r) => r.name)).toEqual([...MIGRATION_NAMES]);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
  }, SLOW);
});
