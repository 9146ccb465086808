// A revoke's and a grant's cost alone, ten at once, and ten at once after twelve quiet seconds
// (docs/benchmarks.md, "A revoke's cost at ten at once"): `KIND=postgres|pglite npx tsx
// bench/revoke-probe.ts`. Starts Portico as `npm start` runs it (bench/support/built-server.ts, demo
// data, an org admin's API token), creates 20 customers over REST, then revokes and grants their
// access over REST (`PUT …/customer/user/{id}/revoke-portal-only-access`): 40 times one at a time,
// 10 batches of ten at once (the first batch printed apart: the pool opens its connections then),
// and one batch after 12 s with no request (WARM=n revokes and grants one at a time first, default 5;
// BATCHES=n batches of ten, default 10). Prints p50, p90 and the worst of each, and the CPU each
// call cost the server, the database's processes and this client (from /proc, so Linux only: where a
// revoke's time goes when ten share two cores), and the floor that CPU puts under a batch of ten on
// this machine's cores (floorOf, bench/support/process-cpu.ts); with BENCH_PERF=1, where the server's CPU went over
// the later half of the batches, sampled on the CPU by perf (bench/support/on-cpu.ts). SESSIONS=n
// (PostgreSQL only) gives each of a batch's ten customers n live sessions before they are revoked, as
// bench/scale.ts gives its heavy customers 1,000: a heavy revoke's cost in a minute, on the demo data,
// without the scale's ten-minute data. With BENCH_GC=1, the server's young collections over the
// batches after the first (bench/support/young-collections.ts). BENCH_SERVER_NICE=n: the server's
// event loop at that nice value (bench/support/built-server.ts prioritise). Never asserts.
import { startBuiltServer } from './support/built-server.js';
import { cpuSeconds, floorOf, postgresCpuByProcess, postgresCpuSince } from './support/process-cpu.js';
import { onCpuWanted, onCpuWhile } from './support/on-cpu.js';
import { writeSessions } from './support/generate.js';
import { watchYoungCollections, youngCollectionsWanted } from './support/young-collections.js';
import { openPostgres } from '../src/db/connection.js';
import { closeConnections, ok, send } from './support/http-client.js';

/** PostgreSQL's CPU (ms) since `before` (postgresCpuByProcess) */
const postgresCpuMsSince = (before: Map<string, number>): number => 1000 * postgresCpuSince(before);

const s = await startBuiltServer(process.env.KIND === 'pglite' ? 'pglite' : 'postgres', 'revoke-probe');
const young = youngCollectionsWanted() ? watchYoungCollections(s.child.stdout!) : undefined;
try {
  const headers = { authorization: s.authorization, 'content-type': 'application/json' };
  const customers: string[] = [];
  for (let k = 0; k < 20; k++) {
    const res = await fetch(`${s.url}/s/acme/rest/servicedeskapi/customer`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ displayName: `Probe Customer ${k}`, email: `probe${k}@probe.test` }),
    });
    if (res.status !== 201) throw new Error(`creating a customer: ${res.status} ${await res.text()}`);
    customers.push(((await res.json()) as { accountId: string }).accountId);
  }
  // over Node's own HTTP client and kept connections, as bench/scale.ts calls them: fetch (undici) cost
  // this client 0.5-0.7 ms of CPU a call, taken from the two cores the server and PostgreSQL share
  const call = async (id: string, verb: 'revoke' | 'grant') => {
    const started = performance.now();
    const answer = await send(s.url, 'PUT', `/s/acme/rest/servicedeskapi/customer/user/${id}/${verb}-portal-only-access`, { authorization: s.authorization });
    if (!ok(answer.status)) throw new Error(`${verb}: ${answer.status} ${answer.body}`);
    return performance.now() - started;
  };
  const stats = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(2);
    return `p50 ${at(0.5).padStart(7)}  p90 ${at(0.9).padStart(7)}  worst ${sorted.at(-1)!.toFixed(2).padStart(7)} ms (${sorted.length})`;
  };
  const both = (label: string, revokes: number[], grants: number[]) =>
    console.log(`${label.padEnd(36)} revoke ${stats(revokes)}   grant ${stats(grants)}`);
  // WARM=n revokes and grants first (default 5): a few hundred let V8 finish compiling the hot
  // path, whose background compiling the CPU figures below otherwise count
  for (let i = 0; i < Number(process.env.WARM ?? 5); i++) {
    await call(customers[i % 20], 'revoke');
    await call(customers[i % 20], 'grant');
  }
  const cpu: Record<string, string> = {};
  /** PostgreSQL's and this client's CPU (ms) spent writing sessions (SESSIONS), which costOf leaves out */
  const writing = { db: 0, me: 0 };
  /** runs `calls` and notes the CPU per call of the server, PostgreSQL and this client */
  const costOf = async <T>(label: string, calls: number, run: () => Promise<T>): Promise<T> => {
    const server = 1000 * cpuSeconds(s.child.pid!), db = postgresCpuByProcess(), me = process.cpuUsage();
    const before = { ...writing };
    const result = await run();
    const mine = process.cpuUsage(me);
    const per = (ms: number) => (ms / calls).toFixed(2);
    const dbMs = postgresCpuMsSince(db) - (writing.db - before.db), clientMs = (mine.user + mine.system) / 1000 - (writing.me - before.me);
    const serverMs = 1000 * cpuSeconds(s.child.pid!) - server;
    cpu[label] = `CPU per call: server ${per(serverMs)}, PostgreSQL ${per(dbMs)}, client ${per(clientMs)} ms${label.startsWith('ten at once') ? `; ${floorOf((1000 * (serverMs + dbMs + clientMs)) / calls, 10, 'call')}` : ''}`;
    return result;
  };
  const alone = { r: [] as number[], g: [] as number[] };
  await costOf('one at a time', 80, async () => {
  for (let i = 0; i < 40; i++) {
    alone.r.push(await call(customers[i % 20], 'revoke'));
    alone.g.push(await call(customers[i % 20], 'grant'));
  }
  });
  // SESSIONS=n: each customer's n sessions written before her revoke, on a connection of the probe's own
  const sessions = Number(process.env.SESSIONS ?? 0);
  if (sessions > 0 && !s.databaseUrl) throw new Error('SESSIONS needs KIND=postgres');
  const direct = sessions > 0 ? openPostgres(s.databaseUrl!, 1) : undefined;
  const siteId = direct ? (await direct.db.selectFrom('accounts').select('site_id').where('account_id', '=', customers[0]).executeTakeFirstOrThrow()).site_id! : '';
  const batch = async (ids: string[]) => {
    if (direct) {
      const db = postgresCpuByProcess(), me = process.cpuUsage();
      await writeSessions(direct.db, siteId, ids, sessions);
      const mine = process.cpuUsage(me);
      writing.db += postgresCpuMsSince(db);
      writing.me += (mine.user + mine.system) / 1000;
    }
    return {
      r: await Promise.all(ids.map((id) => call(id, 'revoke'))),
      g: await Promise.all(ids.map((id) => call(id, 'grant'))),
    };
  };
  const batches = [];
  batches.push(await batch(customers.slice(0, 10)));
  const BATCHES = Number(process.env.BATCHES ?? 10);
  const after = `ten at once: the ${BATCHES - 1} after it`;
  const runBatches = async (from: number, to: number) => {
    for (let i = from; i < to; i++) batches.push(await batch(customers.slice((i % 2) * 10, (i % 2) * 10 + 10)));
  };
  // perf samples the later half only: in the first, V8 is still optimising the path (its compilers
  // 15% of the server's CPU over 200 batches from the start, 2-3% late in 900)
  const half = Math.ceil(BATCHES / 2);
  young?.restart();
  await costOf(after, 20 * (BATCHES - 1), async () => {
    await runBatches(1, half);
    if (onCpuWanted()) await onCpuWhile(s.child.pid!, `revokes and grants ten at once, the last ${BATCHES - half} batches`, () => runBatches(half, BATCHES));
    else await runBatches(half, BATCHES);
  });
  const collections = young?.summary();
  await new Promise((resolve) => setTimeout(resolve, 12_000));
  const idle = await batch(customers.slice(0, 10));
  await direct?.close();
  console.log(`${process.env.KIND === 'pglite' ? 'embedded (PGlite)' : 'PostgreSQL server'}, the built server, demo data + 20 customers${sessions > 0 ? `, ${sessions} sessions each before a batch's revokes` : ''}`);
  both('one at a time', alone.r, alone.g);
  both('ten at once: the first batch', batches[0].r, batches[0].g);
  both(after, batches.slice(1).flatMap((b) => b.r), batches.slice(1).flatMap((b) => b.g));
  both('ten at once after 12 s with none', idle.r, idle.g);
  for (const [label, line] of Object.entries(cpu)) console.log(`${label.padEnd(36)} ${line}`);
  if (collections) console.log(`${after.padEnd(36)} ${collections}`);
} finally {
  closeConnections();
  await s.stop();
}
