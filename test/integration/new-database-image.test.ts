import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openPglite } from '../../src/db/connection.js';
import { MIGRATION_NAMES } from '../../src/db/migrate.js';
import { imageAt, makeNewDatabaseImage, usableImage, type NewDatabaseImage } from '../../src/new-database-image.js';
import { startBackgroundWork } from '../../src/jobs/index.js';
import { loadConfig } from '../../src/config.js';
import { TEST_DB_KIND } from '../support/db.js';
import { Parser } from 'tar';

/** One file's bytes out of a tar archive in memory. */
async function fileInTar(archive: Buffer, name: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    const parser = new Parser({ onReadEntry: (entry) => (entry.path.replace(/^\/+/, '') === name ? entry.on('data', (d: Buffer) => chunks.push(d)) : entry.resume()) });
    parser.on('end', resolve).on('error', reject);
    parser.end(archive);
  });
  if (chunks.length === 0) throw new Error(`${name} is not in the archive`);
  return Buffer.concat(chunks);
}

// docs/architecture.md, "Starting fast": a new embedded data directory is unpacked from an image made
// when the server is built (migrated, with the job queue's schema) instead of running initdb and
// every migration at the first start, nor create the job queues a server works (DDL that took a
// third of a second of a first start: docs/benchmarks.md, "Cold start").

describe.runIf(TEST_DB_KIND === 'pglite')('the new-database image', () => {
  let dir: string;
  let image: NewDatabaseImage;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'portico-image-'));
    image = imageAt(path.join(dir, 'new-database.tar.gz'));
    await makeNewDatabaseImage(image);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says what it was made with: this PGlite and every migration', () => {
    const manifest = JSON.parse(readFileSync(image.manifest, 'utf8'));
    expect(manifest.migrations).toEqual([...MIGRATION_NAMES]);
    expect(manifest.pglite).toMatch(/^\d+\.\d+\.\d+/);
    expect(usableImage(image)).toBe(image.file);
  });

  it('an empty data directory starts from it: migrated and with the job queue and its queues before anything runs, and kept on reopening', async () => {
    const dataDir = path.join(dir, 'data');
    let asked = 0;
    const first = await openPglite(dataDir, { newDatabaseImage: () => (asked++, usableImage(image)) });
    try {
      expect(asked).toBe(1);
      // nothing was migrated here: what is there came from the image
      const ran = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(first.db);
      expect(ran.rows.map((r) => r.name)).toEqual([...MIGRATION_NAMES]);
      const queue = await sql<{ n: number }>`SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = 'pgboss'`.execute(first.db);
      expect(queue.rows[0].n).toBe(1);
      // every queue a server with the default settings works is there: its start creates none
      const queues = async () => (await sql<{ name: string }>`SELECT name FROM pgboss.queue ORDER BY name`.execute(first.db)).rows.map((r) => r.name);
      const inImage = await queues();
      expect(inImage).toEqual(expect.arrayContaining(['deliver-webhooks', 'poll-mailboxes']));
      const background = await startBackgroundWork(first, loadConfig({}), { workersOnceListening: true });
      await background.stop();
      expect(await queues()).toEqual(inImage);
      await first.db.insertInto('organizations').values({ id: randomUUID(), name: 'Kept Org', user_management: 'centralized' }).execute();
    } finally {
      await first.close();
    }
    // a directory that holds a database is never unpacked over
    const again = await openPglite(dataDir, { newDatabaseImage: () => { asked++; throw new Error('not asked for an existing database'); } });
    try {
      expect(asked).toBe(1);
      const orgs = await again.db.selectFrom('organizations').select('name').where('name', '=', 'Kept Org').execute();
      expect(orgs).toHaveLength(1);
    } finally {
      await again.close();
    }
  }, 120_000);

  it('a first start that died while unpacking it unpacks it again, and the directory opens as new', async () => {
    const dataDir = path.join(dir, 'interrupted');
    mkdirSync(dataDir, { recursive: true });
    // what a start killed halfway through unpacking leaves: some files, and the marker
    writeFileSync(path.join(dataDir, 'PG_VERSION'), '17\n');
    writeFileSync(path.join(dataDir, '.portico-unpacking'), '');
    let asked = 0;
    const opened = await openPglite(dataDir, { newDatabaseImage: () => (asked++, usableImage(image)) });
    try {
      expect(asked).toBe(1);
      expect(existsSync(path.join(dataDir, '.portico-unpacking'))).toBe(false);
      const ran = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(opened.db);
      expect(ran.rows.map((r) => r.name)).toEqual([...MIGRATION_NAMES]);
    } finally {
      await opened.close();
    }
  }, 120_000);

  it('is not used when it was made with other migrations or is missing: the directory is made the slow way', () => {
    const manifest = JSON.parse(readFileSync(image.manifest, 'utf8'));
    const other: NewDatabaseImage = { file: image.file, manifest: path.join(dir, 'other.json') };
    writeFileSync(other.manifest, JSON.stringify({ ...manifest, migrations: manifest.migrations.slice(0, -1) }));
    expect(usableImage(other)).toBeUndefined();
    writeFileSync(other.manifest, JSON.stringify({ ...manifest, pglite: '0.0.1' }));
    expect(usableImage(other)).toBeUndefined();
    expect(usableImage({ file: path.join(dir, 'missing.tar.gz'), manifest: image.manifest })).toBeUndefined();
    expect(usableImage(undefined)).toBeUndefined();
  });

  it('is dumped right after a checkpoint, as every dump is: a database opened from it replays no write-ahead log', async () => {
    const handle = await openPglite(undefined);
    try {
      await sql`CREATE TABLE written_before_the_dump AS SELECT n FROM generate_series(1, 20000) AS n`.execute(handle.db);
      // the write-ahead log's position as a number of bytes, as pg_control holds it
      const { lsn } = (await sql<{ lsn: string }>`SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::text AS lsn`.execute(handle.db)).rows[0];
      const control = await fileInTar(Buffer.from(await (await handle.dump()).arrayBuffer()), 'global/pg_control');
      // pg_control: the last checkpoint's record at byte 32, and where its replay starts (redo) at 40
      expect(control.readBigUInt64LE(40)).toBeGreaterThanOrEqual(BigInt(lsn));
    } finally {
      await handle.close();
    }
  });
});
