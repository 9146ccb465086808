// HTTP throughput of an authenticated request against the ceiling of bare Fastify, measured side by
// side in one run (docs/benchmarks.md). Each server runs in a process of its own; autocannon drives
// it with BENCH_CONNECTIONS connections (default 10) for BENCH_SECONDS per target (default 5), in
// two rounds of alternating order, and the better round of each target is printed with its ratio
// to bare Fastify's req/s — bare Fastify measured just before and just after that target, as the
// ceiling moves from minute to minute on a shared machine. Beside them, the reference of what ONE indexed look-up per request costs
// on each database (bare Fastify, one route, one kept statement: bench/support/serve.ts), the most
// a request that reads its caller can reach. Each of Portico's targets runs twice: on a server as
// `npm start` runs it, with its caller cache (db/caller-cache.ts), and on one with the cache off
// ("[cache off]": every request reads its caller, one round trip before the handler). Portico runs as `npm start` runs it (the built server, its request log on):
// see bench/support/built-server.ts. Prints, never asserts.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { startBuiltServer } from './support/built-server.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

interface Server {
  url: string;
  headers: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * A server to load: Portico as `npm start` runs it (bench/support/built-server.ts), with its caller
 * cache or without; or a reference (bare Fastify, one look-up: bench/support/serve.ts). BENCH_SERVER=source
 * runs Portico from the sources in-process instead (serve.ts: no request log), as this benchmark did before.
 */
async function serve(kind: string, options: { callerCache?: boolean } = {}): Promise<Server> {
  if ((kind === 'pglite' || kind === 'postgres') && process.env.BENCH_SERVER !== 'source') {
    const callerCache = options.callerCache !== false;
    const built = await startBuiltServer(kind, `http-${callerCache ? 'kept' : 'read'}`, { PORTICO_CALLER_CACHE: callerCache ? 'on' : 'off' });
    return { url: built.url, headers: { authorization: built.authorization }, stop: built.stop };
  }
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/support/serve.ts', kind], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    if (line.startsWith('{')) return { ...(JSON.parse(line) as { url: string; headers: Record<string, string> }), stop };
  }
  throw new Error(`the ${kind} server exited before listening`);
}

interface Target {
  name: string;
  path: string;
  method?: 'GET' | 'POST';
  body?: string;
  /** each request asks something no request asked before (this appended with a counter): nothing kept answers it */
  fresh?: string;
}

const TARGETS: Target[] = [
  { name: 'GET …/rest/api/3/myself (API token)', path: '/s/acme/rest/api/3/myself' },
  // asked again and again, the picker answers from what the instance kept (docs/architecture.md,
  // "Kept picker answers"); each request excluding an account no other excluded, it reads every time
  { name: 'GET …/rest/api/3/user/picker?query=ali', path: '/s/acme/rest/api/3/user/picker?query=ali' },
  { name: 'GET …/user/picker?query=ali, read every time', path: '/s/acme/rest/api/3/user/picker?query=ali', fresh: '&excludeAccountIds=bench-' },
  {
    name: 'POST …/rest/api/3/search/jql reporter = email',
    path: '/s/acme/rest/api/3/search/jql',
    method: 'POST',
    body: JSON.stringify({ jql: 'reporter = "alice@customer.test"', fields: ['summary'] }),
  },
];

/** counts every fresh request of the run, so that no two (in any round, on any server) ask the same */
let freshCount = 0;

async function load(server: Server, target: Target): Promise<{ rps: number; p50: number; p99: number; errors: number }> {
  const fresh = target.fresh;
  const result = await autocannon({
    url: server.url + target.path,
    method: target.method ?? 'GET',
    headers: { ...server.headers, ...(target.body ? { 'content-type': 'application/json' } : {}) },
    body: target.body,
    connections: CONNECTIONS,
    duration: SECONDS,
    ...(fresh ? { requests: [{ setupRequest: (req: any) => ({ ...req, path: `${target.path}${fresh}${freshCount++}` }) }] } : {}),
  });
  const errors = result.errors + result.timeouts + result.non2xx;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors };
}

const BARE = 'bare Fastify hello-world (the ceiling)';
const BARE_TARGET: Target = { name: 'bare', path: '/hello' };
/** the rows of the server whose caller cache is off; their "of myself" is against its own myself */
const READING = ' [cache off]';
const LOOKUP = 'bare Fastify + one indexed look-up';
const bare = await serve('bare');
const rows: string[] = [];
try {
  // BENCH_KINDS=postgres (or pglite) runs one half only
  for (const kind of (process.env.BENCH_KINDS ?? 'pglite,postgres').split(',') as Array<'pglite' | 'postgres'>) {
    const server = await serve(kind);
    // the same server with its caller cache off (PORTICO_CALLER_CACHE=off): every request reads its caller
    const reading = await serve(kind, { callerCache: false });
    const lookup = await serve(`lookup-${kind}`);
    try {
      // Bare Fastify runs between every two targets, and each target's ceiling is the mean of the
      // runs just before and just after it: this machine's bare figure swings by 2–4× between runs
      // minutes apart (docs/benchmarks.md), so a ratio against one bare run of the round said as
      // much about the moment as about Portico.
      const best = new Map<string, { rps: number; p50: number; p99: number; errors: number; ceiling: number }>();
      const bares: number[] = [];
      for (const round of [0, 1]) {
        const targets: Array<[string, Server, Target]> = [
          [LOOKUP, lookup, { name: 'lookup', path: '/lookup' }],
          ...TARGETS.map((t): [string, Server, Target] => [t.name, server, t]),
          ...TARGETS.map((t): [string, Server, Target] => [t.name + READING, reading, t]),
        ];
        if (round === 1) targets.reverse();
        let before = (await load(bare, BARE_TARGET)).rps;
        bares.push(before);
        for (const [name, s, target] of targets) {
          const r = await load(s, target);
          const after = (await load(bare, BARE_TARGET)).rps;
          bares.push(after);
          const prev = best.get(name);
          if (!prev || r.rps > prev.rps) best.set(name, { ...r, ceiling: (before + after) / 2 });
          before = after;
        }
      }
      const sorted = [...bares].sort((a, b) => a - b);
      const oneLookup = best.get(LOOKUP)!.rps;
      const myself = best.get(TARGETS[0].name)!.rps;
      const myselfReading = best.get(TARGETS[0].name + READING)!.rps;
      rows.push(`\n${kind === 'pglite' ? 'embedded (PGlite)' : 'PostgreSQL server'}: ${CONNECTIONS} connections, ${SECONDS} s a target, best of 2 rounds`);
      rows.push(`bare Fastify hello-world (the ceiling), ${bares.length} runs between the targets: min ${sorted[0].toFixed(0)}, median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)}, max ${sorted.at(-1)!.toFixed(0)} req/s`);
      rows.push(`${'target'.padEnd(60)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'errors'.padStart(7)} ${'ceiling'.padStart(8)} ${'of bare'.padStart(8)} ${'of look-up'.padStart(11)} ${'of myself'.padStart(10)}`);
      for (const [name, r] of best) {
        rows.push(
          `${name.padEnd(60)} ${r.rps.toFixed(0).padStart(8)} ${r.p50.toFixed(1).padStart(7)} ${r.p99.toFixed(1).padStart(7)} ${String(r.errors).padStart(7)} ${r.ceiling.toFixed(0).padStart(8)} ${(r.rps / r.ceiling).toFixed(3).padStart(8)} ${(r.rps / oneLookup).toFixed(2).padStart(11)} ${(r.rps / (name.endsWith(READING) ? myselfReading : myself)).toFixed(2).padStart(10)}`,
        );
      }
    } finally {
      await server.stop();
      await reading.stop();
      await lookup.stop();
    }
  }
} finally {
  await bare.stop();
}
console.log(rows.join('\n'));
