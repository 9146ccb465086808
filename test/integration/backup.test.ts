import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { createPgliteDataDir, createTestDatabase, TEST_DB_KIND, type TestDatabase } from '../support/db.js';
import { adminQuery, urlFor } from '../support/postgres-admin.js';
import { loginCustomer, as } from '../support/app.js';
import { openPglite, openPostgres, type Db, type DbHandle } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { loadDemoData, DEMO_PASSWORD } from '../../src/db/demo.js';
import { buildApp } from '../../src/http/app.js';
import type { App } from '../../src/http/deps.js';
import { createOutboxMailer } from '../../src/mailer.js';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';

// Backup and restore (docs/operations.md, "Backup and restore"): `portico backup` then `portico
// restore` into an empty database gives back every table as it was (row counts and a hash of the
// rows, sessions aside), the revoked customer still revoked and refused at login, and no session.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/portico.js');
const SLOW = 300_000;
const work = mkdtempSync(path.join(tmpdir(), 'portico-backup-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npx portico …` as an operator would, from another directory. */
function portico(args: string[], env: Record<string, string>): Promise<CliResult> {
  const clean = { ...process.env };
  delete clean.DATABASE_URL;
  delete clean.PORTICO_DATA_DIR;
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: { ...clean, ...env }, cwd: work, timeout: SLOW - 10_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Per table of Portico's schema: its row count and an md5 of its rows in order. */
async function tableDigests(db: Db): Promise<Record<string, string>> {
  const { rows: tables } = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(db);
  const digests: Record<string, string> = {};
  for (const { name } of tables) {
    const { rows } = await sql<{ n: number; h: string }>`
      SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text), '')) AS h FROM ${sql.table(name)} t`.execute(db);
    digests[name] = `${rows[0].n} rows, md5 ${rows[0].h}`;
  }
  return digests;
}

/** Sessions end on restore; the caller cache's instance leases belong to the processes that ran. */
const withoutSessions = (d: Record<string, string>) => Object.fromEntries(Object.entries(d).filter(([name]) => name !== 'sessions' && name !== 'principal_cache_instances'));
const leaseCount = async (db: Db) => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM principal_cache_instances`.execute(db)).rows[0].n);
const sessionCount = async (db: Db) => Number((await db.selectFrom('sessions').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

/**
 * Writes transactions of two rows each into a table of its own until `stop()`, while a backup runs:
 * returns how many had committed when the backup started and when it ended.
 */
async function writeDuring<T>(db: Db, backup: () => Promise<T>): Promise<{ result: T; before: number; after: number }> {
  await sql`CREATE TABLE backup_probe (batch int NOT NULL, part int NOT NULL)`.execute(db);
  let committed = 0;
  let stop = false;
  const writers = [0, 1, 2].map(async (w) => {
    for (let i = 0; !stop; i++) {
      const batch = w * 1_000_000 + i;
      await db.transaction().execute(async (trx) => {
        await sql`INSERT INTO backup_probe VALUES (${batch}, 1)`.execute(trx);
        await sql`INSERT INTO backup_probe VALUES (${batch}, 2)`.execute(trx);
      });
      committed++;
    }
  });
  await new Promise((r) => setTimeout(r, 300));
  const before = committed;
  const result = await backup();
  const after = committed;
  stop = true;
  await Promise.all(writers);
  return { result, before, after };
}

/** The restored probe table: only whole transactions, at least those committed before the backup started. */
async function expectWholeTransactions(db: Db, before: number, after: number) {
  const { rows } = await sql<{ batch: number; parts: number }>`SELECT batch, count(*)::int AS parts FROM backup_probe GROUP BY batch`.execute(db);
  expect(rows.filter((r) => r.parts !== 2)).toEqual([]);
  expect(rows.length).toBeGreaterThanOrEqual(before);
  expect(rows.length).toBeLessThanOrEqual(after + 3);
  expect(before).toBeGreaterThan(0);
}

function appOn(db: Db): Promise<App> {
  return buildApp({ db, mailer: createOutboxMailer(), config: { ...loadConfig({}), publicUrl: 'http://localhost:80', logLevel: 'silent' } });
}

/** Dave's access was revoked (demo data); Alice is an active customer of acme. */
async function expectRevokedStillRefused(db: Db, oldAliceCookie: { cookie: string; csrfToken: string }) {
  const dave = await db.selectFrom('accounts').select(['status', 'revoked_at']).where('email_lower', '=', 'dave@customer.test').executeTakeFirstOrThrow();
  expect(dave.status).toBe('revoked');
  expect(dave.revoked_at).not.toBeNull();
  const app = await appOn(db);
  try {
    const refused = await app.inject({ method: 'POST', url: '/s/acme/api/portal/login', payload: { email: 'dave@customer.test', password: DEMO_PASSWORD } });
    expect(refused.statusCode).toBe(401);
    expect(refused.cookies).toEqual([]);
    // a session from before the backup is gone: its cookie is refused …
    const stale = await app.inject({ method: 'GET', url: '/s/acme/api/portal/requests', headers: as({ ...oldAliceCookie, accountId: '' }) });
    expect(stale.statusCode).toBe(401);
    // … and the customer logs in again with the restored password
    const alice = await loginCustomer(app, 'acme', 'alice@customer.test');
    const mine = await app.inject({ method: 'GET', url: '/s/acme/api/portal/requests', headers: as(alice) });
    expect(mine.statusCode).toBe(200);
  } finally {
    await app.close();
  }
}

describe.runIf(TEST_DB_KIND === 'postgres')('backup and restore on PostgreSQL (pg_dump)', () => {
  let source: TestDatabase;
  const target = `portico_test_restore_${process.pid}_${Date.now()}`;
  let aliceBefore: { cookie: string; csrfToken: string };
  beforeAll(async () => {
    source = await createTestDatabase('postgres', { demo: true });
    if (!source.hasDemo) await loadDemoData(source.db);
    const app = await appOn(source.db);
    aliceBefore = await loginCustomer(app, 'acme', 'alice@customer.test');
    await app.close();
    await adminQuery(`CREATE DATABASE ${target}`);
  }, SLOW);
  afterAll(async () => {
    await source?.close();
    await adminQuery(`DROP DATABASE IF EXISTS ${target} WITH (FORCE)`);
  });

  it('round-trips every table, keeps the revoked customer refused, and ends every session', async () => {
    const file = path.join(work, 'postgres.pgdump');
    const backup = await portico(['backup', '--out', file], { DATABASE_URL: source.url! });
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^Backup written to .*postgres\.pgdump \(.*PostgreSQL, pg_dump custom format/);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('PGDMP');
    expect(existsSync(`${file}.partial`)).toBe(false);

    const again = await portico(['backup', '--out', file], { DATABASE_URL: source.url! });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('exists already');

    const restore = await portico(['restore', file], { DATABASE_URL: urlFor(target) });
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain('Restored');
    expect(restore.stdout).toContain('everyone logs in again');

    const restored = openPostgres(urlFor(target), 2);
    try {
      expect(await sessionCount(source.db)).toBeGreaterThan(0);
      expect(await sessionCount(restored.db)).toBe(0);
      expect(await leaseCount(restored.db)).toBe(0);
      const before = await tableDigests(source.db);
      expect(Object.keys(before).length).toBeGreaterThan(30);
      expect(withoutSessions(await tableDigests(restored.db))).toEqual(withoutSessions(before));
      await migrateToLatest(restored.db); // nothing to do: the same schema
      await expectRevokedStillRefused(restored.db, aliceBefore);

      // a second restore into the now full database is refused and changes nothing
      const digest = await tableDigests(restored.db);
      const refused = await portico(['restore', file], { DATABASE_URL: urlFor(target) });
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toContain('is not empty');
      expect(await tableDigests(restored.db)).toEqual(digest);
    } finally {
      await restored.close();
    }
  }, SLOW);

  it('a backup taken during a burst of writes holds whole transactions only', async () => {
    const file = path.join(work, 'during-writes.pgdump');
    const { result, before, after } = await writeDuring(source.db, () => portico(['backup', '--out', file], { DATABASE_URL: source.url! }));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const into = `${target}_b`;
    await adminQuery(`CREATE DATABASE ${into}`);
    try {
      expect((await portico(['restore', file], { DATABASE_URL: urlFor(into) })).code).toBe(0);
      const restored = openPostgres(urlFor(into), 1);
      try {
        await expectWholeTransactions(restored.db, before, after);
      } finally {
        await restored.close();
      }
    } finally {
      await adminQuery(`DROP DATABASE IF EXISTS ${into} WITH (FORCE)`);
    }
  }, SLOW);

  it('without pg_dump on the machine, says so and writes nothing', async () => {
    const file = path.join(work, 'no-tools.pgdump');
    const result = await portico(['backup', '--out', file], { DATABASE_URL: source.url!, PATH: path.join(work, 'empty-bin') });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('pg_dump is not installed on this machine');
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.partial`)).toBe(false);
  }, SLOW);
});

describe.runIf(TEST_DB_KIND === 'pglite')('backup and restore of the embedded database', () => {
  const dir = path.join(work, 'data');
  let server: RunningServer | undefined;
  let aliceBefore: { cookie: string; csrfToken: string };
  beforeAll(async () => {
    await createPgliteDataDir(dir, { demo: true });
    server = await startServer({ ...loadConfig({}), logLevel: 'silent', dataDir: dir, port: 0, host: '127.0.0.1', demo: false });
    const app = await appOn(server.handle.db);
    aliceBefore = await loginCustomer(app, 'acme', 'alice@customer.test');
    await app.close();
  }, SLOW);
  afterAll(() => server?.close());

  async function restoreAndCompare(file: string, into: string, source: Db) {
    const restore = await portico(['restore', file], { PORTICO_DATA_DIR: into });
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/Restored .* into the data directory .*\. [1-9]\d* sessions? ended: everyone logs in again/);
    const restored: DbHandle = await openPglite(into);
    try {
      expect(await sessionCount(source)).toBeGreaterThan(0);
      expect(await sessionCount(restored.db)).toBe(0);
      expect(await leaseCount(restored.db)).toBe(0);
      const before = await tableDigests(source);
      expect(Object.keys(before).length).toBeGreaterThan(30);
      expect(withoutSessions(await tableDigests(restored.db))).toEqual(withoutSessions(before));
      await expectRevokedStillRefused(restored.db, aliceBefore);
    } finally {
      await restored.close();
    }
  }

  it('through the running server: round-trips every table, the revoked customer stays refused, sessions end', async () => {
    const file = path.join(work, 'embedded.tar.gz');
    const backup = await portico(['backup', '--out', file], { PORTICO_DATA_DIR: dir });
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/Backup written to .*embedded\.tar\.gz \(.*embedded database, taken through the running server \(pid \d+\)\)/);
    // the server kept serving, and its own files are not in the backup
    expect((await fetch(`${server!.url}/healthz`)).status).toBe(200);
    await restoreAndCompare(file, path.join(work, 'restored-1'), server!.handle.db);
    expect(readdirSync(path.join(work, 'restored-1'))).not.toContain('server.json');
  }, SLOW);

  it('a backup taken through the server during a burst of writes holds whole transactions only', async () => {
    const file = path.join(work, 'during-writes.tar.gz');
    const { result, before, after } = await writeDuring(server!.handle.db, () => portico(['backup', '--out', file], { PORTICO_DATA_DIR: dir }));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const into = path.join(work, 'restored-during-writes');
    expect((await portico(['restore', file], { PORTICO_DATA_DIR: into })).code).toBe(0);
    const restored = await openPglite(into);
    try {
      await expectWholeTransactions(restored.db, before, after);
    } finally {
      await restored.close();
    }
  }, SLOW);

  it('refuses a non-empty data directory, a server\'s, and a file that is no backup, changing nothing', async () => {
    const file = path.join(work, 'embedded.tar.gz');
    const full = await portico(['restore', file], { PORTICO_DATA_DIR: path.join(work, 'restored-1') });
    expect(full.code).toBe(1);
    expect(full.stderr).toContain('is not empty');
    const held = await portico(['restore', file], { PORTICO_DATA_DIR: dir });
    expect(held.code).toBe(1);
    expect(held.stderr).toContain(`A Portico server (pid ${process.pid}) is using the data directory`);

    const junk = path.join(work, 'junk.tar.gz');
    writeFileSync(junk, 'not a backup at all');
    const notBackup = await portico(['restore', junk], { PORTICO_DATA_DIR: path.join(work, 'restored-junk') });
    expect(notBackup.code).toBe(1);
    expect(notBackup.stderr).toContain('is not a Portico backup');
    const pgdump = path.join(work, 'fake.pgdump');
    writeFileSync(pgdump, 'PGDMP and more');
    const wrongKind = await portico(['restore', pgdump], { PORTICO_DATA_DIR: path.join(work, 'restored-junk') });
    expect(wrongKind.code).toBe(1);
    expect(wrongKind.stderr).toContain('is a backup of PostgreSQL');
    expect(existsSync(path.join(work, 'restored-junk', 'PG_VERSION'))).toBe(false);

    // nothing to back up: a missing directory, an empty one (left empty, no database made in it)
    for (const where of [path.join(work, 'no-such-dir'), path.join(work, 'empty-dir')]) {
      if (where.endsWith('empty-dir')) mkdirSync(where);
      const none = await portico(['backup', '--out', path.join(work, 'none.tar.gz')], { PORTICO_DATA_DIR: where });
      expect(none.code).toBe(1);
      expect(none.stderr).toContain('holds no database to back up');
      expect(existsSync(path.join(work, 'none.tar.gz'))).toBe(false);
      expect(existsSync(path.join(where, 'PG_VERSION'))).toBe(false);
    }
  }, SLOW);

  it('with no server running, the command opens the directory itself', async () => {
    await server!.close();
    server = undefined;
    const file = path.join(work, 'embedded-direct.tar.gz');
    const backup = await portico(['backup', '--out', file], { PORTICO_DATA_DIR: dir });
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain('taken through the data directory (no server was running)');
    const source = await openPglite(dir);
    try {
      await restoreAndCompare(file, path.join(work, 'restored-2'), source.db);
    } finally {
      await source.close();
    }
  }, SLOW);
});
