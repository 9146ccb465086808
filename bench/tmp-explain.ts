import { CompiledQuery, sql } from 'kysely';
import { openPglite } from '../src/db/connection.js';
import { planJqlPage } from '../src/use-cases/filters/jql-search.js';
const h = await openPglite(process.argv[2]);
const db = h.db;
const site = await db.selectFrom('sites').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow();
const admin = await db.selectFrom('accounts').select('account_id').where('email', '=', process.argv[4] ?? 'admin@acme.test').executeTakeFirstOrThrow();
const kind = (process.argv[5] ?? 'staff') as 'staff' | 'customer';
const { page } = await planJqlPage(db as never, { siteId: site.id, jql: process.argv[3], viewer: { accountId: admin.account_id, kind } });
const c = page.compile();
for (const setting of (process.env.SETTINGS ?? '').split(';').filter(Boolean)) await sql.raw(setting).execute(db);
for (let i = 0; i < 2; i++) {
  const t = Date.now();
  const r = await db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw('EXPLAIN (ANALYZE, BUFFERS) ' + c.sql, c.parameters as unknown[]));
  if (i === 1 || process.env.BOTH) console.log(r.rows.map((x) => x['QUERY PLAN']).join('\n'), '\n', Date.now() - t, 'ms');
}
await h.close();
