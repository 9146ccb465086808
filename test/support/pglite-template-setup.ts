import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openPglite } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { loadDemoData } from '../../src/db/demo.js';
import { oncePerRun } from './once-per-run.js';

/**
 * Once per test run: a migrated PGlite database, and one with the demo data too, dumped to files.
 * Each PGlite test file then starts from a dump instead of running initdb and the migrations —
 * the same schema and data, several times faster.
 */
export default async function setup(project: TestProject) {
  const run = oncePerRun('pglite-templates', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'portico-pglite-'));
    const handle = await openPglite(undefined);
    await migrateToLatest(handle.db);
    const migrated = path.join(dir, 'migrated.tar');
    writeFileSync(migrated, Buffer.from(await (await handle.dump()).arrayBuffer()));
    await loadDemoData(handle.db);
    const demo = path.join(dir, 'demo.tar');
    writeFileSync(demo, Buffer.from(await (await handle.dump()).arrayBuffer()));
    await handle.close();
    return { value: { migrated, demo }, remove: () => rmSync(dir, { recursive: true, force: true }) };
  });
  project.provide('pgliteTemplates', await run.value);
  return run.release;
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplates: { migrated: string; demo: string } | undefined;
  }
}
