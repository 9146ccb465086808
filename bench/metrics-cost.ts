// What counting for /metrics costs a request (docs/benchmarks.md, "Metrics"): the built server, as
// `npm start` runs it, twice on each database — without metrics (no PORTICO_METRICS_TOKEN: nothing is
// counted) and with them (a token set: each request is counted in two series, each statement timed)
// — driven by autocannon with `GET …/rest/api/3/myself` (an API token; one statement per request),
// the two alternating over BENCH_ROUNDS rounds (default 3) of BENCH_SECONDS (default 5). The machine
// is shared, so what is compared is the server process's CPU time per request (user + system, from
// /proc), not req/s. Prints, never asserts.
import { spawnSync, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { startBuiltServer } from './support/built-server.js';
import { cpuSeconds } from './support/process-cpu.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const TOKEN = 'bench-metrics-token-0123456789abcdef';

interface Server {
  name: string;
  url: string;
  authorization: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function serve(kind: 'pglite' | 'postgres', metrics: boolean): Promise<Server> {
  const built = await startBuiltServer(kind, `metrics-${metrics ? 'on' : 'off'}`, { PORTICO_METRICS_PORT: undefined, PORTICO_METRICS_TOKEN: metrics ? TOKEN : undefined });
  return { name: `${kind}, metrics ${metrics ? 'on ' : 'off'}`, ...built };
}

async function round(server: Server): Promise<{ requests: number; cpu: number; rps: number }> {
  const before = cpuSeconds(server.child.pid!);
  const result = await autocannon({
    url: `${server.url}/s/acme/rest/api/3/myself`,
    headers: { authorization: server.authorization },
    connections: CONNECTIONS,
    duration: SECONDS,
  });
  const cpu = cpuSeconds(server.child.pid!) - before;
  if (result.non2xx + result.errors > 0) throw new Error(`${server.name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { requests: result.requests.total, cpu, rps: result.requests.average };
}

const build = spawnSync(process.execPath, ['scripts/build-server.js'], { encoding: 'utf8' });
if (build.status !== 0) throw new Error(build.stderr);
console.log(`GET …/rest/api/3/myself, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s each, alternating; the server's CPU per request`);
for (const kind of ['postgres', 'pglite'] as const) {
  const off = await serve(kind, false);
  const on = await serve(kind, true);
  try {
    const totals = new Map<Server, { requests: number; cpu: number; rps: number[] }>([
      [off, { requests: 0, cpu: 0, rps: [] }],
      [on, { requests: 0, cpu: 0, rps: [] }],
    ]);
    for (let r = 0; r < ROUNDS; r++) {
      for (const server of r % 2 === 0 ? [off, on] : [on, off]) {
        const result = await round(server);
        const t = totals.get(server)!;
        t.requests += result.requests;
        t.cpu += result.cpu;
        t.rps.push(result.rps);
      }
    }
    // a scrape after the load: the series exist and count what was sent
    const scrape = await fetch(`${on.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const counted = /portico_http_requests_total\{method="GET",route="\/s\/:site\/rest\/api\/3\/myself",status="200"\} (\d+)/.exec(await scrape.text());
    const perRequest = (s: Server) => (totals.get(s)!.cpu / totals.get(s)!.requests) * 1e6;
    for (const s of [off, on]) {
      const t = totals.get(s)!;
      console.log(`  ${s.name}: ${t.requests} requests, ${perRequest(s).toFixed(0)} µs CPU a request (req/s by round: ${t.rps.map((x) => x.toFixed(0)).join(', ')})`);
    }
    console.log(`  ${kind}: with metrics ${(perRequest(on) / perRequest(off)).toFixed(3)} × the CPU per request (${(perRequest(on) - perRequest(off)).toFixed(1)} µs); the scrape counted ${counted?.[1] ?? '?'} of them`);
  } finally {
    await off.stop();
    await on.stop();
  }
}
