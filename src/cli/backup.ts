// `portico backup` and `portico restore` (docs/operations.md, "Backup and restore").
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Config } from '../config.js';
import { openPglite, openPostgres } from '../db/connection.js';
import { migrationsRan, refuseNewerDatabase } from '../db/migrate.js';
import {
  BackupFileExistsError,
  backupKindOf,
  writeBackupFile,
  ClientToolMissingError,
  dumpPostgres,
  emptyDataDir,
  endAllSessions,
  isEmptyDataDir,
  isEmptyDatabase,
  migrationsInPostgresBackup,
  NotABackupError,
  restorePostgres,
  unpackEmbeddedBackup,
  writeEmbeddedBackup,
  type BackupKind,
} from '../db/backup.js';
import { acquireCliLock, liveServer } from './server-registry.js';
import { CliError, serverCall, serverError } from './server-call.js';

/** A backup may take long on a large database; the server streams it as it goes. */
const BACKUP_TIMEOUT_MS = 6 * 60 * 60_000;

const KIND_NAMES: Record<BackupKind, string> = { embedded: 'the embedded database (PGlite)', postgres: 'PostgreSQL' };

/**
 * Writes a backup of the database to `file`, never overwriting one (db/backup.ts writeBackupFile).
 * Returns how it was taken and its size.
 */
export async function backupDatabase(config: Config, file: string, env: NodeJS.ProcessEnv): Promise<{ via: string; bytes: number }> {
  let via = 'pg_dump';
  try {
    const bytes = await writeBackupFile(file, async (partial) => {
      if (config.databaseUrl) await dumpPostgres(config.databaseUrl, partial, env);
      else via = await backupEmbedded(config, partial);
    });
    return { via, bytes };
  } catch (error) {
    if (error instanceof ClientToolMissingError || error instanceof BackupFileExistsError) throw new CliError(error.message);
    throw error;
  }
}

async function backupEmbedded(config: Config, file: string): Promise<string> {
  const dataDir = config.dataDir;
  const noDatabase = () => new CliError(`The data directory ${dataDir} holds no database to back up (set PORTICO_DATA_DIR, or DATABASE_URL for PostgreSQL).`);
  if (!existsSync(dataDir)) throw noDatabase();
  for (let attempt = 0; attempt < 3; attempt++) {
    const server = liveServer(dataDir);
    if (server) {
      const call = await serverCall(dataDir, server);
      const res = await call('/api/internal/cli/backup', { method: 'POST', contentType: 'text/plain', body: '', timeoutMs: BACKUP_TIMEOUT_MS });
      if (res.status !== 200 || !res.body) throw await serverError(res);
      try {
        await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(file, { mode: 0o600 }));
      } catch (error) {
        throw new CliError(`The backup was cut short (${(error as Error).message}). Nothing was kept; run the command again.`);
      }
      return `the running server (pid ${server.pid})`;
    }
    const release = acquireCliLock(dataDir);
    if (!release) throw new CliError(`Another portico command is using the data directory ${dataDir}. Try again in a moment.`);
    try {
      if (liveServer(dataDir)) continue; // a server claimed it meanwhile: go through it
      if (!existsSync(path.join(dataDir, 'PG_VERSION'))) throw noDatabase();
      // Not migrated: a backup taken before an upgrade must hold the database as it was.
      const handle = await openPglite(dataDir, { fsync: config.embeddedFsync });
      try {
        await writeEmbeddedBackup(handle.atCheckpoint, dataDir, createWriteStream(file, { mode: 0o600 }));
      } finally {
        await handle.close();
      }
      return 'the data directory (no server was running)';
    } finally {
      release();
    }
  }
  throw new CliError(`The data directory ${dataDir} is busy. Try again in a moment.`);
}

/** Loads a backup into an empty data directory or an empty database. Returns what the command reports. */
export async function restoreDatabase(config: Config, file: string, env: NodeJS.ProcessEnv): Promise<string> {
  let kind: BackupKind | undefined;
  try {
    if (!statSync(file).isFile()) throw new Error('not a file');
    kind = backupKindOf(file);
  } catch {
    throw new CliError(`Cannot read the file ${file}.`);
  }
  if (!kind) throw new CliError(new NotABackupError(file).message);
  const target: BackupKind = config.databaseUrl ? 'postgres' : 'embedded';
  if (kind !== target) {
    throw new CliError(
      `${file} is a backup of ${KIND_NAMES[kind]}, and this command is set up for ${KIND_NAMES[target]}. ` +
        (kind === 'embedded' ? 'Unset DATABASE_URL and set PORTICO_DATA_DIR to an empty directory to restore it.' : 'Set DATABASE_URL to an empty PostgreSQL database to restore it.'),
    );
  }
  try {
    return kind === 'embedded' ? await restoreEmbedded(config, file) : await restoreIntoPostgres(config.databaseUrl!, file, env);
  } catch (error) {
    if (error instanceof ClientToolMissingError || error instanceof NotABackupError) throw new CliError(error.message);
    throw error;
  }
}

async function restoreEmbedded(config: Config, file: string): Promise<string> {
  const dataDir = config.dataDir;
  const server = liveServer(dataDir);
  if (server) throw new CliError(`A Portico server (pid ${server.pid}) is using the data directory ${dataDir}. A restore goes into an empty data directory: stop the server, or set PORTICO_DATA_DIR to a new directory.`);
  if (!isEmptyDataDir(dataDir)) throw new CliError(`The data directory ${dataDir} is not empty: a restore goes only into an empty directory, so nothing is overwritten. Set PORTICO_DATA_DIR to a new directory, or move this one away first.`);
  mkdirSync(dataDir, { recursive: true });
  const release = acquireCliLock(dataDir);
  if (!release) throw new CliError(`Another portico command is using the data directory ${dataDir}. Try again in a moment.`);
  let done = false;
  try {
    if (liveServer(dataDir) || !isEmptyDataDir(dataDir)) throw new CliError(`The data directory ${dataDir} was taken while the restore started. Nothing was restored.`);
    try {
      await unpackEmbeddedBackup(file, dataDir);
    } catch (error) {
      if (error instanceof NotABackupError) throw error;
      throw new NotABackupError(file);
    }
    const handle = await openPglite(dataDir, { fsync: config.embeddedFsync });
    let ended: number;
    let newest: string | undefined;
    try {
      const ran = await migrationsRan(handle.db);
      if (!ran) throw new NotABackupError(file);
      refuseNewerDatabase(ran);
      newest = ran.at(-1);
      ended = await endAllSessions(handle.db);
    } finally {
      await handle.close();
    }
    done = true;
    return `Restored ${file} into the data directory ${dataDir} (schema at migration ${newest}). ${ended} session${ended === 1 ? '' : 's'} ended: everyone logs in again.`;
  } finally {
    if (!done) emptyDataDir(dataDir);
    release();
  }
}

async function restoreIntoPostgres(databaseUrl: string, file: string, env: NodeJS.ProcessEnv): Promise<string> {
  const migrations = await migrationsInPostgresBackup(file, env);
  if (!migrations) throw new NotABackupError(file);
  refuseNewerDatabase(migrations);
  const handle = openPostgres(databaseUrl, { poolSize: 1, statementTimeoutMs: 0 });
  try {
    if (!(await isEmptyDatabase(handle.db))) {
      throw new CliError('The database of DATABASE_URL is not empty: a restore goes only into an empty database, so nothing is overwritten. Create a new database (createdb) and point DATABASE_URL at it.');
    }
    await restorePostgres(databaseUrl, file, env);
    const ended = await endAllSessions(handle.db);
    const ran = await migrationsRan(handle.db);
    return `Restored ${file} into the PostgreSQL database of DATABASE_URL (schema at migration ${ran?.at(-1)}). ${ended} session${ended === 1 ? '' : 's'} ended: everyone logs in again.`;
  } finally {
    await handle.close();
  }
}
