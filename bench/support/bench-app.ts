import { randomUUID } from 'node:crypto';
import { buildApp } from '../../src/http/app.js';
import { loadConfig } from '../../src/config.js';
import { createOutboxMailer } from '../../src/mailer.js';
import { loadDemoData } from '../../src/db/demo.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { openPglite, type DbHandle } from '../../src/db/connection.js';
import { hashSecret, newSecret } from '../../src/domain/secrets.js';
import type { App } from '../../src/http/deps.js';
import { createTestDatabase } from '../../test/support/db.js';
import { addRequests } from './big-site.js';

export interface BenchApp {
  app: App;
  handle: DbHandle;
  /** Authorization header of an API token of the org admin of acme */
  ada: Record<string, string>;
  close(): Promise<void>;
}

/**
 * A Portico app with the demo data plus `requests` more requests on acme/HELP (bench/support/
 * big-site.ts), on an in-memory PGlite or on a fresh database of the PostgreSQL server.
 */
export async function benchApp(kind: 'pglite' | 'postgres', requests: number, options: { fairShare?: boolean } = {}): Promise<BenchApp> {
  let handle: DbHandle;
  if (kind === 'pglite') {
    handle = await openPglite(undefined, { fairShare: options.fairShare });
    await migrateToLatest(handle.db);
  } else {
    handle = await createTestDatabase('postgres');
  }
  await loadDemoData(handle.db);
  if (requests > 0) await addRequests(handle.db, { count: requests });
  const app = await buildApp({ db: handle.db, mailer: createOutboxMailer(), config: { ...loadConfig({}), logLevel: 'silent' } });
  await app.ready();
  const account = await handle.db.selectFrom('accounts').select('account_id').where('kind', '=', 'staff').where('email_lower', '=', 'admin@acme.test').executeTakeFirstOrThrow();
  const token = newSecret();
  await handle.db.insertInto('api_tokens').values({ id: randomUUID(), account_id: account.account_id, label: 'bench', token_hash: hashSecret(token) }).execute();
  return {
    app,
    handle,
    ada: { authorization: `Basic ${Buffer.from(`admin@acme.test:${token}`).toString('base64')}` },
    async close() {
      await app.close();
      await handle.close();
    },
  };
}
