import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { createPgliteDataDir, createTestDatabase, TEST_DB_KIND, type TestDatabase } from '../support/db.js';
import { adminQuery, urlFor } from '../support/postgres-admin.js';
import { openPglite, openPostgres } from '../../src/db/connection.js';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { scheduledBackups } from '../../src/jobs/scheduled-backup.js';

// Scheduled backups (docs/operations.md, "Scheduled backups"): a server with PORTICO_BACKUP_DIR
// writes a backup every PORTICO_BACKUP_EVERY_HOURS through the job queue and keeps the newest
// PORTICO_BACKUP_KEEP; the newest restores like any `portico backup`.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(path.join(tmpdir(), 'portico-scheduled-backup-'));
const SLOW = 240_000;
let database: TestDatabase | undefined;
let server: RunningServer | undefined;
const restoredDb = `portico_test_sched_${process.pid}_${Date.now()}`;
afterAll(async () => {
  await server?.close();
  await database?.close();
  if (TEST_DB_KIND === 'postgres') await adminQuery(`DROP DATABASE IF EXISTS ${restoredDb} WITH (FORCE)`);
  rmSync(work, { recursive: true, force: true });
});

function restore(file: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean = { ...process.env };
  delete clean.DATABASE_URL;
  delete clean.PORTICO_DATA_DIR;
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, 'bin/portico.js'), 'restore', file], { env: { ...clean, ...env }, cwd: work, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe(`scheduled backups (${TEST_DB_KIND})`, () => {
  it('writes one every interval through the job queue, keeps the newest two, and the newest restores', async () => {
    const dir = path.join(work, 'backups');
    const dataDir = path.join(work, 'data');
    if (TEST_DB_KIND === 'postgres') {
      database = await createTestDatabase('postgres');
    } else {
      await createPgliteDataDir(dataDir);
    }
    server = await startServer({
      ...loadConfig({}),
      logLevel: 'silent',
      port: 0,
      host: '127.0.0.1',
      demo: false,
      databaseUrl: database?.url,
      dataDir,
      jobPollSeconds: 0.5,
      // every 2.5 seconds, keep 2
      backupSchedule: { dir, everyHours: 2.5 / 3600, keep: 2 },
    });
    await sql`CREATE TABLE scheduled_probe (note text)`.execute(server.handle.db);
    await sql`INSERT INTO scheduled_probe VALUES ('before the backups')`.execute(server.handle.db);

    const seen = new Set<string>();
    const deadline = Date.now() + 120_000;
    while (seen.size < 3 && Date.now() < deadline) {
      for (const name of scheduledBackups(dir)) seen.add(name);
      expect(scheduledBackups(dir).length).toBeLessThanOrEqual(2);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(seen.size).toBeGreaterThanOrEqual(3);
    const kept = scheduledBackups(dir);
    // the newest copied aside at once: the schedule goes on, and on a loaded machine two more
    // backups can come (and retention remove this one) before the restore command has started
    const newest = path.join(work, kept[1]);
    copyFileSync(path.join(dir, kept[1]), newest);
    expect(kept).toEqual([...seen].sort().slice(-2));
    expect(kept[1]).toMatch(TEST_DB_KIND === 'postgres' ? /\.pgdump$/ : /\.tar\.gz$/);
    // one interval apart, give or take the poll
    const times = [...seen].sort().map((name) => Date.parse(name.replace(/^portico-backup-(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z.*/, '$1-$2-$3T$4:$5:$6Z')));
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(2000);

    const env: Record<string, string> = TEST_DB_KIND === 'postgres' ? { DATABASE_URL: urlFor(restoredDb) } : { PORTICO_DATA_DIR: path.join(work, 'restored') };
    if (TEST_DB_KIND === 'postgres') await adminQuery(`CREATE DATABASE ${restoredDb}`);
    const result = await restore(newest, env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const restored = TEST_DB_KIND === 'postgres' ? openPostgres(urlFor(restoredDb), 1) : await openPglite(path.join(work, 'restored'));
    try {
      const { rows } = await sql<{ note: string }>`SELECT note FROM scheduled_probe`.execute(restored.db);
      expect(rows).toEqual([{ note: 'before the backups' }]);
    } finally {
      await restored.close();
    }
  }, SLOW);
});
