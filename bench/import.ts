/**
 * "Import customers" at size (docs/product.md#import): writes a CSV of BENCH_IMPORT_ROWS customers
 * (default 100,000; first and last names as a real help center has them, every 20th revoked, a few
 * bad rows) and imports it on the PostgreSQL server the way `portico customers import` does
 * directly (streamed from the file, batches of 1,000), in its own database
 * (PORTICO_TEST_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/postgres), dropped at the end.
 * Prints rows/s and the total for the dry run, the import, and a re-run of the same file (all
 * present: nothing created twice). The target is 60 s or less for 100,000 rows.
 */
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '../test/support/db.js';
import { loadConfig } from '../src/config.js';
import { createOutboxMailer } from '../src/mailer.js';
import { importSiteCustomersFromCli, type ImportReport } from '../src/use-cases/customers/import-customers.js';
import { FIRST, LAST } from './support/names.js';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);

function csvOf(n: number): string {
  const lines = ['Name,Email,Status'];
  for (let i = 1; i <= n; i++) {
    const first = FIRST[(i * 7919) % FIRST.length];
    const last = LAST[(i * 104_729) % LAST.length];
    if (i % 10_000 === 0) lines.push(`${first} ${last},not-an-email-${i},Active`); // refused
    else lines.push(`${first} ${last},${first}.${last}${i}@customers.example`.toLowerCase() + (i % 20 === 0 ? ',Access revoked' : ',Active'));
  }
  return lines.join('\r\n') + '\r\n';
}

const dir = mkdtempSync(path.join(tmpdir(), 'portico-bench-import-'));
const file = path.join(dir, 'customers.csv');
writeFileSync(file, csvOf(ROWS));
const database = await createTestDatabase('postgres');
const db = database.db;
try {
  const orgId = randomUUID();
  await db.insertInto('organizations').values({ id: orgId, name: 'Bench', user_management: 'centralized' }).execute();
  await db.insertInto('sites').values({ id: randomUUID(), org_id: orgId, slug: 'bench', name: 'Bench' }).execute();
  const ctx = { db, actor: null, ip: null, userAgent: 'bench', mailer: createOutboxMailer(), config: loadConfig({}), origin: '' };
  console.log(`${ROWS.toLocaleString('en')} rows, ${(statSync(file).size / 1024 / 1024).toFixed(1)} MB of CSV; PostgreSQL (${database.label})`);

  const run = async (what: string, dryRun: boolean): Promise<ImportReport> => {
    const t = process.hrtime.bigint();
    const report = await importSiteCustomersFromCli(ctx, { siteSlug: 'bench', csv: createReadStream(file), dryRun });
    const s = Number(process.hrtime.bigint() - t) / 1e9;
    const rate = Math.round(report.rows / s).toLocaleString('en');
    console.log(
      `${what.padEnd(26)} ${s.toFixed(1).padStart(6)} s  ${rate.padStart(8)} rows/s  ` +
        `created ${report.created} (${report.createdRevoked} revoked), present ${report.present}, refused ${report.refused}`,
    );
    return report;
  };
  await run('dry run', true);
  const first = await run('import', false);
  const again = await run('re-run of the same file', false);
  const n = await db.selectFrom('accounts').select((eb) => eb.fn.countAll<string>().as('n')).where('kind', '=', 'customer').executeTakeFirstOrThrow();
  console.log(`customers in the database: ${Number(n.n).toLocaleString('en')} (created ${first.created}, then ${again.created})`);
} finally {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}
