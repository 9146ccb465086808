// Scale over HTTP (docs/benchmarks.md, "Scale over HTTP"): Portico as `npm start` runs it (the built
// server, its request log on) on a database filled by bench/support/generate.ts, driven by autocannon
// at BENCH_CONNECTIONS connections (default 10). Prints p50 and p99 of each target with its hit
// count, for the PostgreSQL server (default sizes: 1,000,000 customers on acme + 10 other sites,
// 5,000,000 requests, 20,000,000 participant and picker references) and for the embedded database
// (100,000 customers, 500,000 requests), the embedded/server ratio, and goal 3 of the speed issue
// target by target, met or not (goalThree, at the end; docs/benchmarks.md). Prints, never asserts.
// Beside the revoke and grant rows: each kind's calls split by where its burst came in a round (first
// after the round's sessions were written, or second), and the CPU a call its bursts cost the server,
// PostgreSQL and this process, with the floor that puts under ten at once (bench/support/process-cpu.ts).
//
//   npx tsx bench/scale.ts [server|embedded|both]      (default both)
//
// Sizes: BENCH_CUSTOMERS, BENCH_OTHER_SITES, BENCH_OTHER_CUSTOMERS, BENCH_REQUESTS,
// BENCH_REFS_PER_REQUEST, BENCH_HEAVY, BENCH_HEAVY_REFS, BENCH_HEAVY_SESSIONS, and the same with
// BENCH_EMBEDDED_ for the embedded run. BENCH_SECONDS per target (default 10), BENCH_ROUNDS of
// revoke and grant (default 5). The server's database is BENCH_DATABASE (default portico_bench_scale),
// made from scratch with the app's migrations and dropped at the end; BENCH_REUSE=1 reuses it when it
// holds the same sizes (a table bench_scale_sizes says which), BENCH_KEEP=1 keeps it (and the
// embedded data directory, BENCH_EMBEDDED_DIR); a BENCH_REUSE=1 run keeps what it reused.
// BENCH_SERVER_NICE=n: the server's event loop at that nice value (bench/support/built-server.ts).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { openPglite, openPostgres, type Db } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { textSearch } from '../src/domain/jql/text-search.js';
import { adminQuery, urlFor } from '../test/support/postgres-admin.js';
import { prioritise, serverNodeArgs } from './support/built-server.js';
import { ok, send } from './support/http-client.js';
import { cpuSeconds, floorOf, postgresCpuByProcess, postgresCpuSince } from './support/process-cpu.js';
import { customerId, fixtureOf, generate, scaleSizes, writeSessions, type Fixture, type ScaleSizes } from './support/generate.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const DATABASE = process.env.BENCH_DATABASE ?? 'portico_bench_scale';
const REUSE = process.env.BENCH_REUSE === '1';
// a database reused was kept on purpose: a reuse run keeps it too, not drop ten minutes of seeding
const KEEP = process.env.BENCH_KEEP === '1' || REUSE;
const MODE = process.argv[2] ?? 'both';
/** BENCH_ONLY=reads, =access or =text runs only the reads (pickers, JQL), the revokes and grants, or the JQL text searches */
const ONLY = process.env.BENCH_ONLY ?? 'all';
/** the pickers and JQL by email: every read but the text searches */
const OTHER_READS = ONLY === 'all' || ONLY === 'reads';
const TEXT = ONLY !== 'access';
const ACCESS = ONLY === 'all' || ONLY === 'access';

const SERVER_SIZES = scaleSizes('BENCH', {
  customers: 1_000_000, otherSites: 10, otherCustomers: 10_000, requests: 5_000_000, refsPerRequest: 4, heavy: 20, heavyRefs: 100_000, heavySessions: 1_000,
});
const EMBEDDED_SIZES = scaleSizes('BENCH_EMBEDDED', {
  customers: 100_000, otherSites: 10, otherCustomers: 1_000, requests: 500_000, refsPerRequest: 4, heavy: 4, heavyRefs: 100_000, heavySessions: 1_000,
});
// Picker queries a person types: common first-name and surname prefixes (thousands share them), a
// whole name, an email's beginning.
const PICKER_QUERIES = ['a', 'ma', 'jo', 'smi', 'maria g', 'garcia', 'james.smith'];
// Beside the corpus's most common word: one in about one request in twenty, one in none.
const OTHER_WORDS = ['door', 'toner'];

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

interface Row {
  target: string;
  hits: string;
  p50: number;
  p99: number;
  n: number;
  errors: number;
  /** the machine's 1-minute load average when the target ended (2 cores, shared) */
  load: number;
  /** p50 at one connection (no queueing behind the other nine): the route's own time */
  alone?: number;
}

/** A database to read and write while the server is (PostgreSQL) or is not (PGlite) running. */
interface Store {
  kind: 'postgres' | 'pglite';
  env: NodeJS.ProcessEnv;
  /** runs fn on the database; on PGlite the server is stopped meanwhile (one process at a time) */
  use<T>(fn: (db: Db) => Promise<T>): Promise<T>;
}

// ---------------------------------------------------------------------------------------------
// The database

async function postgresStore(sizes: ScaleSizes): Promise<{ store: Store; seeded: string; drop(): Promise<void> }> {
  const url = urlFor(DATABASE);
  const exists = async () => {
    const h = openPostgres(urlFor('postgres'), 1);
    try {
      return (await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_database WHERE datname = ${DATABASE}`.execute(h.db)).rows[0].n > 0;
    } finally {
      await h.close();
    }
  };
  const store: Store = {
    kind: 'postgres',
    env: { DATABASE_URL: url },
    async use(fn) {
      const h = openPostgres(url, { poolSize: 2, statementTimeoutMs: 0 });
      try {
        return await fn(h.db);
      } finally {
        await h.close();
      }
    },
  };
  let seeded = 'reused';
  const same = REUSE && (await exists()) && (await store.use(async (db) => sameSizes(db, sizes)));
  if (!same) {
    log(`PostgreSQL: database ${DATABASE} made from scratch`);
    await adminQuery(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`, `CREATE DATABASE ${DATABASE}`);
    seeded = await store.use((db) => seed(db, sizes, '1GB'));
  }
  const size = await store.use(async (db) => (await sql<{ s: string }>`SELECT pg_size_pretty(pg_database_size(current_database())) AS s`.execute(db)).rows[0].s);
  log(`PostgreSQL: database ${DATABASE} is ${size}`);
  return {
    store,
    seeded: `${seeded}; ${size}`,
    async drop() {
      if (KEEP) log(`kept database ${DATABASE} (BENCH_KEEP=1 or BENCH_REUSE=1)`);
      else await adminQuery(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    },
  };
}

async function pgliteStore(sizes: ScaleSizes): Promise<{ store: Store; seeded: string; drop(): Promise<void> }> {
  const dir = process.env.BENCH_EMBEDDED_DIR ?? mkdtempSync(path.join(tmpdir(), 'portico-bench-scale-'));
  mkdirSync(dir, { recursive: true });
  const dataDir = path.join(dir, 'data');
  let server: Server | undefined;
  const store: Store = {
    kind: 'pglite',
    env: { PORTICO_DATA_DIR: dataDir },
    async use(fn) {
      const running = server;
      if (running) await running.stop();
      const h = await openPglite(dataDir);
      try {
        return await fn(h.db);
      } finally {
        await h.close();
        if (running) await running.restart();
      }
    },
  };
  let seeded = 'reused';
  const same = REUSE && existsSync(dataDir) && (await store.use(async (db) => sameSizes(db, sizes)));
  if (!same) {
    rmSync(dataDir, { recursive: true, force: true });
    seeded = await store.use((db) => seed(db, sizes, '256MB'));
  }
  const size = spawnSync('du', ['-sh', dataDir], { encoding: 'utf8' }).stdout.split('\t')[0];
  log(`PGlite: data directory ${dataDir} is ${size}`);
  return {
    store: Object.assign(store, { attach: (s: Server) => (server = s) }),
    seeded: `${seeded}; ${size}`,
    async drop() {
      if (KEEP) log(`kept ${dir} (BENCH_KEEP=1 or BENCH_REUSE=1)`);
      else rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function sameSizes(db: Db, sizes: ScaleSizes): Promise<boolean> {
  try {
    const { rows } = await sql<{ sizes: string }>`SELECT sizes FROM bench_scale_sizes`.execute(db);
    return rows[0]?.sizes === JSON.stringify(sizes);
  } catch {
    return false;
  }
}

async function seed(db: Db, sizes: ScaleSizes, maintenanceMemory: string): Promise<string> {
  const t = Date.now();
  await migrateToLatest(db);
  log(`seeding ${JSON.stringify(sizes)}`);
  await generate(db, sizes, log, { maintenanceMemory });
  await sql`CREATE TABLE bench_scale_sizes (sizes text NOT NULL)`.execute(db);
  await sql`INSERT INTO bench_scale_sizes VALUES (${JSON.stringify(sizes)})`.execute(db);
  const seconds = (Date.now() - t) / 1000;
  log(`seeded in ${seconds.toFixed(0)} s`);
  return `seeded in ${(seconds / 60).toFixed(1)} min`;
}

// ---------------------------------------------------------------------------------------------
// The server

interface Server {
  url: string;
  /** the server process's id (its CPU is read from /proc) */
  pid(): number;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

function buildServer(): string[] {
  const build = spawnSync(process.execPath, ['scripts/build-server.js'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(build.stderr);
  return [...serverNodeArgs(), path.resolve('dist/server/main.js')];
}

/** The built server as `npm start` runs it (request log on, read and dropped), on `env`'s database. */
async function startServer(args: string[], extraEnv: NodeJS.ProcessEnv): Promise<Server> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', ...extraEnv };
  delete env.PORTICO_LOG_LEVEL;
  delete env.PORTICO_DEMO;
  if (!extraEnv.DATABASE_URL) delete env.DATABASE_URL;
  let child: ChildProcess;
  const server: Server = {
    url: '',
    pid: () => child.pid!,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
    async restart() {
      child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
      const lines = createInterface({ input: child.stdout! });
      for await (const line of lines) {
        const m = /running at (http:\/\/\S+)/.exec(line);
        if (m) {
          server.url = m[1];
          prioritise(child);
          child.stdout!.resume();
          return;
        }
      }
      throw new Error('the built server exited before listening');
    },
  };
  await server.restart();
  return server;
}

function createToken(env: NodeJS.ProcessEnv): Record<string, string> {
  const full = { ...process.env, ...env };
  if (!env.DATABASE_URL) delete full.DATABASE_URL;
  const cli = spawnSync(process.execPath, ['bin/portico.js', 'token', 'create', '--email', 'admin@acme.test', '--label', 'bench-scale'], { env: full, encoding: 'utf8' });
  if (cli.status !== 0) throw new Error(`portico token create: ${cli.stderr}`);
  const token = cli.stdout.trim().split('\n').at(-1)!;
  return { authorization: `Basic ${Buffer.from(`admin@acme.test:${token}`).toString('base64')}` };
}

// ---------------------------------------------------------------------------------------------
// Load

interface Call {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  body?: string;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** counts every fresh call of the run (freshCalls), so that no two ask the same */
let freshCount = 0;

/** Calls that each exclude an account no other call excluded: no kept picker answer can answer one (docs/architecture.md, "Kept picker answers"). */
function freshCalls(call: Call): (n: number) => Call {
  return () => ({ ...call, path: `${call.path}&exclude=bench-${freshCount++}` });
}

/** autocannon at CONNECTIONS connections: every response's latency (ms) and the non-2xx count. */
async function drive(server: Server, headers: Record<string, string>, calls: Call[] | ((n: number) => Call), run: { seconds?: number; amount?: number; connections?: number }): Promise<{ latencies: number[]; errors: number }> {
  let next = 0;
  const latencies: number[] = [];
  let errors = 0;
  const options = {
    url: server.url,
    connections: Math.min(run.connections ?? CONNECTIONS, run.amount ?? CONNECTIONS),
    ...(run.amount ? { amount: run.amount } : { duration: run.seconds ?? SECONDS }),
    headers: { ...headers, 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req: any) => {
          const call = typeof calls === 'function' ? calls(next++) : calls[next++ % calls.length];
          return { ...req, method: call.method, path: call.path, body: call.body ?? (call.method === 'PUT' ? '' : undefined) };
        },
      },
    ],
  } as autocannon.Options;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(options, (err, res) => (err ? reject(err) : resolve(res)));
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      if (statusCode >= 300) errors++;
    });
  });
  return { latencies, errors: errors + result.errors + result.timeouts };
}

// Revokes and grants go over connections kept open from one round to the next, as an admin's browser
// or an integration keeps its connection to a server in use. Until 2026-12-05 each burst was an
// autocannon run of its own, which opened ten new connections for twenty calls and set itself up
// on the same two cores while the burst ran (BENCH_ACCESS_CLIENT=autocannon still does that, to
// compare: docs/benchmarks.md, "Scale over HTTP").
const FRESH_CONNECTIONS = process.env.BENCH_ACCESS_CLIENT === 'autocannon';

/** `calls` at most `connections` at a time over kept connections (bench/support/http-client.ts): each call's latency (ms, from sending it to its last byte) and the count that did not answer 2xx. */
async function driveKept(server: Server, headers: Record<string, string>, calls: Call[], connections: number): Promise<{ latencies: number[]; errors: number }> {
  if (FRESH_CONNECTIONS) return drive(server, headers, calls, { amount: calls.length, connections });
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const worker = async () => {
    while (next < calls.length) {
      const call = calls[next++];
      const started = performance.now();
      const answer = await send(server.url, call.method, call.path, headers, call.body === undefined ? undefined : JSON.parse(call.body));
      latencies.push(performance.now() - started);
      if (!ok(answer.status)) errors++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(connections, calls.length) }, worker));
  return { latencies, errors };
}

function row(target: string, hits: string, samples: { latencies: number[]; errors: number }, alone?: { latencies: number[] }): Row {
  const sorted = [...samples.latencies].sort((a, b) => a - b);
  const one = alone ? percentile([...alone.latencies].sort((a, b) => a - b), 0.5) : undefined;
  const r = { target, hits, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), n: sorted.length, errors: samples.errors, load: loadavg()[0], alone: one };
  log(`${target.padEnd(52)} hits ${hits.padEnd(24)} p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  (${r.n} calls, ${r.errors} errors, load ${r.load.toFixed(1)})${one === undefined ? '' : `  1 connection p50 ${one.toFixed(2)} ms`}`);
  return r;
}

async function fetchJson(server: Server, headers: Record<string, string>, call: Call): Promise<any> {
  const t = process.hrtime.bigint();
  const res = await fetch(server.url + call.path, { method: call.method, headers: { ...headers, 'content-type': 'application/json' }, body: call.body });
  if (!res.ok) {
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    log(`${call.method} ${call.path} ${call.body ?? ''}: ${res.status} after ${ms.toFixed(0)} ms ${(await res.text()).slice(0, 200)}`);
    return { failed: res.status, ms, users: [], issues: [] };
  }
  return res.status === 204 ? null : res.json();
}

/** "n shown" of a page, or the status it failed with (a 503: the statement timeout cut the search). */
const shown = (page: any, length: number) => (page.failed ? `failed: ${page.failed}` : `${length} shown`);

// ---------------------------------------------------------------------------------------------
// What is measured

interface Facts {
  reporters: Array<{ email: string; requests: number }>;
  words: Array<{ word: string; label: string; matching: number }>;
  heavyRefs: number;
  lightRefs: number;
}

/** Read before the load (on PGlite while the server is stopped): who to search for and how many hits to expect. */
async function factsOf(db: Db, sizes: ScaleSizes, fixture: Fixture): Promise<Facts> {
  const t = Date.now();
  const N = sizes.customers;
  const H = sizes.heavy;
  // 20 ordinary customers spread over the site, active ones only
  const ids = Array.from({ length: 40 }, (_, k) => customerId('acme', 2 * H + 1 + Math.floor(((k + 0.5) * (N - 2 * H)) / 40)));
  const reporters = (
    await sql<{ email: string; requests: number }>`
      SELECT a.email, (SELECT count(*)::int FROM requests r WHERE r.reporter_id = a.account_id) AS requests
      FROM accounts a WHERE a.account_id = ANY (${sql.val(ids)}::text[]) AND a.status = 'active' LIMIT 20`.execute(db)
  ).rows;
  // The most common word by the number of requests whose summary, description or public comments hold it,
  // counted on a sample of about 20,000 requests.
  const total = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM requests WHERE site_id = ${fixture.siteId}::uuid`.execute(db)).rows[0].n;
  const percent = Math.min(100, (100 * 20_000) / Math.max(1, total));
  const texts = sql`(SELECT r.id, lower(r.summary || ' ' || r.description || ' ' || coalesce((SELECT string_agg(c.body, ' ') FROM comments c WHERE c.request_id = r.id AND c.public), '')) AS t
                     FROM requests r WHERE r.site_id = ${fixture.siteId}::uuid)`;
  const common = (
    await sql<{ w: string }>`
      SELECT w FROM (SELECT DISTINCT s.id, w FROM (SELECT * FROM ${texts} AS x WHERE random() < ${percent / 100}) AS s,
                     regexp_split_to_table(s.t, '[^a-z0-9]+') AS w WHERE w <> '') AS d
      GROUP BY w ORDER BY count(*) DESC, w LIMIT 1`.execute(db)
  ).rows[0].w;
  const words = [common, ...OTHER_WORDS];
  const patterns = words.map((w) => textSearch(w, 'text')[0].pattern);
  const counts = (
    await sql<Record<string, number>>`
      SELECT ${sql.join(patterns.map((p, i) => sql`count(*) FILTER (WHERE t ~ ${p})::int AS ${sql.ref(`w${i}`)}`))} FROM ${texts} AS x`.execute(db)
  ).rows[0];
  const refs = async (id: string) =>
    (
      await sql<{ n: number }>`SELECT (SELECT count(*) FROM request_participants WHERE account_id = ${id})::int
                                  + (SELECT count(*) FROM request_user_values WHERE account_id = ${id})::int
                                  + (SELECT count(*) FROM requests WHERE reporter_id = ${id})::int AS n`.execute(db)
    ).rows[0].n;
  const facts: Facts = {
    reporters,
    words: words.map((word, i) => ({ word, label: i === 0 ? 'the most common word' : `a word in ${counts[`w${i}`] === 0 ? 'no' : 'some'} requests`, matching: counts[`w${i}`] })),
    heavyRefs: await refs(fixture.heavyIds[0]),
    lightRefs: await refs(fixture.lightIds[0]),
  };
  log(`facts read in ${((Date.now() - t) / 1000).toFixed(0)} s: most common word "${common}" (${counts.w0.toLocaleString('en')} of ${total.toLocaleString('en')} requests)`);
  return facts;
}

async function measure(label: string, store: Store & { attach?: (s: Server) => void }, sizes: ScaleSizes): Promise<Row[]> {
  const fixture = await store.use((db) => fixtureOf(db, sizes));
  const facts = await store.use((db) => factsOf(db, sizes, fixture));
  const headers = createToken(store.env);
  const server = await startServer(buildServer(), store.env);
  store.attach?.(server);
  const rows: Row[] = [];
  try {
    log(`${label}: ${server.url}`);
    // warm-up: a few seconds of every kind of read, not counted
    await drive(server, headers, [
      ...PICKER_QUERIES.map((q): Call => ({ method: 'GET', path: `/s/acme/rest/api/3/user/picker?query=${encodeURIComponent(q)}` })),
      ...facts.reporters.map((r): Call => ({ method: 'POST', path: '/s/acme/rest/api/3/search/jql', body: JSON.stringify({ jql: `reporter = "${r.email}"`, fields: ['summary'] }) })),
    ], { seconds: 3 });

    // The web app's picker (what a person types into: a page of 20, no total), then REST's, which
    // also counts every match (`total`). Asked again and again, a search is answered from what the
    // instance kept after its second read (docs/architecture.md, "Kept picker answers": a first ask
    // is only remembered); the web app's is also driven with a new exclusion on every call ("read
    // every time"), what a search no one asked since the last change costs.
    for (const q of OTHER_READS ? PICKER_QUERIES : []) {
      const call: Call = { method: 'GET', path: `/s/acme/api/users/picker?query=${encodeURIComponent(q)}&limit=20` };
      const found = await fetchJson(server, headers, call);
      rows.push(row(`picker "${q}" (web app)`, shown(found, found.users.length), await drive(server, headers, [call], { seconds: SECONDS }), await drive(server, headers, [call], { seconds: SECONDS / 2, connections: 1 })));
      rows.push(row(`picker "${q}" (web app, read every time)`, shown(found, found.users.length), await drive(server, headers, freshCalls(call), { seconds: SECONDS }), await drive(server, headers, freshCalls(call), { seconds: SECONDS / 2, connections: 1 })));
    }
    for (const q of OTHER_READS ? PICKER_QUERIES : []) {
      const call: Call = { method: 'GET', path: `/s/acme/rest/api/3/user/picker?query=${encodeURIComponent(q)}` };
      const found = await fetchJson(server, headers, call);
      rows.push(row(`picker "${q}" (REST, with total)`, `${shown(found, found.users.length)} of ${found.total}`, await drive(server, headers, [call], { seconds: SECONDS }), await drive(server, headers, [call], { seconds: SECONDS / 2, connections: 1 })));
    }

    if (OTHER_READS) {
      const byReporter = facts.reporters.map((r): Call => ({ method: 'POST', path: '/s/acme/rest/api/3/search/jql', body: JSON.stringify({ jql: `reporter = "${r.email}"`, fields: ['summary'] }) }));
      const pages = await Promise.all(byReporter.slice(0, 5).map((c) => fetchJson(server, headers, c)));
      const counts = facts.reporters.map((r) => r.requests);
      rows.push(
        row(
          `JQL reporter = "<email>" (${facts.reporters.length} customers in turn)`,
          `${Math.min(...counts)}–${Math.max(...counts)} each (page ${pages.map((p) => p.issues.length).join(',')}…)`,
          await drive(server, headers, byReporter, { seconds: SECONDS }),
          await drive(server, headers, byReporter, { seconds: SECONDS / 2, connections: 1 }),
        ),
      );
    }
    if (TEXT) {
      for (const w of facts.words) {
        const call: Call = { method: 'POST', path: '/s/acme/rest/api/3/search/jql', body: JSON.stringify({ jql: `text ~ "${w.word}"`, fields: ['summary'] }) };
        const page = await fetchJson(server, headers, call);
        // a search the statement timeout cuts is not driven for SECONDS: its one call is the row
        const samples = page.failed ? { latencies: [page.ms as number], errors: 1 } : await drive(server, headers, [call], { seconds: SECONDS });
        const alone = page.failed ? undefined : await drive(server, headers, [call], { seconds: SECONDS / 2, connections: 1 });
        rows.push(row(`JQL text ~ "${w.word}" (${w.label})`, `${shown(page, page.issues.length)} of ${w.matching.toLocaleString('en')}`, samples, alone));
      }
    }
    if (!ACCESS) return rows;

    // Revoke and grant: each round gives every heavy customer heavySessions live sessions and every
    // light one a single session, then revokes all of them (one call each), then grants them back.
    const access = (verb: 'revoke' | 'grant', ids: string[]): Call[] =>
      ids.map((id) => ({ method: 'PUT', path: `/s/acme/rest/servicedeskapi/customer/user/${id}/${verb}-portal-only-access` }));
    type Kind = 'revokeHeavy' | 'revokeLight' | 'grantHeavy' | 'grantLight';
    const fourOf = <T>(make: () => T): Record<Kind, T> => ({ revokeHeavy: make(), revokeLight: make(), grantHeavy: make(), grantLight: make() });
    const fourKinds = () => fourOf(() => [] as number[]);
    const samples = fourKinds();
    // Each kind's calls again, by where its twenty came in the round: first after the round's sessions
    // were written (a pause of the server's, as a revoke after a quiet spell meets), or second, right
    // after the other kind's twenty (docs/benchmarks.md, "2026-12-07 (fast machine)").
    const byPlace = { first: fourKinds(), second: fourKinds() };
    // The CPU each kind's bursts cost the server, PostgreSQL (all its processes) and this process (the
    // load), in ms a call; on PGlite the server's figure holds the database's too.
    const cpu = fourOf(() => ({ server: 0, database: 0, load: 0, calls: 0 }));
    /** One kind's twenty at CONNECTIONS at once; in a counted round (0 on), its latencies and CPU noted. */
    const burst = async (round: number, place: number, key: Kind, calls: Call[]): Promise<number> => {
      if (round < 0) return (await driveKept(server, headers, calls, CONNECTIONS)).errors;
      const server0 = cpuSeconds(server.pid()), database0 = postgresCpuByProcess(), load0 = process.cpuUsage();
      const r = await driveKept(server, headers, calls, CONNECTIONS);
      const load = process.cpuUsage(load0);
      cpu[key].server += cpuSeconds(server.pid()) - server0;
      cpu[key].database += store.kind === 'postgres' ? postgresCpuSince(database0) : 0;
      cpu[key].load += (load.user + load.system) / 1e6;
      cpu[key].calls += calls.length;
      samples[key].push(...r.latencies);
      byPlace[place === 0 ? 'first' : 'second'][key].push(...r.latencies);
      return r.errors;
    };
    let errors = 0;
    let ended = 0;
    // Round -1 is not counted: it opens the pool's connections and prepares the revoke's and the
    // grant's statements on each, as on a server in use. Counted, its ten first calls at once (121–177 ms
    // where the rest took 27–53: new connections, every statement parsed and planned on each) were
    // the p99 of a hundred calls (docs/benchmarks.md, "A revoke's cost at ten at once").
    // On PGlite every store.use() stops the server and starts it again (one process at a time), so
    // each round would meet a server just started: no statement prepared, PGlite's buffers empty. A
    // server in use has both, as the PostgreSQL run's server keeps them across rounds; so after each
    // restart ten other customers are revoked and granted first, not counted (2026-12-04: without
    // it the embedded revokes took 43 ms alone and 230-260 ms p99 for every kind, a restart's cost).
    const warmIds = store.attach
      ? await store.use(async (db) =>
          (
            await sql<{ account_id: string }>`
              SELECT account_id FROM accounts WHERE site_id = ${fixture.siteId}::uuid AND kind = 'customer' AND status = 'active'
                AND NOT account_id = ANY (${sql.val([...fixture.heavyIds, ...fixture.lightIds])}::text[])
              ORDER BY account_id LIMIT 10`.execute(db)
          ).rows.map((r) => r.account_id),
        )
      : [];
    const afterRestart = async () => {
      if (warmIds.length === 0) return;
      for (const verb of ['revoke', 'grant'] as const) errors += (await driveKept(server, headers, access(verb, warmIds), CONNECTIONS)).errors;
    };
    for (let round = -1; round < ROUNDS; round++) {
      await store.use((db) => writeSessions(db, fixture.siteId, fixture.heavyIds, sizes.heavySessions).then(() => writeSessions(db, fixture.siteId, fixture.lightIds, 1)));
      await afterRestart();
      const order: Array<['revokeHeavy' | 'revokeLight', string[]]> = [['revokeHeavy', fixture.heavyIds], ['revokeLight', fixture.lightIds]];
      if (round % 2) order.reverse();
      for (const [place, [key, ids]] of order.entries()) errors += await burst(round, place, key, access('revoke', ids));
      ended += await store.use(async (db) => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM sessions WHERE account_id = ANY (${sql.val(fixture.heavyIds)}::text[])`.execute(db)).rows[0].n);
      await afterRestart();
      for (const [place, [key, ids]] of order.entries()) errors += await burst(round, place, key === 'revokeHeavy' ? 'grantHeavy' : 'grantLight', access('grant', ids));
    }
    // and one round one call at a time: the route's own time (the "1c p50" column)
    const alone = fourKinds();
    await store.use((db) => writeSessions(db, fixture.siteId, fixture.heavyIds, sizes.heavySessions).then(() => writeSessions(db, fixture.siteId, fixture.lightIds, 1)));
    await afterRestart();
    for (const [verb, key, ids] of [
      ['revoke', 'revokeHeavy', fixture.heavyIds], ['revoke', 'revokeLight', fixture.lightIds],
      ['grant', 'grantHeavy', fixture.heavyIds], ['grant', 'grantLight', fixture.lightIds],
    ] as const) {
      const r = await driveKept(server, headers, access(verb, ids), 1);
      alone[key].push(...r.latencies);
      errors += r.errors;
    }
    if (ended !== 0) log(`WARNING: ${ended} sessions of heavy customers were left after their revoke`);
    const h = `${facts.heavyRefs.toLocaleString('en')} refs, ${sizes.heavySessions.toLocaleString('en')} sessions`;
    const l = `${facts.lightRefs} ref, 1 session`;
    rows.push(row(`revoke: heavy customer (${fixture.heavyIds.length} of them × ${ROUNDS} rounds)`, h, { latencies: samples.revokeHeavy, errors }, { latencies: alone.revokeHeavy }));
    rows.push(row(`revoke: light customer (${fixture.lightIds.length} × ${ROUNDS})`, l, { latencies: samples.revokeLight, errors: 0 }, { latencies: alone.revokeLight }));
    rows.push(row(`grant: heavy customer`, h.replace(/, .*/, ''), { latencies: samples.grantHeavy, errors: 0 }, { latencies: alone.grantHeavy }));
    rows.push(row(`grant: light customer`, l.replace(/, .*/, ''), { latencies: samples.grantLight, errors: 0 }, { latencies: alone.grantLight }));
    const spread = (latencies: number[]) => {
      const sorted = [...latencies].sort((a, b) => a - b);
      return sorted.length === 0 ? '-' : `p50 ${percentile(sorted, 0.5).toFixed(2)}  p99 ${percentile(sorted, 0.99).toFixed(2)} (${sorted.length})`;
    };
    for (const key of ['revokeHeavy', 'revokeLight', 'grantHeavy', 'grantLight'] as const) {
      log(`${key.padEnd(12)} first in its round: ${spread(byPlace.first[key]).padEnd(30)} second: ${spread(byPlace.second[key])}`);
    }
    // (/proc counts in ticks of 10 ms: over a few dozen calls a figure is good to a tenth at best)
    for (const [key, { server: srv, database, load, calls }] of Object.entries(cpu)) {
      if (calls === 0) continue;
      const ms = (seconds: number) => ((seconds * 1000) / calls).toFixed(2);
      const databasePart = store.kind === 'postgres' ? `, PostgreSQL ${ms(database)}` : '';
      const atOnce = Math.min(CONNECTIONS, (key.endsWith('Heavy') ? fixture.heavyIds : fixture.lightIds).length);
      log(`${key.padEnd(12)} CPU a call at ${atOnce} at once (${calls} calls): server ${ms(srv)}${databasePart}, load ${ms(load)} ms; ${floorOf(((srv + database + load) * 1e6) / calls, atOnce, 'call')}`);
    }
  } finally {
    await server.stop();
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------

const results: Array<{ label: string; seeded: string; rows: Row[] }> = [];
if (MODE === 'server' || MODE === 'both') {
  const pg = await postgresStore(SERVER_SIZES);
  try {
    results.push({ label: 'PostgreSQL server', seeded: pg.seeded, rows: await measure('PostgreSQL server', pg.store, SERVER_SIZES) });
  } finally {
    await pg.drop();
  }
}
if (MODE === 'embedded' || MODE === 'both') {
  const lite = await pgliteStore(EMBEDDED_SIZES);
  try {
    results.push({ label: 'embedded (PGlite)', seeded: lite.seeded, rows: await measure('embedded (PGlite)', lite.store, EMBEDDED_SIZES) });
  } finally {
    await lite.drop();
  }
}

const out: string[] = [];
out.push(`\nscale over HTTP, ${CONNECTIONS} connections, ${SECONDS} s a read target, ${ROUNDS} rounds of revoke and grant; ms`);
for (const r of results) out.push(`${r.label}: ${r.label.startsWith('Postgre') ? JSON.stringify(SERVER_SIZES) : JSON.stringify(EMBEDDED_SIZES)} (${r.seeded})`);
const [first, second] = results;
const fmt = (ms: number | undefined) => (ms === undefined ? '-' : ms.toFixed(2));
const head = `${'target'.padEnd(56)} ${'hits'.padEnd(30)}`;
out.push(
  second
    ? `${head} ${'server p50'.padStart(10)} ${'p99'.padStart(8)} ${'1c p50'.padStart(7)} ${'load'.padStart(5)} ${'embed p50'.padStart(10)} ${'p99'.padStart(8)} ${'1c p50'.padStart(7)} ${'load'.padStart(5)} ${'p99 emb/srv'.padStart(11)}  embedded hits`
    : `${head} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'1c p50'.padStart(7)} ${'calls'.padStart(7)} ${'errors'.padStart(7)} ${'load'.padStart(5)}`,
);
for (const [i, r] of first.rows.entries()) {
  if (second) {
    const e = second.rows[i];
    out.push(`${r.target.padEnd(56)} ${r.hits.padEnd(30)} ${r.p50.toFixed(2).padStart(10)} ${r.p99.toFixed(2).padStart(8)} ${fmt(r.alone).padStart(7)} ${r.load.toFixed(1).padStart(5)} ${e.p50.toFixed(2).padStart(10)} ${e.p99.toFixed(2).padStart(8)} ${fmt(e.alone).padStart(7)} ${e.load.toFixed(1).padStart(5)} ${(e.p99 / r.p99).toFixed(2).padStart(11)}  ${e.hits}`);
  } else {
    out.push(`${r.target.padEnd(56)} ${r.hits.padEnd(30)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${fmt(r.alone).padStart(7)} ${String(r.n).padStart(7)} ${String(r.errors).padStart(7)} ${r.load.toFixed(1).padStart(5)}`);
  }
}
for (const r of ACCESS ? results : []) {
  out.push(`${r.label}: revoke p99 heavy/light ${heavyOverLight(r.rows, 'revoke')?.toFixed(2)}, grant p99 heavy/light ${heavyOverLight(r.rows, 'grant')?.toFixed(2)}`);
}
out.push(...goalThree(results.find((r) => r.label === 'PostgreSQL server')?.rows, results.find((r) => r.label === 'embedded (PGlite)')?.rows));
console.log(out.join('\n'));

/** A heavy customer's p99 over a light one's for `verb`; none when the run did not measure both. */
function heavyOverLight(rows: Row[] | undefined, verb: 'revoke' | 'grant'): number | undefined {
  const p99 = (start: string) => rows?.find((r) => r.target.startsWith(start))?.p99;
  const heavy = p99(`${verb}: heavy`), light = p99(`${verb}: light`);
  return heavy !== undefined && light !== undefined ? heavy / light : undefined;
}

/**
 * Goal 3 of docs/benchmarks.md's issue, target by target, against the rows this run measured: the
 * worst p99 of each kind of target, its limit, met or not (a kind this run did not measure is left
 * out). The embedded figures are judged against the server's of the same run.
 */
function goalThree(server: Row[] | undefined, embedded: Row[] | undefined): string[] {
  if (!server && !embedded) return [];
  const lines = [`\ngoal 3 at this run's sizes (the issue's are the defaults): p99 at ${CONNECTIONS} connections, the worst row of each kind`];
  const verdict = (what: string, value: number | undefined, limit: number, unit: ' ms' | '×') => {
    if (value === undefined || !Number.isFinite(value)) return;
    lines.push(`  ${what.padEnd(64)} ${`${value.toFixed(2)}${unit}`.padStart(9)} against ${limit}${unit}: ${value <= limit ? 'met' : 'NOT met'}`);
  };
  const worst = (rows: Row[] | undefined, test: (target: string) => boolean) => {
    const found = (rows ?? []).filter((r) => test(r.target));
    return found.length ? Math.max(...found.map((r) => r.p99)) : undefined;
  };
  verdict('server: pickers asked again (web app and REST)', worst(server, (t) => t.startsWith('picker') && !t.includes('read every time')), 5, ' ms');
  verdict('server: web pickers read every time', worst(server, (t) => t.includes('read every time')), 5, ' ms');
  verdict('server: JQL reporter = "<email>"', worst(server, (t) => t.startsWith('JQL reporter')), 10, ' ms');
  verdict('server: JQL text ~ (every word)', worst(server, (t) => t.startsWith('JQL text')), 50, ' ms');
  verdict('server: revoke and grant, heavy and light', worst(server, (t) => t.startsWith('revoke') || t.startsWith('grant')), 20, ' ms');
  verdict('server: revoke p99, heavy customer against light', heavyOverLight(server, 'revoke'), 1.5, '×');
  verdict('server: grant p99, heavy customer against light', heavyOverLight(server, 'grant'), 1.5, '×');
  if (server && embedded) {
    const ratios = embedded.flatMap((e) => {
      const s = server.find((r) => r.target === e.target);
      return s ? [e.p99 / s.p99] : [];
    });
    verdict('embedded against the server, every target measured on both', ratios.length ? Math.max(...ratios) : undefined, 3, '×');
  }
  return lines;
}
