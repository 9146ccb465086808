// One route of the built server under load, for a quick before/after of a change (docs/benchmarks.md,
// "Kept look-ups"): `KIND=postgres|pglite [JQL=1] [PATH_=/s/acme/…] [FRESH=&param=] npx tsx bench/route-probe.ts`.
// Starts Portico as `npm start` runs it (bench/support/built-server.ts, demo data, an org admin's
// API token), warms the route for 3 s, then prints req/s, p50 and p99 of 8 s at 10 connections, and
// the CPU each request cost the server, PostgreSQL's processes (none embedded) and this load
// generator, and the floor that CPU puts under ten connections' latency on this machine's cores
// (floorOf, bench/support/process-cpu.ts). JQL=1 loads `POST …/search/jql` with `reporter = "alice@customer.test"`; otherwise a GET
// of PATH_ (default `…/myself`). FRESH appends itself and a counter to every request's path, so that
// no two ask the same and nothing kept answers one (e.g. `&excludeAccountIds=probe-` on a picker),
// after one request of PATH_ as it is. BENCH_DATABASE=name (KIND=postgres only) runs on that
// database of the PostgreSQL server as it is instead of a new one with the demo data (e.g.
// portico_bench_scale, kept by `BENCH_KEEP=1 npx tsx bench/scale.ts server`: the same route at a
// million customers).
// With BENCH_CPU_PROF=dir the server writes a V8 CPU profile there; with BENCH_PERF=1 perf samples
// the server on the CPU over the measured 8 s and prints where it went (bench/support/on-cpu.ts: the
// sampling costs the server a tenth or so, so read its shares, not that run's req/s). With BENCH_GC=1
// the server prints its garbage collections and the probe sums up the young ones of the measured 8 s
// (bench/support/young-collections.ts). BENCH_SERVER_NICE=n: the server's event loop at that nice
// value (bench/support/built-server.ts prioritise). Prints, never asserts; run it for the code before and after,
// alternating.
import autocannon from 'autocannon';
import { startBuiltServer } from './support/built-server.js';
import { cpuSeconds, floorOf, postgresCpuByProcess, postgresCpuSince } from './support/process-cpu.js';
import { onCpuWanted, onCpuWhile } from './support/on-cpu.js';
import { watchYoungCollections, youngCollectionsWanted } from './support/young-collections.js';

const s = await startBuiltServer(process.env.KIND === 'pglite' ? 'pglite' : 'postgres', 'route-probe', {}, process.env.BENCH_DATABASE);
// BENCH_GC=1: the server prints its garbage collections, and the young ones of the measured 8 s are summed up
const young = youngCollectionsWanted() ? watchYoungCollections(s.child.stdout!) : undefined;
try {
  const fresh = process.env.FRESH;
  let count = 0;
  const path = process.env.PATH_ ?? '/s/acme/rest/api/3/myself';
  const options = process.env.JQL === '1'
    ? {
        url: s.url + '/s/acme/rest/api/3/search/jql',
        method: 'POST' as const,
        headers: { authorization: s.authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ jql: 'reporter = "alice@customer.test"', fields: ['summary'] }),
      }
    : {
        url: s.url + path,
        headers: { authorization: s.authorization },
        ...(fresh ? { requests: [{ setupRequest: (req: any) => ({ ...req, path: `${path}${fresh}${count++}` }) }] } : {}),
      };
  // With FRESH, the path is asked once as it is first, as a person's first search of a picker is:
  // what an instance keeps from it (a site's staff: docs/architecture.md, "Kept picker answers")
  // then serves the searches that exclude someone too.
  if (fresh) await fetch(s.url + path, { headers: { authorization: s.authorization } });
  await autocannon({ ...options, connections: 10, duration: 3 });
  young?.restart();
  const server = cpuSeconds(s.child.pid!), db = postgresCpuByProcess(), me = process.cpuUsage();
  const measure = () => autocannon({ ...options, connections: 10, duration: 8 });
  const r = onCpuWanted() ? await onCpuWhile(s.child.pid!, `${options.method ?? 'GET'} ${options.url.replace(s.url, '')}`, measure) : await measure();
  const mine = process.cpuUsage(me);
  const per = (seconds: number) => (seconds * 1e6) / r.requests.total;
  const spent = { server: per(cpuSeconds(s.child.pid!) - server), db: per(postgresCpuSince(db)), load: per((mine.user + mine.system) / 1e6) };
  console.log(`req/s ${r.requests.average.toFixed(0)}  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  errors ${r.errors + r.timeouts + r.non2xx}`);
  console.log(`CPU per request: server ${spent.server.toFixed(0)} µs, PostgreSQL ${spent.db.toFixed(0)} µs, load ${spent.load.toFixed(0)} µs`);
  console.log(floorOf(spent.server + spent.db + spent.load, 10));
  if (young) console.log(young.summary());
} finally {
  await s.stop();
}
