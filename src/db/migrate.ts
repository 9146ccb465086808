import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import type { Db } from './connection.js';
import * as initial from './migrations/20261128T2300_initial.js';
import * as filterIndexes from './migrations/20261128T2330_filter_indexes.js';
import * as jqlPerf from './migrations/20261128T2345_jql_perf.js';
import * as loginKnownAddresses from './migrations/20261201T2000_login_known_addresses.js';
import * as outboxDelivery from './migrations/20261201T2140_outbox_delivery.js';

// Migrations are listed here (not read from the directory) so they work the same from source
// under tsx and from any bundle. Names are timestamps; Kysely runs them in name order.
const migrations: Record<string, Migration> = {
  '20261128T2300_initial': initial,
  '20261128T2330_filter_indexes': filterIndexes,
  '20261128T2345_jql_perf': jqlPerf,
  '20261201T2000_login_known_addresses': loginKnownAddresses,
  '20261201T2140_outbox_delivery': outboxDelivery,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String((error as Error)?.message ?? error)}`);
  }
}
