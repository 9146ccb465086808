import { PGlite, protocol, parse } from '@electric-sql/pglite';
import { openPglite } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { loadDemoData } from '../src/db/demo.js';
const h = await openPglite(undefined); await migrateToLatest(h.db); await loadDemoData(h.db);
const dump = await h.dump(); await h.close();
const pg = await PGlite.create(undefined, { loadDataDir: dump, extensions: { pg_trgm: (await import('@electric-sql/pglite/contrib/pg_trgm')).pg_trgm } });
const { serialize } = protocol;
const site = (await pg.query<{ id: string }>(`select id from sites where slug='acme'`)).rows[0].id;
const SQL = `select account_id, kind, site_id, email, display_name, status from accounts where (kind = 'customer' or exists (select 1 from sites s where s.id = $1)) and ((account_id = any($2::text[]) and (kind='staff' or site_id = $1)) or (kind='customer' and site_id=$1 and email_lower = any($3::text[])) or (kind='staff' and email_lower = any($3::text[])))`;
const params = [site, ['x'], ['alice@customer.test']];
const concat = (...parts: Uint8Array[]) => { const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0)); let o = 0; for (const p of parts) { out.set(p, o); o += p.length; } return out; };
// prepare
const prep = await pg.runExclusive(async () => {
  const msgs = await pg.execProtocolStream(concat(serialize.parse({ name: 's1', text: SQL, types: [] }), serialize.describe({ type: 'S', name: 's1' }), serialize.sync()), { syncToFs: false });
  return msgs;
});
const pd = prep.find((m: any) => m.name === 'parameterDescription') as any;
const rd = prep.find((m: any) => m.name === 'rowDescription') as any;
console.log('prep msgs', prep.map((m: any) => m.name), pd.dataTypeIDs);
async function runPrepared(values: unknown[]) {
  return pg.runExclusive(async () => {
    const vals = values.map((v, i) => (v == null ? null : (pg.serializers[pd.dataTypeIDs[i]] ?? String)(v as never)));
    const msgs = await pg.execProtocolStream(concat(serialize.bind({ statement: 's1', values: vals as string[] }), serialize.execute({}), serialize.sync()), { syncToFs: false });
    return parse.parseResults([rd, ...msgs] as never, pg.parsers, { rowMode: 'object' } as never)[0];
  });
}
console.log('normal', JSON.stringify((await pg.query(SQL, params)).rows));
console.log('prepared', JSON.stringify((await runPrepared(params)).rows));
for (let round = 0; round < 3; round++) {
  let s = performance.now();
  for (let i = 0; i < 500; i++) await pg.query(SQL, params);
  const a = (performance.now() - s) / 500;
  s = performance.now();
  for (let i = 0; i < 500; i++) await runPrepared(params);
  const b = (performance.now() - s) / 500;
  console.log(`normal ${a.toFixed(3)} ms, prepared ${b.toFixed(3)} ms`);
}
