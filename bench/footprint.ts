/**
 * The cost of a revoke's footprint (docs/product.md#footprint; db/queries/access-footprint.ts): a
 * customer with BENCH_REFERENCES references (default 100,000: half as a participant, half as a
 * user-picker value, on requests others reported) against a customer with one, on the embedded
 * database and on the PostgreSQL server, side by side in one run. Prints the median and p99 of the
 * footprint statement (BENCH_CALLS calls each, in turn) and the heavy/light ratio; BENCH_EXPLAIN=1
 * adds the plans of the heavy customer's two big counts. Prints, never asserts.
 */
import { sql } from 'kysely';
import { createTestDatabase } from '../test/support/db.js';
import { loadDemoData } from '../src/db/demo.js';
import { accessFootprints } from '../src/db/queries/access-footprint.js';
import { openPostgres, type Db } from '../src/db/connection.js';
import { factories } from '../test/support/factories.js';

const REFERENCES = Number(process.env.BENCH_REFERENCES ?? 100_000);
const CALLS = Number(process.env.BENCH_CALLS ?? 200);

async function seed(db: Db): Promise<{ siteId: string; heavy: string; light: string }> {
  await sql`SET statement_timeout = 0`.execute(db); // one statement writes every request
  await loadDemoData(db);
  const site = await db.selectFrom('sites').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow();
  const project = await db.selectFrom('projects').select('id').where('site_id', '=', site.id).where('key', '=', 'HELP').executeTakeFirstOrThrow();
  const type = await db.selectFrom('request_types').select('id').where('project_id', '=', project.id).orderBy('id').executeTakeFirstOrThrow();
  const field = await db.insertInto('custom_fields').values({ site_id: site.id, name: 'Approver (bench)', type: 'user' }).returning('id').executeTakeFirstOrThrow();
  const customer = (name: string) => factories(db).customer({ siteId: site.id, email: `${name}@bench.test`, displayName: name });
  const heavy = await customer('heavy');
  const light = await customer('light');
  const reporter = await customer('reporter');
  const requests = Math.ceil(REFERENCES / 2);
  // requests reported by someone else, numbered after the demo's; the heavy customer takes part in
  // each and is named in its picker field; the light one in the first only
  await sql`
    INSERT INTO requests (site_id, project_id, request_type_id, number, key, summary, reporter_id)
    SELECT ${site.id}::uuid, ${project.id}, ${type.id}, 100000 + i, 'HELP-' || (100000 + i), 'Bench request ' || i, ${reporter}
    FROM generate_series(1, ${requests}::int) i`.execute(db);
  await sql`
    INSERT INTO request_participants (site_id, request_id, account_id)
    SELECT ${site.id}::uuid, id, ${heavy} FROM requests WHERE reporter_id = ${reporter}`.execute(db);
  await sql`
    INSERT INTO request_user_values (site_id, request_id, custom_field_id, account_id)
    SELECT ${site.id}::uuid, id, ${field.id}, ${heavy} FROM requests WHERE reporter_id = ${reporter}`.execute(db);
  await sql`
    INSERT INTO request_participants (site_id, request_id, account_id)
    SELECT ${site.id}::uuid, min(id), ${light} FROM requests WHERE reporter_id = ${reporter}`.execute(db);
  // as autovacuum leaves a table in steady use: statistics, and the visibility map that lets a count read the index alone
  await sql`VACUUM ANALYZE`.execute(db);
  return { siteId: site.id, heavy, light };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function p99(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))];
}

const lines: string[] = [];
for (const kind of ['pglite', 'postgres'] as const) {
  const database = await createTestDatabase(kind);
  try {
    const t0 = Date.now();
    // seeding inserts every request in one statement: on PostgreSQL, on a connection without the app's statement timeout
    const seeder = kind === 'postgres' ? openPostgres(database.url!, { poolSize: 1, statementTimeoutMs: 0 }) : undefined;
    const { siteId, heavy, light } = await seed(seeder?.db ?? database.db);
    await seeder?.close();
    const seeded = ((Date.now() - t0) / 1000).toFixed(1);
    const times = { heavy: [] as number[], light: [] as number[] };
    const counts = { heavy: '', light: '' };
    for (let i = 0; i < 20; i++) await accessFootprints(database.db, siteId, [i % 2 ? heavy : light]); // warm up
    if (process.env.BENCH_EXPLAIN) {
      for (const table of ['request_participants', 'request_user_values']) {
        const { rows } = await sql.raw<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) SELECT count(*) FROM ${table} WHERE account_id = '${heavy}'`).execute(database.db);
        lines.push(`${kind} ${table}:\n  ${rows.map((r) => r['QUERY PLAN']).join('\n  ')}`);
      }
    }
    for (let i = 0; i < CALLS; i++) {
      for (const [who, id] of [['heavy', heavy], ['light', light]] as const) {
        const start = performance.now();
        const f = (await accessFootprints(database.db, siteId, [id])).get(id)!.footprint;
        times[who].push(performance.now() - start);
        counts[who] = `${(f.requestsParticipating + f.pickerFieldReferences).toLocaleString('en')} references`;
      }
    }
    lines.push(`\n${kind === 'pglite' ? 'embedded (PGlite)' : 'PostgreSQL server'} (seeded in ${seeded} s), ${CALLS} calls each, ms:`);
    lines.push(`${'customer'.padEnd(10)} ${'references'.padStart(20)} ${'median'.padStart(8)} ${'p99'.padStart(8)}`);
    for (const who of ['heavy', 'light'] as const) {
      lines.push(`${who.padEnd(10)} ${counts[who].padStart(20)} ${median(times[who]).toFixed(3).padStart(8)} ${p99(times[who]).toFixed(3).padStart(8)}`);
    }
    lines.push(`heavy/light: median ${(median(times.heavy) / median(times.light)).toFixed(1)}×, p99 ${(p99(times.heavy) / p99(times.light)).toFixed(1)}×`);
  } finally {
    await database.close();
  }
}
console.log(lines.join('\n'));
