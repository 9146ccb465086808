import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createPostgresDatabase, REPO_ROOT, startPortico, type RunningPortico } from './server.js';
import { dropLeftoverDatabases } from '../../support/postgres-admin.js';

/**
 * Once per end-to-end run, before any file:
 *
 * 1. bundles the server (scripts/build-server.js) when its sources changed, so every Portico process
 *    of the run starts from built JavaScript;
 * 2. makes the templates: a PGlite data directory and a PostgreSQL database in which a server started
 *    once on empty storage — migrations run, demo data loaded, the job queue's schema installed —
 *    and stopped. Every later server starts on a copy (a copied directory; CREATE DATABASE …
 *    TEMPLATE), so it migrates and loads nothing;
 * 3. starts the server shared by the files that change nothing (`sharedPortico()`);
 * 4. makes the directory in which the workers note the screens axe has checked (browser.ts).
 *
 * Everything is removed when the run ends.
 */
export default async function setup(project: TestProject) {
  const build = spawnSync(process.execPath, ['scripts/build-server.js'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`scripts/build-server.js failed:\n${build.stdout}${build.stderr}`);

  // what earlier runs that were stopped halfway left on the PostgreSQL server
  await dropLeftoverDatabases();
  const templateDir = mkdtempSync(path.join(tmpdir(), 'portico-e2e-template-'));
  const pgliteTemplate = path.join(templateDir, 'data');
  let postgres: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
  let shared: RunningPortico | undefined;
  const teardown = async () => {
    await shared?.stop();
    await postgres?.drop();
    rmSync(templateDir, { recursive: true, force: true });
  };
  try {
    const firstStart = async (options: Parameters<typeof startPortico>[0]) => (await startPortico(options)).stop();
    await Promise.all([
      firstStart({ dataDir: pgliteTemplate, copyOf: null }),
      (async () => {
        postgres = await createPostgresDatabase({ empty: true });
        await firstStart({ databaseUrl: postgres.url });
      })(),
    ]);
    shared = await startPortico({ copyOf: pgliteTemplate });
    const screensChecked = path.join(templateDir, 'screens-checked');
    mkdirSync(screensChecked);
    project.provide('e2e', { pgliteTemplate, postgresTemplate: postgres!.name, sharedUrl: shared.url, screensChecked });
  } catch (error) {
    await teardown().catch(() => {});
    throw error;
  }
  return teardown;
}
