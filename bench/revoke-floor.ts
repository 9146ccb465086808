// What PostgreSQL alone does with the app's own one-statement revoke and grant, ten at once
// (docs/benchmarks.md, "The floor under a revoke at ten at once"): no HTTP, no Node server, no
// caller cache — pgbench (PostgreSQL's own C client, so the load takes little of the two cores) runs
// the very statements `revokeActiveCustomer` and `grantRevokedCustomer` compile to
// (src/db/queries/customer-access.ts), as kept (prepared) statements, each client revoking and then
// granting its own customer in turn, one statement a transaction, as the server sends them.
//
//   BENCH_DATABASE=portico_bench_scale npx tsx bench/revoke-floor.ts
//
// The database is one bench/scale.ts filled and kept (BENCH_KEEP=1); the customers are its "light"
// ones (one reference, no session: bench/support/generate.ts). BENCH_CLIENTS (default "10 4": one
// run each), BENCH_SECONDS a run (default 15). Prints transactions a second and p50/p99 per
// statement at each number of clients; prints, never asserts. Needs pgbench (Debian's
// postgresql-15 package: /usr/lib/postgresql/15/bin/pgbench).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type CompiledQuery, DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';
import pg from 'pg';
import type { Database } from '../src/db/schema.js';
import { grantRevokedCustomer, revokeActiveCustomer } from '../src/db/queries/customer-access.js';
import { POSTGRES_ADMIN_URL, urlFor } from '../test/support/postgres-admin.js';
import { customerId } from './support/generate.js';

const DATABASE = process.env.BENCH_DATABASE ?? 'portico_bench_scale';
const CLIENTS = (process.env.BENCH_CLIENTS ?? '10 4').split(/\s+/).filter(Boolean).map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const PGBENCH = ['/usr/lib/postgresql/15/bin/pgbench', 'pgbench'].find((p) => p === 'pgbench' || existsSync(p))!;

/** A Kysely that compiles and keeps the last query instead of running it. */
function compiler(): { db: Kysely<Database>; last: () => CompiledQuery } {
  let last: CompiledQuery | undefined;
  const connection: DatabaseConnection = {
    executeQuery: async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
      last = query;
      return { rows: [] };
    },
    streamQuery: () => {
      throw new Error('not used');
    },
  };
  const driver: Driver = Object.assign(new DummyDriver(), { acquireConnection: async () => connection });
  const db = new Kysely<Database>({
    dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => driver, createIntrospector: (k) => new PostgresIntrospector(k), createQueryCompiler: () => new PostgresQueryCompiler() },
  });
  return { db, last: () => last! };
}

/** The statement as a pgbench script line: the account a variable of each client, every other value a variable set once (-D), NULL written as is. */
function scriptOf(query: CompiledQuery, tag: string, accountId: string, defines: string[]): string {
  return query.sql.replace(/\$(\d+)/g, (_, n: string) => {
    const value = query.parameters[Number(n) - 1];
    if (value === null || value === undefined) return 'NULL';
    if (value === accountId) return ':acct';
    const text = value instanceof Date ? value.toISOString() : String(value);
    defines.push('-D', `${tag}${n}=${text}`);
    return `:${tag}${n}`;
  }).replace(/\s+/g, ' ');
}

const client = new pg.Client({ connectionString: urlFor(DATABASE) });
await client.connect();
try {
  const site = (await client.query(`SELECT s.id, s.org_id FROM sites s WHERE s.slug = 'acme'`)).rows[0] as { id: string; org_id: string };
  const admin = (await client.query(`SELECT account_id FROM org_admins WHERE org_id = $1 LIMIT 1`, [site.org_id])).rows[0].account_id as string;
  const sizes = (await client.query(`SELECT sizes FROM bench_scale_sizes`)).rows[0]?.sizes as string | undefined;
  const heavy = Number((JSON.parse(sizes ?? '{}') as { heavy?: number }).heavy ?? 20);
  const most = Math.max(...CLIENTS);
  const ids = Array.from({ length: most }, (_, k) => customerId('acme', 1 + heavy + k));
  const found = (await client.query(`SELECT count(*)::int AS n FROM accounts WHERE account_id = ANY ($1) AND site_id = $2`, [ids, site.id])).rows[0].n as number;
  if (found !== most) throw new Error(`${DATABASE}: expected ${most} light customers of acme, found ${found} (fill it with BENCH_KEEP=1 npx tsx bench/scale.ts server)`);

  // the app's own statements, compiled for the first customer (each client puts its own in :acct)
  const { db, last } = compiler();
  const now = new Date();
  const audit = (action: string) => ({ action, orgId: site.org_id, siteId: site.id, actorId: admin, targetId: ids[0], ip: '127.0.0.1', userAgent: null, details: {} });
  await revokeActiveCustomer(db, { siteId: site.id, accountId: ids[0], actorId: admin, now, reason: null, audit: audit('customer.access.revoked'), orgId: site.org_id, event: 'customer.access.revoked' });
  const revoke = last();
  await grantRevokedCustomer(db, { siteId: site.id, accountId: ids[0], now, audit: audit('customer.access.granted'), orgId: site.org_id, event: 'customer.access.granted' });
  const grant = last();
  const defines: string[] = [];
  const script = [
    '\\if :got = 0',
    'SELECT acct FROM bench_revoke_floor WHERE n = :client_id \\gset',
    '\\set got 1',
    '\\endif',
    '\\set phase 1 - :phase',
    '\\if :phase = 1',
    `${scriptOf(revoke, 'r', ids[0], defines)};`,
    '\\else',
    `${scriptOf(grant, 'g', ids[0], defines)};`,
    '\\endif',
  ].join('\n');

  await client.query(`DROP TABLE IF EXISTS bench_revoke_floor`);
  await client.query(`CREATE TABLE bench_revoke_floor (n int PRIMARY KEY, acct text NOT NULL)`);
  await client.query(`INSERT INTO bench_revoke_floor SELECT k - 1, id FROM unnest($1::text[]) WITH ORDINALITY AS x(id, k)`, [ids]);
  const dir = mkdtempSync(path.join(tmpdir(), 'portico-revoke-floor-'));
  const url = new URL(POSTGRES_ADMIN_URL);
  const lines: string[] = [];
  try {
    writeFileSync(path.join(dir, 'floor.sql'), script + '\n');
    for (const clients of CLIENTS) {
      const run = spawnSync(
        PGBENCH,
        ['-h', url.hostname, '-p', url.port || '5432', '-U', url.username || 'postgres', '-n', '-M', 'prepared', '-c', String(clients), '-j', '2', '-T', String(SECONDS),
          '-D', 'got=0', '-D', 'phase=0', '-l', `--log-prefix=${path.join(dir, `log${clients}`)}`, ...defines, '-f', path.join(dir, 'floor.sql'), DATABASE],
        { encoding: 'utf8' },
      );
      if (run.status !== 0) throw new Error(`pgbench: ${run.stderr}`);
      // each client's log: client, transaction number, latency (µs), …; its even transactions are revokes
      const revokes: number[] = [];
      const grants: number[] = [];
      for (const file of readdirSync(dir).filter((f) => f.startsWith(`log${clients}.`))) {
        for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n').filter(Boolean)) {
          const [, transaction, micros] = line.split(' ').map(Number);
          (transaction % 2 === 0 ? revokes : grants).push(micros / 1000);
        }
      }
      const at = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))].toFixed(2);
      const tps = /tps = ([\d.]+)/.exec(run.stdout)?.[1] ?? '?';
      lines.push(`${String(clients).padStart(3)} clients: ${Number(tps).toFixed(0).padStart(6)} statements/s   revoke p50 ${at(revokes, 0.5).padStart(6)}  p99 ${at(revokes, 0.99).padStart(6)}   grant p50 ${at(grants, 0.5).padStart(6)}  p99 ${at(grants, 0.99).padStart(6)} ms`);
      // the customers active again for the next run (a grant of an active one changes nothing):
      // every client starts from an active customer, its first statement a revoke
      const granting = compiler();
      for (const id of ids) {
        await grantRevokedCustomer(granting.db, { siteId: site.id, accountId: id, now: new Date(), audit: { ...audit('customer.access.granted'), targetId: id }, orgId: site.org_id, event: 'customer.access.granted' });
        const q = granting.last();
        await client.query(q.sql, q.parameters as unknown[]);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await client.query(`DROP TABLE IF EXISTS bench_revoke_floor`);
  }
  console.log(`\nPostgreSQL alone: the app's one-statement revoke and grant (kept statements), each client its own light customer, ${SECONDS} s a run, ${DATABASE}`);
  for (const line of lines) console.log(line);
} finally {
  await client.end();
}
