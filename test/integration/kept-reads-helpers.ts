import { afterAll, beforeAll, expect } from 'vitest';
import { loadDemoData } from '../../src/db/demo.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { CachedInstances, type CachedInstance } from '../support/cached-instances.js';
import { accountIdOf, as, type Session } from '../support/app.js';
import { staffAuth, type Headers } from './rest-helpers.js';

/** What the tests of kept reads (JQL look-ups, picker answers; the caller cache's test shares changeAccess) share: the demo database, its instances, and who is who (set before the file's tests). */
export interface KeptReadsDemo {
  database: TestDatabase;
  /** a new instance with a caller cache of its own, once it may be used */
  instance(): Promise<CachedInstance>;
  /** the org admin's API token */
  ada: Headers;
  acmeId: string;
  globexId: string;
  aliceId: string;
}

/**
 * A test database with the demo data for this file, with instances started on it as servers run
 * (test/support/cached-instances.ts), all stopped after the file.
 */
export function keptReadsDemo(): KeptReadsDemo {
  let database: TestDatabase | undefined;
  const instances = new CachedInstances(() => database!);
  const demo = { instance: () => instances.start() } as KeptReadsDemo;
  beforeAll(async () => {
    database = await createTestDatabase(undefined, { demo: true });
    if (!database.hasDemo) await loadDemoData(database.db);
    demo.database = database;
    demo.ada = await staffAuth({ db: database.db } as never, 'admin@acme.test');
    const sites = await database.db.selectFrom('sites').select(['id', 'slug']).execute();
    demo.acmeId = sites.find((s) => s.slug === 'acme')!.id;
    demo.globexId = sites.find((s) => s.slug === 'globex')!.id;
    demo.aliceId = await accountIdOf(database.db, 'alice@customer.test', 'acme');
  });
  afterAll(async () => {
    await instances.close();
    await database?.close();
  });
  return demo;
}

/** Revokes or grants a customer's access through the admin console of `i`, as `admin`. */
export async function changeAccess(i: CachedInstance, admin: Session, accountId: string, verb: 'revoke' | 'grant'): Promise<void> {
  const res = await i.app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${accountId}/${verb}`, headers: as(admin) });
  expect(res.statusCode, res.body).toBe(200);
}
