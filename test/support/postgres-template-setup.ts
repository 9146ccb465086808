import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { openPostgres } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { loadDemoData } from '../../src/db/demo.js';
import { oncePerRun } from './once-per-run.js';
import { adminQuery, dropLeftoverDatabases, urlFor } from './postgres-admin.js';

/**
 * Once per test run: two template databases on the PostgreSQL server, one migrated and one with the
 * demo data too. Each PostgreSQL test file then gets `CREATE DATABASE … TEMPLATE` (a copy made by
 * the server) instead of running the migrations and the demo data itself — the same schema and
 * data, in a fraction of the time. Dropped when the run ends.
 */
export default async function setup(project: TestProject) {
  const run = oncePerRun('postgres-templates', async () => {
    // what earlier runs that were stopped halfway left on the server
    await dropLeftoverDatabases();
    const prefix = `portico_tpl_${randomBytes(4).toString('hex')}`;
    const templates = { migrated: `${prefix}_migrated`, demo: `${prefix}_demo` };
    const remove = () => adminQuery(...Object.values(templates).map((name) => `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    try {
      await adminQuery(`CREATE DATABASE ${templates.migrated}`);
      const migrated = openPostgres(urlFor(templates.migrated), 1);
      await migrateToLatest(migrated.db);
      await migrated.close();
      // a database is copied only while nobody is connected to it: the pool above is closed
      await adminQuery(`CREATE DATABASE ${templates.demo} TEMPLATE ${templates.migrated}`);
      const demo = openPostgres(urlFor(templates.demo), 1);
      await loadDemoData(demo.db);
      await demo.close();
    } catch (error) {
      await remove().catch(() => {});
      throw error;
    }
    return { value: templates, remove };
  });
  project.provide('postgresTemplates', await run.value);
  return run.release;
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresTemplates: { migrated: string; demo: string } | undefined;
  }
}
