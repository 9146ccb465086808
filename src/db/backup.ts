// Backups of Portico's database and their restore (docs/operations.md, "Backup and restore").
//
// Embedded (PGlite): a gzipped tar of the data directory, taken at a checkpoint while no statement
// runs — the same format as PGlite's dumpDataDir, but streamed from the disk instead of built in
// memory. PostgreSQL: pg_dump's custom format (pg_restore reads it), sessions' rows left out.
import { spawn } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import type { Db } from './connection.js';
import { unpackImage } from './unpack-image.js';

export type BackupKind = 'embedded' | 'postgres';

/** portico-backup-20261203T091500Z.tar.gz (embedded) or ….pgdump (PostgreSQL). */
export function backupFileName(kind: BackupKind, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `portico-backup-${stamp}${kind === 'embedded' ? '.tar.gz' : '.pgdump'}`;
}

/** Names made by backupFileName: the backups a schedule keeps and prunes. */
export const BACKUP_FILE_PATTERN = /^portico-backup-\d{8}T\d{6}Z\.(tar\.gz|pgdump)$/;

export class BackupFileExistsError extends Error {
  constructor(file: string) {
    super(`${file} exists already. Name a new file with --out.`);
  }
}

/**
 * Has `write` write a backup to FILE.partial, flushes it to the disk and renames it to `file`, so a
 * backup cut short never looks whole; never overwrites a file. Returns the backup's size in bytes.
 */
export async function writeBackupFile(file: string, write: (partial: string) => Promise<void>): Promise<number> {
  if (existsSync(file)) throw new BackupFileExistsError(file);
  const dir = path.dirname(path.resolve(file));
  mkdirSync(dir, { recursive: true });
  const partial = `${file}.partial`;
  try {
    await write(partial);
    syncPath(partial);
    renameSync(partial, file);
    syncPath(dir);
    return statSync(file).size;
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

function syncPath(p: string): void {
  const fd = openSync(p, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** What a backup file holds, from its first bytes; undefined when it is neither kind. */
export function backupKindOf(file: string): BackupKind | undefined {
  const head = Buffer.alloc(5);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 5, 0);
  } finally {
    closeSync(fd);
  }
  if (head[0] === 0x1f && head[1] === 0x8b) return 'embedded'; // gzip
  if (head.toString('latin1') === 'PGDMP') return 'postgres'; // pg_dump's custom format
  return undefined;
}

/** Files of a data directory that belong to the process holding it, not to the database. */
function isProcessFile(name: string): boolean {
  return name === 'cli.lock' || name === '.portico-unpacking' || name.startsWith('server.json');
}

/**
 * Writes the embedded database in `dataDir` to `out` as a gzipped tar. `atCheckpoint` (the PGlite
 * handle's) holds the one connection and checkpoints first: every committed change is then in the
 * directory's files, and no statement changes them until the tar is written.
 */
export async function writeEmbeddedBackup(atCheckpoint: <T>(fn: () => Promise<T>) => Promise<T>, dataDir: string, out: Writable): Promise<void> {
  // node-tar is loaded with the first backup (docs/architecture.md, "Loaded on first use")
  const { create } = await import('tar');
  await atCheckpoint(async () => {
    const entries = readdirSync(dataDir).filter((name) => !isProcessFile(name));
    // gzip's fastest level: requests wait while the backup is written (0.4–1.1 s for a new database's
    // 41 MB, against 0.8–2.3 s at the default level, for a file 14% larger; docs/operations.md)
    await pipeline(create({ gzip: { level: 1 }, cwd: dataDir, portable: true }, entries), out);
  });
}

/** Whether `dataDir` holds nothing (a missing directory is empty; a stale cli.lock does not count). */
export function isEmptyDataDir(dataDir: string): boolean {
  if (!existsSync(dataDir)) return true;
  return readdirSync(dataDir).every((name) => name === 'cli.lock');
}

/** Unpacks an embedded backup into an empty `dataDir`, every file on the disk before it returns. */
export async function unpackEmbeddedBackup(file: string, dataDir: string): Promise<void> {
  await unpackImage(file, dataDir, { fsync: true });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) throw new NotABackupError(file);
}

/** Empties `dataDir` again after a restore that did not finish (it was empty before). */
export function emptyDataDir(dataDir: string): void {
  for (const name of readdirSync(dataDir)) {
    if (name !== 'cli.lock') rmSync(path.join(dataDir, name), { recursive: true, force: true });
  }
}

export class NotABackupError extends Error {
  constructor(file: string) {
    super(`${file} is not a Portico backup (made by \`portico backup\`).`);
  }
}

/**
 * Ends every session of a restored database: nobody stays logged in across a restore, and a cookie
 * taken before it does not come back to life. Returns how many were deleted.
 */
export async function endAllSessions(db: Db): Promise<number> {
  const result = await db.deleteFrom('sessions').executeTakeFirst();
  // Rows of the processes that ran on the database, not the help desk's data: the caller cache's
  // instance leases (db/caller-cache.ts) name instances that do not exist after a restore.
  for (const table of PROCESS_TABLES) {
    const { rows } = await sql<{ found: string | null }>`SELECT to_regclass(${`public.${table}`})::text AS found`.execute(db);
    if (rows[0].found) await sql`DELETE FROM ${sql.table(table)}`.execute(db);
  }
  return Number(result.numDeletedRows);
}

/** Tables whose rows belong to running processes: left out of a PostgreSQL backup, emptied by a restore. */
export const PROCESS_TABLES = ['principal_cache_instances'];

/** Whether the database has any table, view or sequence outside PostgreSQL's own schemas. */
export async function isEmptyDatabase(db: Db): Promise<boolean> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(*) AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
    WHERE s.nspname NOT IN ('pg_catalog', 'information_schema') AND s.nspname NOT LIKE 'pg\\_toast%' AND s.nspname NOT LIKE 'pg\\_temp%'
      AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')`.execute(db);
  return Number(rows[0].n) === 0;
}

// ---- PostgreSQL: pg_dump and pg_restore --------------------------------------------------------

export class ClientToolMissingError extends Error {}

/** The program `name` (pg_dump, pg_restore) on PATH, or a ClientToolMissingError that says so. */
export function findClientTool(name: 'pg_dump' | 'pg_restore', env: NodeJS.ProcessEnv = process.env): string {
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new ClientToolMissingError(
    `${name} is not installed on this machine (it is not on PATH). A ${name === 'pg_dump' ? 'backup' : 'restore'} of a PostgreSQL database (DATABASE_URL) ` +
      `runs PostgreSQL's ${name}, of the server's major version or newer: install PostgreSQL's client tools ` +
      '(Debian and Ubuntu: apt install postgresql-client; the PostgreSQL apt repository has every version) and run the command again.',
  );
}

/**
 * The connection of `databaseUrl` as libpq's environment: the password travels in PGPASSWORD, never
 * on a command line that other users of the machine can read (ps).
 */
function libpqConnection(databaseUrl: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { dbname: url.toString(), env: password ? { PGPASSWORD: password } : {} };
}

/** Runs a client tool; rejects with its own error text when it fails. */
function runTool(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${path.basename(program)} failed (exit ${code}): ${stderr.trim() || 'no message'}`));
    });
  });
}

/** pg_dump's custom format of the database into `file`; the rows of sessions and of PROCESS_TABLES are left out. */
export async function dumpPostgres(databaseUrl: string, file: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const program = findClientTool('pg_dump', env);
  const { dbname, env: auth } = libpqConnection(databaseUrl);
  const exclude = ['sessions', ...PROCESS_TABLES].map((table) => `--exclude-table-data=public.${table}`);
  await runTool(program, ['--format=custom', ...exclude, `--file=${file}`, `--dbname=${dbname}`], auth);
}

/** The migrations a pg_dump backup holds (the rows of kysely_migration), or undefined when it has no such table. */
export async function migrationsInPostgresBackup(file: string, env: NodeJS.ProcessEnv = process.env): Promise<string[] | undefined> {
  const program = findClientTool('pg_restore', env);
  const list = await runTool(program, ['--list', file], {});
  if (!/ TABLE DATA public kysely_migration /.test(list)) return undefined;
  const data = await runTool(program, ['--data-only', '--schema=public', '--table=kysely_migration', '--file=-', file], {});
  const copy = /COPY public\.kysely_migration \(([^)]*)\) FROM stdin;\n([\s\S]*?)\n\\\.\n/.exec(data);
  if (!copy) return [];
  const nameColumn = copy[1].split(', ').indexOf('name');
  return copy[2].split('\n').filter(Boolean).map((line) => line.split('\t')[nameColumn]).sort();
}

/** Loads a pg_dump backup into an empty database, all of it or nothing (one transaction). */
export async function restorePostgres(databaseUrl: string, file: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const program = findClientTool('pg_restore', env);
  const { dbname, env: auth } = libpqConnection(databaseUrl);
  await runTool(program, ['--single-transaction', '--exit-on-error', '--no-owner', '--no-privileges', `--dbname=${dbname}`, file], auth);
}
