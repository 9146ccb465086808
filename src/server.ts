import { loadConfig, type Config } from './config.js';
import { openDatabase, type DbHandle } from './db/connection.js';
import { migrateToLatest } from './db/migrate.js';
import { createMailer } from './mailer.js';
import { buildApp } from './http/app.js';
import { loadDemoDataIfEmpty } from './db/demo.js';
import { claimDataDir } from './cli/server-registry.js';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
  handle: DbHandle;
}

export async function startServer(config: Config = loadConfig(), options: { logger?: boolean } = {}): Promise<RunningServer> {
  // PGlite admits one process: announce this server in <dataDir>/server.json so `portico` commands
  // work through it instead of opening the directory themselves.
  const claim = config.databaseUrl ? undefined : await claimDataDir(config.dataDir);
  let handle: DbHandle | undefined;
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
    handle = await openDatabase(env, { statementTimeoutMs: config.statementTimeoutMs });
    const db = handle.db;
    if (!config.databaseUrl) {
      await migrateToLatest(db);
      if (config.demo) await loadDemoDataIfEmpty(db);
    }
    const mailer = await createMailer(config.smtpUrl);
    const app = await buildApp({ db, mailer, config: { ...config, cliSecret: claim?.cliSecret } }, options);
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host}:${port}`;
    claim?.announce(url);
    const opened = handle;
    return {
      url,
      handle: opened,
      async close() {
        await app.close();
        await opened.close();
        claim?.release();
      },
    };
  } catch (error) {
    await handle?.close().catch(() => {});
    claim?.release();
    throw error;
  }
}
