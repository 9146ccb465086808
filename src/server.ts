import { loadConfig, type Config } from './config.js';
import { openDatabase, type DbHandle } from './db/connection.js';
import { migrateToLatest } from './db/migrate.js';
import { startBackgroundWork, type BackgroundWork } from './jobs/index.js';
import { buildApp, type BuildOptions } from './http/app.js';
import { loadDemoDataIfEmpty } from './db/demo.js';
import { claimDataDir } from './cli/server-registry.js';
import { imageBeside, usableImage } from './new-database-image.js';
import { dumpPostgres, writeEmbeddedBackup } from './db/backup.js';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { openCallerCache, type CallerCache } from './db/caller-cache.js';
import type { SessionPrincipal } from './db/queries/caller.js';

export interface RunningServer {
  /** where this process listens, e.g. http://127.0.0.1:3000 */
  url: string;
  /** where people reach it: PORTICO_PUBLIC_URL, or the same as url */
  publicUrl: string;
  close(): Promise<void>;
  handle: DbHandle;
}

export async function startServer(config: Config = loadConfig(), options: BuildOptions = {}): Promise<RunningServer> {
  // PGlite admits one process: announce this server in <dataDir>/server.json so `portico` commands
  // work through it instead of opening the directory themselves.
  const claim = config.databaseUrl ? undefined : await claimDataDir(config.dataDir);
  let handle: DbHandle | undefined;
  let background: BackgroundWork | undefined;
  let callers: CallerCache<SessionPrincipal> | undefined;
  try {
    const env = { DATABASE_URL: config.databaseUrl, PORTICO_DATA_DIR: config.dataDir };
    if (config.databaseUrl) {
      // Migrations may build indexes over large tables: they run on a connection of their own,
      // without the statement timeout that bounds every request.
      const maintenance = await openDatabase(env, { poolSize: 1, statementTimeoutMs: 0 });
      try {
        await migrateToLatest(maintenance.db);
        if (config.demo) await loadDemoDataIfEmpty(maintenance.db);
      } finally {
        await maintenance.close();
      }
    }
    handle = await openDatabase(env, {
      statementTimeoutMs: config.statementTimeoutMs,
      fsync: config.embeddedFsync,
      // beside the built server (dist/server/): a new data directory starts from it, not from initdb
      newDatabaseImage: () => usableImage(imageBeside(import.meta.url)),
    });
    const db = handle.db;
    if (!config.databaseUrl) {
      await migrateToLatest(db);
      if (config.demo) await loadDemoDataIfEmpty(db);
    }
    // Background jobs (mail delivery) run in every server process, never in the `portico` CLI.
    const opening = handle;
    const writeBackup = config.databaseUrl
      ? (file: string) => dumpPostgres(config.databaseUrl!, file)
      : (file: string) => writeEmbeddedBackup(opening.atCheckpoint!.bind(opening), config.dataDir, createWriteStream(file, { mode: 0o600 }));
    background = await startBackgroundWork(handle, config, { onError: (error) => console.error(`[jobs] ${error.message}`), writeBackup });
    // Who a token or a session is, kept by the instance and dropped on every instance by any change (db/caller-cache.ts).
    if (config.callerCache) callers = await openCallerCache<SessionPrincipal>(handle);
    const atCheckpoint = handle.atCheckpoint?.bind(handle);
    const backup = atCheckpoint && !config.databaseUrl ? (out: Writable) => writeEmbeddedBackup(atCheckpoint, config.dataDir, out) : undefined;
    const app = await buildApp({ db, mailer: background.mailer, config: { ...config, cliSecret: claim?.cliSecret }, backup }, { callers, ...options });
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host}:${port}`;
    claim?.announce(url);
    background.startMailboxPolling(app.publicUrl);
    const opened = handle;
    const jobs = background;
    const cache = callers;
    return {
      url,
      publicUrl: app.publicUrl,
      handle: opened,
      async close() {
        await app.close();
        await cache?.close();
        await jobs.stop();
        await opened.close();
        claim?.release();
      },
    };
  } catch (error) {
    await callers?.close().catch(() => {});
    await background?.stop().catch(() => {});
    await handle?.close().catch(() => {});
    claim?.release();
    throw error;
  }
}
