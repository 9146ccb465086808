import { loadConfig, type Config } from './config.js';
import { openDatabase, type DbHandle } from './db/connection.js';
import { migrateToLatest } from './db/migrate.js';
import { createMailer } from './mailer.js';
import { buildApp } from './http/app.js';
import { loadDemoDataIfEmpty } from './db/demo.js';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
  handle: DbHandle;
}

export async function startServer(config: Config = loadConfig(), options: { logger?: boolean } = {}): Promise<RunningServer> {
  const handle = await openDatabase({ DATABASE_URL: config.databaseUrl, PORTICO_DATA_DIR: config.dataDir });
  await migrateToLatest(handle.db);
  if (config.demo) await loadDemoDataIfEmpty(handle.db);
  const mailer = await createMailer(config.smtpUrl);
  const app = await buildApp({ db: handle.db, mailer, config }, options);
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host}:${port}`;
  return {
    url,
    handle,
    async close() {
      await app.close();
      await handle.close();
    },
  };
}
