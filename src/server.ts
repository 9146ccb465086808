import { loadConfig, type Config } from './config.js';
import { openDatabase, type DbHandle } from './db/connection.js';
import { migrateToLatest } from './db/migrate.js';
import { startBackgroundWork, type BackgroundWork } from './jobs/index.js';
import { buildApp, type BuildOptions } from './http/app.js';
import { loadDemoDataIfEmpty } from './db/demo.js';
import { claimDataDir } from './cli/server-registry.js';
import { imageBeside, usableImage } from './new-database-image.js';
import type { Metrics } from './metrics.js';
import { HttpDrain } from './http/drain.js';
import { startMetricsListener, type ServerState } from './http/plugins/operations.js';
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
  /** PORTICO_METRICS_PORT's address (http://127.0.0.1:PORT/metrics), when one is set */
  metricsUrl: string | undefined;
  /**
   * Shuts down gracefully (docs/operations.md, "Graceful shutdown"): /readyz answers 503, no new
   * connection is accepted, requests and jobs under way get up to PORTICO_SHUTDOWN_GRACE_SECONDS to
   * end (a job still running then goes back to the queue), then the database is closed. Calling it
   * again returns the same promise.
   */
  close(): Promise<void>;
  handle: DbHandle;
  /** what it counts, when PORTICO_METRICS_TOKEN or PORTICO_METRICS_PORT is set */
  metrics: Metrics | undefined;
}

export async function startServer(config: Config = loadConfig(), options: BuildOptions = {}): Promise<RunningServer> {
  // PGlite admits one process: announce this server in <dataDir>/server.json so `portico` commands
  // work through it instead of opening the directory themselves.
  const claim = config.databaseUrl ? undefined : await claimDataDir(config.dataDir);
  let handle: DbHandle | undefined;
  let background: BackgroundWork | undefined;
  let metricsListener: { url: string; close(): Promise<void> } | undefined;
  // Counted only when someone can read it (a token or the metrics port): otherwise nothing is spent on
  // it, and prom-client is never loaded (docs/architecture.md, "Loaded on first use").
  const metrics =
    config.metricsToken !== undefined || config.metricsPort !== undefined
      ? new (await import('./metrics.js')).Metrics({ database: config.databaseUrl ? 'postgres' : 'pglite' })
      : undefined;
  const state: ServerState = { draining: false };
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
      poolSize: config.dbPoolSize,
      onQuery: metrics?.queryRan,
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
    background = await startBackgroundWork(handle, config, {
      onError: (error) => console.error(`[jobs] ${error.message}`),
      writeBackup,
      onRun: metrics ? (queue, failed) => metrics.jobRan(queue, failed) : undefined,
      workersOnceListening: true,
    });
    const opened = handle;
    const jobs = background;
    metrics?.watchPool(() => opened.poolUse());
    metrics?.watchQueue(() => jobs.depth());
    // Who a token or a session is, kept by the instance and dropped on every instance by any change (db/caller-cache.ts).
    if (config.callerCache) callers = await openCallerCache<SessionPrincipal>(handle);
    const atCheckpoint = handle.atCheckpoint?.bind(handle);
    const backup = atCheckpoint && !config.databaseUrl ? (out: Writable) => writeEmbeddedBackup(atCheckpoint, config.dataDir, out) : undefined;
    const app = await buildApp({ db, mailer: background.mailer, webhooks: background.webhooks, config: { ...config, cliSecret: claim?.cliSecret }, metrics, state, backup }, { callers, ...options });
    const drain = new HttpDrain(app.server);
    await app.listen({ port: config.port, host: config.host });
    if (metrics && config.metricsPort !== undefined) metricsListener = await startMetricsListener(metrics, { port: config.metricsPort, token: config.metricsToken });
    const listener = metricsListener;
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host}:${port}`;
    claim?.announce(url);
    // the job workers start once the server answers: their first queries are not part of its start
    await background.startWorkers();
    background.startMailboxPolling(app.publicUrl);
    const cache = callers;
    let closing: Promise<void> | undefined;
    const shutDown = async () => {
      state.draining = true;
      const graceMs = config.shutdownGraceSeconds * 1000;
      const deadline = Date.now() + graceMs;
      // requests and jobs end side by side, each within the grace period
      const jobsStopped = jobs.stop({ timeoutMs: graceMs });
      const cutOff = await drain.drain(deadline);
      if (cutOff > 0) app.log.warn(`shutdown: ${cutOff} request(s) still running after ${config.shutdownGraceSeconds} s were cut off`);
      await app.close(); // and the work started after answers (http/after-response.ts)
      await cache?.close();
      await jobsStopped;
      await listener?.close();
      // PGlite writes its files out and closes the data directory: the next start finds it consistent
      await opened.close();
      claim?.release();
    };
    return {
      url,
      publicUrl: app.publicUrl,
      metricsUrl: listener?.url,
      handle: opened,
      metrics,
      close() {
        closing ??= shutDown();
        return closing;
      },
    };
  } catch (error) {
    await metricsListener?.close().catch(() => {});
    await callers?.close().catch(() => {});
    await background?.stop().catch(() => {});
    await handle?.close().catch(() => {});
    claim?.release();
    throw error;
  }
}
