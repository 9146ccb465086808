// The image of a new embedded database: what `npm start` on an empty data directory would otherwise
// build at every first start — PGlite's initdb (about 5 s on a 2-core machine, most of a cold start),
// Portico's migrations and the job queue's schema — made once when the server is built
// (scripts/build-server.js runs src/make-new-database-image.ts's bundle) and unpacked into the empty
// directory instead (docs/architecture.md, "Starting fast"). The demo data is not in it: it is loaded
// at start as before, with fresh ids and password hashes for each installation.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPglite } from './db/connection.js';
import { migrateToLatest, MIGRATION_NAMES } from './db/migrate.js';
import { startBackgroundWork } from './jobs/index.js';
import { loadConfig } from './config.js';

export interface NewDatabaseImage {
  /** the gzipped dump of the data directory (PGlite's dumpDataDir) */
  file: string;
  /** beside it: what it was made with, so a different PGlite or migration set is never unpacked */
  manifest: string;
}

interface Manifest {
  pglite: string;
  migrations: string[];
}

/** The image at `file` (…/NAME.tar.gz), with its manifest beside it (…/NAME.json). */
export function imageAt(file: string): NewDatabaseImage {
  return { file, manifest: file.replace(/\.tar\.gz$/, '') + '.json' };
}

/** The image that a server bundle finds beside itself (dist/server/), or none (when run from src/). */
export function imageBeside(moduleUrl: string): NewDatabaseImage {
  return imageAt(path.join(path.dirname(fileURLToPath(moduleUrl)), 'new-database.tar.gz'));
}

function installedPgliteVersion(): string {
  const require = createRequire(import.meta.url);
  const main = require.resolve('@electric-sql/pglite');
  // …/node_modules/@electric-sql/pglite/dist/index.cjs → the package's package.json
  let dir = path.dirname(main);
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

function currentManifest(): Manifest {
  return { pglite: installedPgliteVersion(), migrations: [...MIGRATION_NAMES] };
}

/**
 * The image's file when it exists and was made by this PGlite with exactly these migrations; else
 * undefined, and the new data directory is made the slow way (initdb, then the migrations).
 */
export function usableImage(image: NewDatabaseImage | undefined): string | undefined {
  if (!image || !existsSync(image.file) || !existsSync(image.manifest)) return undefined;
  try {
    const made = JSON.parse(readFileSync(image.manifest, 'utf8')) as Manifest;
    return JSON.stringify(made) === JSON.stringify(currentManifest()) ? image.file : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Makes the image: a database in memory, migrated, with the job queue's schema and the queues a
 * server with the default settings works (creating them is DDL, about a third of a second of a first
 * start on PGlite: docs/benchmarks.md, "Cold start"), dumped. A queue a server's settings add (mail
 * delivery, scheduled backups) is created at its first start, as any missing one is.
 */
export async function makeNewDatabaseImage(image: NewDatabaseImage): Promise<void> {
  const handle = await openPglite(undefined);
  try {
    await migrateToLatest(handle.db);
    const background = await startBackgroundWork(handle, loadConfig({}), { workersOnceListening: true });
    await background.stop();
    const dump = await handle.dump('gzip');
    writeFileSync(image.file, Buffer.from(await dump.arrayBuffer()));
    writeFileSync(image.manifest, `${JSON.stringify(currentManifest(), null, 2)}\n`);
  } finally {
    await handle.close();
  }
}
