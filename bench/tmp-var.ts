import { CompiledQuery, sql } from 'kysely';
import { openPglite } from '../src/db/connection.js';
import { planJqlPage } from '../src/use-cases/filters/jql-search.js';
const h = await openPglite(process.argv[2]);
const db = h.db;
const site = await db.selectFrom('sites').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow();
const admin = await db.selectFrom('accounts').select('account_id').where('email', '=', 'admin@acme.test').executeTakeFirstOrThrow();
await sql.raw(`CREATE OR REPLACE FUNCTION tmp_m(s text, l text, p text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN lower(s) LIKE l AND lower(s) ~ p; END $$`).execute(db);
for (const word of process.argv.slice(3)) {
  const { page } = await planJqlPage(db as never, { siteId: site.id, jql: `text ~ "${word}"`, viewer: { accountId: admin.account_id, kind: 'staff' } });
  const c = page.compile();
  const v1 = c.sql.replace(/\(lower\("requests"\."(summary|description)"\) like (\$\d+) and lower\("requests"\."\1"\) ~ (\$\d+)\)/g, 'tmp_m("requests"."$1", $2, $3)');
  for (const [name, text] of [['as is', c.sql], ['opaque', v1]]) {
    let line = '';
    for (let i = 0; i < 3; i++) {
      const r = await db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw('EXPLAIN (ANALYZE, BUFFERS) ' + text, c.parameters as unknown[]));
      const plan = r.rows.map((x) => x['QUERY PLAN']);
      line = `${plan.find((l) => /Execution Time/.test(l))}  ${plan.some((l) => /Bitmap Heap Scan on requests/.test(l)) ? 'bitmap' : 'walk'}  ${plan[0].slice(0, 60)}`;
    }
    console.log(word, name.padEnd(8), line);
  }
}
await h.close();
