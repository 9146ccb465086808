import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPgliteDataDir, createTestDatabase, TEST_DB_KIND, type TestDatabase } from './db.js';
import { loadDemoData } from '../../src/db/demo.js';
import type { Config } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';

export interface ServerOnTestDatabase {
  server: RunningServer;
  /** the PostgreSQL test database (undefined on PGlite, whose data directory the server holds) */
  database: TestDatabase | undefined;
  close(): Promise<void>;
}

/**
 * A real server (src/server.ts) on this run's kind of test database: a new PostgreSQL test database,
 * or a new embedded data directory (both from the run's templates), with the demo data when asked — for tests of what only a
 * whole server does (metrics, readiness, shutdown).
 */
export async function startServerOnTestDatabase(config: Config, options: { demo?: boolean; prefix: string }): Promise<ServerOnTestDatabase> {
  let database: TestDatabase | undefined;
  let dataDir: string | undefined;
  if (TEST_DB_KIND === 'postgres') {
    database = await createTestDatabase('postgres', { demo: options.demo });
    if (options.demo && !database.hasDemo) await loadDemoData(database.db);
    config = { ...config, databaseUrl: database.url, demo: false };
  } else {
    // from this run's template, as the PostgreSQL test database is: a server's first start on an
    // empty directory (no image beside src/: PGlite's initdb, every migration) cost each such file
    // about ten seconds here, and is proven by new-database-image.test.ts and the browser tests
    dataDir = mkdtempSync(path.join(tmpdir(), `${options.prefix}-`));
    await createPgliteDataDir(dataDir, { demo: options.demo });
    config = { ...config, dataDir, databaseUrl: undefined, demo: false };
  }
  const server = await startServer(config);
  console.log(`database: ${TEST_DB_KIND}`);
  return {
    server,
    database,
    async close() {
      await server.close();
      await database?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
