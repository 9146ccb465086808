/**
 * Mixed load on two instances (docs/benchmarks.md, "Mixed load on two instances"): two Portico
 * server processes, started as `npm start` starts them (the built server, its request log on), on one
 * new database of the PostgreSQL server with the demo data plus BENCH_CUSTOMERS customers of acme
 * (default 3,000: realistic names from bench/support/names.ts, imported with `portico customers
 * import`, added to the HELP service desk and given a password through the admin API).
 *
 * The load, spread over both instances: customer logins to the help center, help-center picker
 * searches, JQL searches over REST with API tokens (the org admin's and an agent's), new requests
 * and comments by customers. Every client has its own address (X-Forwarded-For to servers that trust
 * a proxy, as behind a reverse proxy: the login throttle counts a person, not the load generator).
 * Once a second the org admin revokes a customer over instance A, and grants her back over instance
 * B a bit later; meanwhile a quarter of the customers' requests are that customer's.
 *
 * Every customer request records when it began and ended. One that began after her revoke answered
 * and before the grant began and still succeeded breaks R12 of docs/security.md ("no request that
 * starts after a revoke commits succeeds"); one made with a session from before a revoke that
 * succeeded after it breaks R8 (a grant revives no session). A 401 for a revoked customer is expected;
 * any other answer that is not 2xx is an error.
 *
 * The concurrency (requests in flight) is stepped up through BENCH_CONCURRENCY (default
 * 1,2,4,8,16,32,64) with BENCH_PROBE_SECONDS probes (default 15), after a BENCH_WARMUP_SECONDS
 * warm-up (default 5); the highest step whose p99 over all requests stays under 100 ms with no error
 * is then held for BENCH_SECONDS (default 300) — or BENCH_HOLD_CONCURRENCY, when set. Prints the
 * numbers, never pass/fail. Stops both servers and drops the database at the end.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { closeConnections, ok, send, type Answer } from './support/http-client.js';
import { listeningUrl } from './support/listening.js';
import { adminQuery, urlFor } from '../test/support/postgres-admin.js';
import { FIRST, LAST } from './support/names.js';

const HOLD_SECONDS = Number(process.env.BENCH_SECONDS ?? 300);
const PROBE_SECONDS = Number(process.env.BENCH_PROBE_SECONDS ?? 15);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 3000);
const STEPS = (process.env.BENCH_CONCURRENCY ?? '1,2,4,8,16,32,64').split(',').map(Number);
const P99_LIMIT_MS = 100;
/** the share of customer requests made as the customer of the current revoke */
const VICTIM_SHARE = 0.25;
/** a revoke this long after the second began, the grant this long after the revoke answered */
const REVOKE_AFTER_MS = 300;
const GRANT_AFTER_MS = 400;
const PASSWORD = 'Mixed load 2026 password';
const DOMAIN = 'customers.example';

const KINDS = ['login', 'picker', 'jql', 'new request', 'comment', 'revoke', 'grant'] as const;
type Kind = (typeof KINDS)[number];
/** the weights of the five kinds the clients send (revokes and grants come once a second) */
const MIX: Array<[Kind, number]> = [
  ['login', 10],
  ['picker', 30],
  ['jql', 25],
  ['new request', 10],
  ['comment', 25],
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const now = () => performance.now();

// ---------------------------------------------------------------------------------------------
// the servers and the data

interface Instance {
  name: 'A' | 'B';
  url: string;
  child: ChildProcess;
}

async function startInstance(name: 'A' | 'B', env: NodeJS.ProcessEnv, serverArgs: string[]): Promise<Instance> {
  const child = spawn(process.execPath, serverArgs, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const errors: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => {
    errors.push(line);
    if (errors.length <= 20) console.error(`[${name}] ${line}`);
  });
  const { url, lines } = await listeningUrl(child.stdout!);
  if (!url) throw new Error(`instance ${name} exited before listening: ${errors.join('\n')}`);
  // the request log, one JSON line per request: read and dropped, but a 5xx is shown
  lines.on('line', (line) => {
    if (/"statusCode":5\d\d|"level":50/.test(line)) console.error(`[${name}] ${line.slice(0, 500)}`);
  });
  return { name, url, child };
}

function stop(instance: Instance): Promise<void> {
  return new Promise((resolve) => {
    if (instance.child.exitCode !== null || instance.child.signalCode !== null) return resolve();
    instance.child.once('exit', () => resolve());
    instance.child.kill('SIGTERM');
    setTimeout(() => instance.child.kill('SIGKILL'), 10_000).unref();
  });
}

function cli(env: NodeJS.ProcessEnv, args: string[]): string {
  const r = spawnSync(process.execPath, ['bin/portico.js', ...args], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`portico ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

function tokenHeader(env: NodeJS.ProcessEnv, email: string): Record<string, string> {
  const token = cli(env, ['token', 'create', '--email', email, '--label', 'bench mixed']).trim().split('\n').at(-1)!;
  return { authorization: `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}` };
}

/** First and last names from the lists a real help center has, many sharing prefixes. */
function customerName(i: number): { first: string; last: string } {
  return { first: FIRST[(i * 7919) % FIRST.length], last: LAST[(i * 104_729 + Math.floor(i / LAST.length)) % LAST.length] };
}

/** An address of its own per client, in the documentation prefix 2001:db8::/32 (no real host). */
const addressOf = (i: number) => `2001:db8:${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}::1`;

async function json<T>(answer: Promise<Answer>, what: string): Promise<T> {
  const a = await answer;
  if (!ok(a.status)) throw new Error(`${what}: ${a.status} ${a.body.slice(0, 300)}`);
  return (a.body ? JSON.parse(a.body) : undefined) as T;
}

// ---------------------------------------------------------------------------------------------
// the state of the load

interface Customer {
  index: number;
  accountId: string;
  email: string;
  address: string;
  /** the session cookie, its CSRF token and when the login that made it began */
  session?: { cookie: string; csrf: string; loginStartedAt: number; loginEndedAt: number };
  /** a 401 said the session is gone; it is still sent until a login works again */
  dead: boolean;
  /** after a refused login, no new attempt before this time (a person waits before retrying) */
  loginPausedUntil: number;
  /** keys of the requests she raised */
  requests: string[];
  busyLogins: number;
}

interface Window {
  revokeSentAt: number;
  revokeAnsweredAt: number;
  grantSentAt: number;
  grantAnsweredAt: number;
}

interface Call {
  kind: Kind;
  instance: 0 | 1;
  startedAt: number;
  endedAt: number;
  status: number;
  customer?: Customer;
  /** what a JQL search asked (its shape) */
  label?: string;
  /** when the login that made the session the call carried began and ended (customer calls but logins) */
  sessionFrom?: number;
  sessionMade?: number;
  detail?: string;
}

interface Setup {
  instances: Instance[];
  customers: Customer[];
  admin: Record<string, string>;
  agentToken: Record<string, string>;
  projectId: string;
  requestTypeId: string;
}

// ---------------------------------------------------------------------------------------------
// one phase: `concurrency` clients for `seconds`, with the revoke and grant once a second

interface PhaseResult {
  concurrency: number;
  seconds: number;
  calls: Call[];
  windows: Map<Customer, Window[]>;
  allWindows: Map<Customer, Window[]>;
}

const PICKER_PREFIXES = [...new Set([...FIRST, ...LAST].flatMap((n) => [n.slice(0, 1), n.slice(0, 2), n.slice(0, 3), n.slice(0, 4)]).map((p) => p.toLowerCase()))];
const SUMMARIES = ['VPN drops every hour', 'Cannot log in to payroll', 'New laptop please', 'Printer on floor 3 jams', 'Email quota full', 'Monitor flickers'];
const JQL_WORDS = ['printer', 'vpn', 'laptop', 'payroll', 'monitor', 'toner'];
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)];

async function runPhase(setup: Setup, concurrency: number, seconds: number, allWindows: Map<Customer, Window[]>): Promise<PhaseResult> {
  const { instances, customers } = setup;
  const calls: Call[] = [];
  const windows = new Map<Customer, Window[]>();
  const withRequests: Customer[] = customers.filter((c) => c.requests.length > 0);
  const loggedIn: Customer[] = customers.filter((c) => c.session);
  let victim: Customer | undefined;
  let stopped = false;
  const deadline = now() + seconds * 1000;
  let turn = 0;

  const record = (call: Call) => calls.push(call);
  const timed = async (
    kind: Kind,
    instance: 0 | 1,
    customer: Customer | undefined,
    session: { loginStartedAt: number; loginEndedAt: number } | undefined,
    label: string | undefined,
    fn: () => Promise<Answer>,
  ): Promise<Answer> => {
    const startedAt = now();
    const answer = await fn();
    const endedAt = now();
    record({ kind, instance, startedAt, endedAt, status: answer.status, customer, sessionFrom: session?.loginStartedAt, sessionMade: session?.loginEndedAt, label, detail: ok(answer.status) || answer.status === 401 ? undefined : answer.body.slice(0, 300) });
    return answer;
  };

  const login = async (c: Customer, instance: 0 | 1): Promise<boolean> => {
    c.busyLogins++;
    const startedAt = now();
    const a = await timed('login', instance, c, undefined, undefined, () =>
      send(instances[instance].url, 'POST', '/s/acme/api/portal/login', { 'x-forwarded-for': c.address }, { email: c.email, password: PASSWORD }),
    );
    c.busyLogins--;
    if (a.status === 200) {
      const cookie = a.cookies.find((k) => k.startsWith('portico_csid='));
      if (!cookie) throw new Error('login answered 200 without a session cookie');
      // a later login's session replaces an earlier one (both stay valid: that is allowed)
      if (!c.session) loggedIn.push(c);
      if (!c.session || c.session.loginStartedAt < startedAt) c.session = { cookie, csrf: (JSON.parse(a.body) as { csrfToken: string }).csrfToken, loginStartedAt: startedAt, loginEndedAt: now() };
      c.dead = false;
      return true;
    }
    c.loginPausedUntil = now() + 250;
    return false;
  };

  /** The session to send as `c`: logs in first when she has none (or it died) and may try again. */
  const sessionOf = async (c: Customer, instance: 0 | 1) => {
    // one login at a time per person, and none right after a refused one
    if ((!c.session || c.dead) && now() >= c.loginPausedUntil && c.busyLogins === 0) await login(c, instance);
    return c.session;
  };

  // A person logs in once and then works: a login is of anyone, the other requests are mostly of
  // someone who has logged in (or of the customer being revoked).
  const customerFor = (kind: Kind): Customer => {
    if (victim && kind !== 'login' && Math.random() < VICTIM_SHARE) return victim;
    if (kind === 'comment' && withRequests.length > 0) return pick(withRequests);
    if (kind !== 'login' && loggedIn.length > 0) return pick(loggedIn);
    return pick(customers);
  };

  const chooseKind = (): Kind => {
    const total = MIX.reduce((s, [, w]) => s + w, 0);
    let r = Math.random() * total;
    for (const [kind, w] of MIX) if ((r -= w) < 0) return kind;
    return MIX[0][0];
  };

  const client = async () => {
    while (!stopped && !interrupted && now() < deadline) {
      const kind = chooseKind();
      const instance = (turn++ % 2) as 0 | 1;
      const base = instances[instance].url;
      if (kind === 'jql') {
        const asAgent = Math.random() < 0.5;
        const someone = pick(customers);
        const other = pick(customers);
        const [label, jql] = pick([
          ['reporter = email', `reporter = "${someone.email}"`],
          ['reporter in (2 emails)', `reporter in ("${someone.email}", "${other.email}")`],
          ['project+status ORDER BY', 'project = HELP AND status = Open ORDER BY created DESC'],
          ['text ~ word ORDER BY', `text ~ "${pick(JQL_WORDS)}" ORDER BY created DESC`],
          ['participant OR reporter', `participant = "${someone.email}" OR reporter = "${other.email}"`],
        ]);
        await timed('jql', instance, undefined, undefined, `${label} (${asAgent ? 'agent' : 'org admin'})`, () =>
          send(base, 'POST', '/s/acme/rest/api/3/search/jql', { ...(asAgent ? setup.agentToken : setup.admin), 'x-forwarded-for': addressOf(1_000_000) }, { jql, fields: ['summary', 'status', 'reporter'], maxResults: 50 }),
        );
        continue;
      }
      const c = customerFor(kind);
      if (kind === 'login') {
        if (now() < c.loginPausedUntil || c.busyLogins > 0) continue;
        await login(c, instance);
        continue;
      }
      if (kind === 'comment' && c.requests.length === 0) continue; // she has nothing to comment on yet
      const session = await sessionOf(c, instance);
      if (!session) continue; // never logged in, and her login was just refused
      const headers = { cookie: session.cookie, 'x-csrf-token': session.csrf, 'x-forwarded-for': c.address };
      let a: Answer;
      if (kind === 'picker') {
        a = await timed('picker', instance, c, session, undefined, () => send(base, 'GET', `/s/acme/api/users/picker?query=${encodeURIComponent(pick(PICKER_PREFIXES))}`, headers));
      } else if (kind === 'new request') {
        a = await timed('new request', instance, c, session, undefined, () =>
          send(base, 'POST', '/s/acme/api/portal/requests', headers, {
            projectId: setup.projectId,
            requestTypeId: setup.requestTypeId,
            fields: { summary: pick(SUMMARIES), description: `Raised under mixed load by ${c.email}` },
          }),
        );
        if (a.status === 201) {
          if (c.requests.length === 0) withRequests.push(c);
          c.requests.push((JSON.parse(a.body) as { key: string }).key);
        }
      } else {
        a = await timed('comment', instance, c, session, undefined, () =>
          send(base, 'POST', `/s/acme/api/portal/requests/${pick(c.requests)}/comments`, headers, { body: `Any news? (mixed load, ${new Date().toISOString()})` }),
        );
      }
      if (a.status === 401 && c.session === session) c.dead = true;
    }
  };

  const revoker = async () => {
    while (!stopped && !interrupted && now() < deadline) {
      const second = now();
      // a customer who is logged in, when there is one, so that requests of hers are in flight
      const candidates = customers.filter((c) => c.session && !c.dead);
      victim = candidates.length > 0 ? pick(candidates) : pick(customers);
      const v = victim;
      await sleep(second + REVOKE_AFTER_MS - now());
      const w: Window = { revokeSentAt: now(), revokeAnsweredAt: Infinity, grantSentAt: Infinity, grantAnsweredAt: Infinity };
      for (const map of [windows, allWindows]) map.set(v, [...(map.get(v) ?? []), w]);
      const revoke = await timed('revoke', 0, undefined, undefined, undefined, () => send(instances[0].url, 'POST', `/api/admin/sites/acme/customers/${v.accountId}/revoke`, setup.admin));
      w.revokeAnsweredAt = now();
      if (revoke.status === 200 && !(JSON.parse(revoke.body) as { changed: boolean }).changed) calls.at(-1)!.detail = 'revoke changed nothing';
      await sleep(GRANT_AFTER_MS);
      w.grantSentAt = now();
      await timed('grant', 1, undefined, undefined, undefined, () => send(instances[1].url, 'POST', `/api/admin/sites/acme/customers/${v.accountId}/grant`, setup.admin));
      w.grantAnsweredAt = now();
      await sleep(second + 1000 - now());
    }
  };

  await Promise.all([revoker(), ...Array.from({ length: concurrency }, client)]);
  stopped = true;
  return { concurrency, seconds, calls, windows, allWindows };
}

// ---------------------------------------------------------------------------------------------
// what a phase's calls say

interface Verdict {
  errors: Call[];
  /** succeeded, began after her revoke answered and was answered before her grant began */
  r12: Call[];
  /** succeeded, began after her revoke answered and before her grant began, answered after the grant began */
  straddled: Call[];
  /** succeeded after a revoke with a session whose login had answered before that revoke was sent */
  revived: Call[];
  /** succeeded after a grant with a session whose login was under way during the revoke (see judge) */
  racing: Call[];
  expected401: number;
}

function judge(calls: Call[], windows: Map<Customer, Window[]>): Verdict {
  const errors: Call[] = [];
  const r12: Call[] = [];
  const straddled: Call[] = [];
  const revived: Call[] = [];
  const racing: Call[] = [];
  let expected401 = 0;
  for (const call of calls) {
    const c = call.customer;
    const ws = c ? (windows.get(c) ?? []) : [];
    if (ok(call.status)) {
      if (call.detail) errors.push(call); // a revoke that changed nothing
      // R12: began after her revoke answered and before the grant began. One still in flight when the
      // grant began may have been served after the grant committed (a login that reads her account
      // then): it is counted apart. Any other request carries a session, which R8 below checks.
      const inWindow = ws.filter((w) => call.startedAt > w.revokeAnsweredAt && call.startedAt < w.grantSentAt);
      if (inWindow.some((w) => call.endedAt < w.grantSentAt)) r12.push(call);
      else if (inWindow.length > 0) straddled.push(call);
      // R8: a session from before a revoke (its login answered before the revoke was sent) that still
      // works after it. A login still under way while the revoke ran may have created its session
      // after the grant committed (it read her account before the revoke, checked the password, then
      // wrote the session): such a session was made while she was active, and is counted apart.
      if (call.sessionFrom !== undefined) {
        const after = ws.filter((w) => call.startedAt > w.revokeAnsweredAt && call.sessionFrom! < w.revokeAnsweredAt);
        if (after.some((w) => call.sessionMade! < w.revokeSentAt)) revived.push(call);
        else if (after.length > 0) racing.push(call);
      }
      continue;
    }
    if (call.status === 401 && c) {
      const expected =
        call.kind === 'login'
          ? ws.some((w) => call.startedAt < w.grantAnsweredAt && call.endedAt > w.revokeSentAt)
          : ws.some((w) => w.revokeSentAt < call.endedAt && call.sessionFrom! < w.grantAnsweredAt);
      if (expected) {
        expected401++;
        continue;
      }
    }
    errors.push(call);
  }
  return { errors, r12, straddled, revived, racing, expected401 };
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

function latencies(calls: Call[]) {
  const ms = calls.map((c) => c.endedAt - c.startedAt).sort((a, b) => a - b);
  return { n: ms.length, p50: percentile(ms, 0.5), p99: percentile(ms, 0.99), max: ms.at(-1) ?? NaN };
}

/** Judged against every revoke of the run so far: a session may have died in an earlier phase. */
function summary(phase: PhaseResult) {
  const all = latencies(phase.calls);
  return { ...all, rps: all.n / phase.seconds, verdict: judge(phase.calls, phase.allWindows) };
}

function report(phase: PhaseResult): string {
  const { verdict } = summary(phase);
  const lines = [`kind          requests   req/s   p50 ms   p99 ms   max ms   errors`];
  for (const kind of KINDS) {
    const calls = phase.calls.filter((c) => c.kind === kind);
    const l = latencies(calls);
    const errors = verdict.errors.filter((c) => c.kind === kind).length;
    lines.push(
      `${kind.padEnd(12)} ${String(l.n).padStart(9)} ${(l.n / phase.seconds).toFixed(1).padStart(7)} ${l.p50.toFixed(1).padStart(8)} ${l.p99.toFixed(1).padStart(8)} ${l.max.toFixed(1).padStart(8)} ${String(errors).padStart(8)}`,
    );
  }
  const l = latencies(phase.calls);
  const jqlLabels = [...new Set(phase.calls.filter((c) => c.label).map((c) => c.label!))].sort();
  for (const label of jqlLabels) {
    const m = latencies(phase.calls.filter((c) => c.label === label));
    lines.push(`  jql ${label.padEnd(40)} ${String(m.n).padStart(6)} ${m.p50.toFixed(1).padStart(8)} ${m.p99.toFixed(1).padStart(8)} ${m.max.toFixed(1).padStart(8)}`);
  }
  lines.push(
    `${'all'.padEnd(12)} ${String(l.n).padStart(9)} ${(l.n / phase.seconds).toFixed(1).padStart(7)} ${l.p50.toFixed(1).padStart(8)} ${l.p99.toFixed(1).padStart(8)} ${l.max.toFixed(1).padStart(8)} ${String(verdict.errors.length).padStart(8)}`,
  );
  const revokes = [...phase.windows.values()].flat();
  const customerCalls = phase.calls.filter((c) => c.customer);
  const inWindows = customerCalls.filter((c) => (phase.windows.get(c.customer!) ?? []).some((w) => c.startedAt > w.revokeAnsweredAt && c.startedAt < w.grantSentAt));
  const revokeMs = revokes.map((w) => w.revokeAnsweredAt - w.revokeSentAt).sort((a, b) => a - b);
  lines.push(
    `revokes and grants: ${revokes.length} (revoke answered in p50 ${percentile(revokeMs, 0.5).toFixed(1)} ms, p99 ${percentile(revokeMs, 0.99).toFixed(1)} ms)`,
    `customer requests begun between a revoke's answer and its grant: ${inWindows.length} (${inWindows.filter((c) => c.kind === 'login').length} logins), answered 401 as expected: ${inWindows.filter((c) => c.status === 401).length}`,
    `401s for revoked customers (expected, not errors): ${verdict.expected401}`,
    `errors (answers other than 2xx and those 401s): ${verdict.errors.length}`,
    `R12 violations (a customer request that began after her revoke answered, succeeded, and was answered before her grant began): ${verdict.r12.length}`,
    `  succeeded, began after her revoke answered and before her grant began, answered after the grant began: ${verdict.straddled.length} ` +
      `(${verdict.straddled.filter((c) => c.kind === 'login').length} logins)`,
    `R8 violations (a session whose login answered before a revoke was sent, working after the revoke answered): ${verdict.revived.length}`,
    `  sessions of logins under way during a revoke that worked after the grant: ${verdict.racing.length}`,
  );
  const byStatus = new Map<string, number>();
  for (const e of verdict.errors) byStatus.set(`${e.kind} ${e.status}`, (byStatus.get(`${e.kind} ${e.status}`) ?? 0) + 1);
  for (const [k, n] of byStatus) lines.push(`  error: ${k} × ${n}`);
  for (const e of verdict.errors.slice(0, 5)) lines.push(`  e.g. ${e.kind} ${e.status} ${e.detail ?? ''}`);
  const relative = (v: Call) => {
    const w = (phase.allWindows.get(v.customer!) ?? []).find((x) => v.startedAt > x.revokeAnsweredAt && v.startedAt < x.grantSentAt);
    return w
      ? `began ${(v.startedAt - w.revokeAnsweredAt).toFixed(1)} ms after the revoke answered, answered ${(v.endedAt - w.grantSentAt).toFixed(1)} ms after the grant began ` +
          `(grant answered ${(w.grantAnsweredAt - w.grantSentAt).toFixed(1)} ms after it began)`
      : `session from ${v.sessionFrom?.toFixed(1)}, began at ${v.startedAt.toFixed(1)}`;
  };
  for (const [what, vs] of [['R12 violation', verdict.r12], ['R8 violation', verdict.revived], ['straddled the grant', verdict.straddled]] as const) {
    for (const v of vs.slice(0, 3)) lines.push(`  ${what}: ${v.kind} ${v.status} as ${v.customer?.email}: ${relative(v)}`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// the run

const build = spawnSync(process.execPath, ['scripts/build-server.js'], { encoding: 'utf8' });
if (build.status !== 0) throw new Error(build.stderr);
const { SERVER_ARGS } = (await import('../scripts/build-server.js' as string)) as { SERVER_ARGS: string[] };
const database = `portico_bench_mixed_${process.pid}`;
const dir = mkdtempSync(path.join(tmpdir(), 'portico-bench-mixed-'));
const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', PORTICO_TRUST_PROXY: '1', DATABASE_URL: urlFor(database) };
delete env.PORTICO_LOG_LEVEL;
const instances: Instance[] = [];
let interrupted = false;
process.once('SIGINT', () => {
  interrupted = true;
});

try {
  await adminQuery(`DROP DATABASE IF EXISTS ${database}`, `CREATE DATABASE ${database}`);
  const t0 = now();
  instances.push(await startInstance('A', { ...env, PORTICO_DEMO: '1' }, SERVER_ARGS));
  instances.push(await startInstance('B', { ...env, PORTICO_DEMO: '0' }, SERVER_ARGS));

  const csv = ['Name,Email,Status'];
  for (let i = 1; i <= CUSTOMERS; i++) {
    const { first, last } = customerName(i);
    csv.push(`${first} ${last},${`${first}.${last}.${i}@${DOMAIN}`.toLowerCase()},Active`);
  }
  const file = path.join(dir, 'customers.csv');
  writeFileSync(file, csv.join('\r\n') + '\r\n');
  cli(env, ['customers', 'import', '--site', 'acme', file]);
  const admin = tokenHeader(env, 'admin@acme.test');
  const agentToken = tokenHeader(env, 'agent@acme.test');

  const desks = await json<{ values: Array<{ id: string; projectKey: string; projectId: string }> }>(send(instances[0].url, 'GET', '/s/acme/rest/servicedeskapi/servicedesk', admin), 'service desks');
  const desk = desks.values.find((d) => d.projectKey === 'HELP')!;
  const types = await json<{ values: Array<{ id: string; name: string }> }>(send(instances[0].url, 'GET', `/s/acme/rest/servicedeskapi/servicedesk/${desk.id}/requesttype`, admin), 'request types');
  const requestTypeId = types.values.find((t) => t.name === 'Get IT help')!.id;

  const customers: Customer[] = [];
  for (let start = 0; ; start += 100) {
    const page = await json<{ values: Array<{ accountId: string; email: string }>; isLastPage: boolean }>(
      send(instances[start / 100 % 2].url, 'GET', `/api/admin/sites/acme/customers?start=${start}&limit=100&status=active`, admin),
      'customer list',
    );
    for (const v of page.values) {
      if (!v.email.endsWith(`@${DOMAIN}`)) continue;
      const index = customers.length + 1;
      customers.push({ index, accountId: v.accountId, email: v.email, address: addressOf(index), dead: false, loginPausedUntil: 0, requests: [], busyLogins: 0 });
    }
    if (page.isLastPage) break;
  }
  if (customers.length !== CUSTOMERS) throw new Error(`expected ${CUSTOMERS} imported customers, found ${customers.length}`);
  for (let i = 0; i < customers.length; i += 500) {
    const batch = customers.slice(i, i + 500).map((c) => c.accountId);
    await json(send(instances[0].url, 'POST', `/s/acme/rest/servicedeskapi/servicedesk/${desk.id}/customer`, admin, { accountIds: batch }), 'add to the service desk');
  }
  // passwords through the admin API, four at a time on each instance
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      while (next < customers.length) {
        const c = customers[next++];
        await json(send(instances[w % 2].url, 'PUT', `/api/admin/sites/acme/customers/${c.accountId}/password`, admin, { password: PASSWORD }), 'set password');
      }
    }),
  );
  const setup: Setup = { instances, customers, admin, agentToken, projectId: desk.projectId ?? desk.id, requestTypeId };
  console.log(
    `two instances of the built server on one PostgreSQL database; demo data + ${CUSTOMERS.toLocaleString('en')} customers of acme ` +
      `(imported, added to HELP, passwords set) in ${((now() - t0) / 1000).toFixed(1)} s`,
  );
  console.log(`mix: ${MIX.map(([k, w]) => `${k} ${w}%`).join(', ')}; ${VICTIM_SHARE * 100}% of customer requests as the customer being revoked; a revoke (A) and a grant (B) every second`);

  const allWindows = new Map<Customer, Window[]>();
  if (WARMUP_SECONDS > 0) await runPhase(setup, STEPS[0], WARMUP_SECONDS, allWindows);

  console.log(`\nprobes of ${PROBE_SECONDS} s: concurrency (requests in flight), req/s, p50 and p99 over all requests (ms), errors, R12 violations`);
  let best: number | undefined;
  for (const concurrency of STEPS) {
    if (interrupted) break;
    const phase = await runPhase(setup, concurrency, PROBE_SECONDS, allWindows);
    const s = summary(phase);
    console.log(
      `  ${String(concurrency).padStart(3)}  ${s.rps.toFixed(1).padStart(7)} req/s  p50 ${s.p50.toFixed(1).padStart(6)}  p99 ${s.p99.toFixed(1).padStart(7)}  errors ${s.verdict.errors.length}  R12 ${s.verdict.r12.length}  R8 ${s.verdict.revived.length}  (straddled the grant ${s.verdict.straddled.length})`,
    );
    if (s.verdict.errors.length > 0 || s.verdict.r12.length > 0) console.log(report(phase).replace(/^/gm, '      '));
    if (s.p99 >= P99_LIMIT_MS || s.verdict.errors.length > 0) break;
    best = concurrency;
  }
  const hold = process.env.BENCH_HOLD_CONCURRENCY ? Number(process.env.BENCH_HOLD_CONCURRENCY) : (best ?? STEPS[0]);
  if (best === undefined && !process.env.BENCH_HOLD_CONCURRENCY) console.log(`no probe kept p99 under ${P99_LIMIT_MS} ms without errors: holding the lowest step, ${hold}`);
  if (!interrupted) {
    console.log(`\nheld at concurrency ${hold} for ${HOLD_SECONDS} s (both instances, alternating):`);
    const phase = await runPhase(setup, hold, HOLD_SECONDS, allWindows);
    console.log(report(phase));
  }
} finally {
  await Promise.all(instances.map(stop));
  closeConnections();
  await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  rmSync(dir, { recursive: true, force: true });
}
