import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DB_KIND, type TestDatabase } from '../support/db.js';
import { loadDemoData } from '../../src/db/demo.js';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';

// A revoke is felt on every app instance at once: the next request, the next picker search, and
// under load not one request that started after the revoke committed succeeds. Instance A runs in
// this process; instance B is a separate Node process (src/main.ts) on the same PostgreSQL
// database. Nothing is shared between them but the database.
//
// PGlite is an embedded, single-process database by design (one process per data dir), so two
// instances cannot share it: this file runs on PostgreSQL only.
const onPostgres = TEST_DB_KIND === 'postgres';

let database: TestDatabase;
let a: RunningServer;
let b: { url: string; child: ChildProcess };

function startProcess(url: string): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    // the built server, as `npm start` runs it (the run's global setup built it): started through
    // tsx, its sources were compiled again in the child, several seconds of CPU for nothing tested
    const child = spawn(process.execPath, ['dist/server/main.js'], {
      env: { ...process.env, DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1', PORTICO_DEMO: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`instance B did not start: ${out}`)), 90_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], child });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`instance B exited (${code}): ${out}`)));
  });
}

async function http(base: string, method: string, path: string, opts: { cookie?: string; csrf?: string; body?: unknown; authorization?: string } = {}) {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.csrf) headers['x-csrf-token'] = opts.csrf;
  if (opts.authorization) headers.authorization = opts.authorization;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  const setCookie = res.headers.getSetCookie().map((c) => c.split(';')[0]);
  return { status: res.status, json: () => JSON.parse(text), cookie: setCookie[0] };
}

interface Login {
  cookie: string;
  csrf: string;
  accountId: string;
}
async function login(base: string, path: string, email: string): Promise<Login> {
  const r = await http(base, 'POST', path, { body: { email, password: 'portico-demo' } });
  if (r.status !== 200) throw new Error(`login of ${email} at ${base}${path}: ${r.status}`);
  return { cookie: r.cookie, csrf: r.json().csrfToken, accountId: r.json().accountId };
}
const customerLogin = (base: string, email: string) => login(base, '/s/acme/api/portal/login', email);
const staffLogin = (base: string, email: string) => login(base, '/api/auth/login', email);

describe.skipIf(!onPostgres)('two app instances on one PostgreSQL database (skipped on PGlite: single-process by design)', () => {
  let adminA: Login;
  let adminB: Login;

  beforeAll(async () => {
    database = await createTestDatabase('postgres', { demo: true });
    if (!database.hasDemo) await loadDemoData(database.db);
    // A pool of 10, not this machine's default: the fair-queue test below has six of A's requests
    // waiting on a row lock at once, and a statement waiting on a lock holds its connection (with
    // fewer, the last ones would queue for a connection instead of for the lock).
    a = await startServer({ ...loadConfig({}), logLevel: 'silent', databaseUrl: database.url, port: 0, host: '127.0.0.1', demo: false, dbPoolSize: 10 });
    b = await startProcess(database.url!);
    adminA = await staffLogin(a.url, 'admin@acme.test');
    adminB = await staffLogin(b.url, 'admin@acme.test');
  }, 120_000);
  afterAll(async () => {
    b?.child.kill('SIGTERM');
    await a?.close();
    await database?.close();
  });

  const access = (base: string, admin: Login, verb: 'revoke' | 'grant', accountId: string) =>
    http(base, 'POST', `/api/admin/sites/acme/customers/${accountId}/${verb}`, admin);

  it('M1, R8: Alice logs in through A, the admin revokes through B, her next request to A is refused; grant through B does not revive it', async () => {
    const alice = await customerLogin(a.url, 'alice@customer.test');
    expect((await http(a.url, 'GET', '/s/acme/api/portal/requests', alice)).status).toBe(200);

    const revoke = await access(b.url, adminB, 'revoke', alice.accountId);
    expect(revoke.status).toBe(200);
    expect(revoke.json().changed).toBe(true);

    expect((await http(a.url, 'GET', '/s/acme/api/portal/requests', alice)).status).toBe(401);
    expect((await http(a.url, 'GET', '/s/acme/api/portal/session', alice)).status).toBe(401);
    expect((await http(a.url, 'POST', '/s/acme/api/portal/login', { body: { email: 'alice@customer.test', password: 'portico-demo' } })).status).toBe(401);

    expect((await access(b.url, adminB, 'grant', alice.accountId)).status).toBe(200);
    expect((await http(a.url, 'GET', '/s/acme/api/portal/requests', alice)).status).toBe(401);
    const again = await customerLogin(a.url, 'alice@customer.test');
    expect((await http(a.url, 'GET', '/s/acme/api/portal/requests', again)).status).toBe(200);
  });

  it('P2: the first picker search after a revoke commits leaves her out, on the other instance and on the one that revoked', async () => {
    const aliceId = (await http(a.url, 'GET', `/api/admin/sites/acme/customers?query=alice`, adminA)).json().values[0].accountId as string;
    const bob = await customerLogin(a.url, 'bob@customer.test');
    const sam = await staffLogin(b.url, 'agent@acme.test');
    const token = (await http(a.url, 'POST', '/api/profile/tokens', { ...adminA, body: { label: 'P2' } })).json().token as string;
    const basic = `Basic ${Buffer.from(`admin@acme.test:${token}`).toString('base64')}`;
    const helpId = String((await database.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow()).id);
    // Bob's help-center picker, Sam's agent picker, the REST picker: each answers account ids
    const offers = async (base: string): Promise<Record<string, boolean>> => {
      // Bob's "Share with" on a new HELP request (a customer finds people only in a project's circle; HELP's is its customers)
      const customer = await http(base, 'GET', `/s/acme/api/users/picker?query=ali&fieldKey=participants&projectId=${helpId}`, bob);
      const agent = await http(base, 'GET', '/s/acme/api/users/picker?query=ali&fieldKey=participants', sam);
      const rest = await http(base, 'GET', '/s/acme/rest/api/3/user/picker?query=ali', { authorization: basic });
      for (const r of [customer, agent, rest]) expect(r.status).toBe(200);
      const has = (r: typeof customer) => r.json().users.some((u: { accountId: string }) => u.accountId === aliceId);
      return { customer: has(customer), agent: has(agent), rest: has(rest) };
    };
    const everywhere = { customer: true, agent: true, rest: true };
    const nowhere = { customer: false, agent: false, rest: false };

    for (const [revoker, other] of [[a.url, b.url], [b.url, a.url]]) {
      expect(await offers(a.url)).toEqual(everywhere);
      expect(await offers(b.url)).toEqual(everywhere);
      expect((await access(revoker, revoker === a.url ? adminA : adminB, 'revoke', aliceId)).status).toBe(200);
      // the instance that did not revoke first, then the one that did
      expect(await offers(other)).toEqual(nowhere);
      expect(await offers(revoker)).toEqual(nowhere);
      expect((await access(other, other === a.url ? adminA : adminB, 'grant', aliceId)).status).toBe(200);
    }
    expect(await offers(a.url)).toEqual(everywhere);
  });

  it('R12: a revoke waits only for the customer\'s writes already under way; writes that arrive while it waits are refused, so she cannot hold it off', async () => {
    // A blocking peer holds the row of HELP-2, so Bob's comments stop half-way through their
    // transaction (after the check that he is still active). Counting the backends that wait on a
    // lock says when each step is in place; nothing here is timed.
    const bob = await customerLogin(a.url, 'bob@customer.test');
    const peer = new pg.Client({ connectionString: database.url });
    const watcher = new pg.Client({ connectionString: database.url });
    await peer.connect();
    await watcher.connect();
    const waiting = async (n: number) => {
      const deadline = performance.now() + 60_000;
      for (;;) {
        const r = await watcher.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        if (r.rows[0].n >= n) return;
        if (performance.now() > deadline) throw new Error(`expected ${n} backends waiting on a lock, saw ${r.rows[0].n}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const comment = (text: string) => http(a.url, 'POST', '/s/acme/api/portal/requests/HELP-2/comments', { ...bob, body: { body: text } });
    try {
      await peer.query('BEGIN');
      await peer.query(`SELECT id FROM requests WHERE key = 'HELP-2' FOR UPDATE`);
      const first = comment('fair queue: under way before the revoke');
      await waiting(1);
      const revoke = access(a.url, adminA, 'revoke', bob.accountId);
      await waiting(2);
      const later = Array.from({ length: 4 }, (_, i) => comment(`fair queue: arrived while the revoke waited ${i}`));
      await waiting(6);
      await peer.query('COMMIT');

      expect((await first).status).toBe(201);
      expect((await revoke).status).toBe(200);
      expect((await Promise.all(later)).map((r) => r.status)).toEqual([401, 401, 401, 401]);
      const landed = await database.db.selectFrom('comments').select('body').where('body', 'like', 'fair queue:%').execute();
      expect(landed.map((c) => c.body)).toEqual(['fair queue: under way before the revoke']);
    } finally {
      await peer.query('ROLLBACK').catch(() => {});
      await peer.end();
      await watcher.end();
      await access(a.url, adminA, 'grant', bob.accountId);
    }
  });

  it('R12, M1, R8: 50 clients on both instances use one customer\'s sessions; she is revoked through A mid-stream: nothing that started after the commit succeeds, no write of hers lands after it, and a grant brings no session back', async () => {
    const CLIENTS = 50;
    const carol = await customerLogin(a.url, 'carol@customer.test');
    // several cookies from several logins, on both instances
    const sessions: Login[] = [carol];
    for (let i = 1; i < 6; i++) sessions.push(await customerLogin(i % 2 ? b.url : a.url, 'carol@customer.test'));
    const help = (await database.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow()).id;
    const getItHelp = (await database.db.selectFrom('request_types').select('id').where('name', '=', 'Get IT help').executeTakeFirstOrThrow()).id;

    type Op = { name: string; method: string; path: string; body?: (marker: string) => unknown };
    const ops: Op[] = [
      { name: 'session', method: 'GET', path: '/s/acme/api/portal/session' },
      { name: 'my requests', method: 'GET', path: '/s/acme/api/portal/requests?filter=all' },
      { name: 'request', method: 'GET', path: '/s/acme/api/portal/requests/HELP-3' },
      { name: 'comments', method: 'GET', path: '/s/acme/api/portal/requests/HELP-3/comments' },
      { name: 'picker', method: 'GET', path: '/s/acme/api/users/picker?query=bo' },
      { name: 'knowledge base', method: 'GET', path: '/s/acme/api/portal/kb?query=vpn' },
      { name: 'REST myself', method: 'GET', path: '/s/acme/rest/api/3/myself' },
      { name: 'REST request', method: 'GET', path: '/s/acme/rest/servicedeskapi/request/HELP-3' },
      { name: 'comment', method: 'POST', path: '/s/acme/api/portal/requests/HELP-3/comments', body: (m) => ({ body: m }) },
      { name: 'REST comment', method: 'POST', path: '/s/acme/rest/servicedeskapi/request/HELP-3/comment', body: (m) => ({ body: m, public: true }) },
      { name: 'raise', method: 'POST', path: '/s/acme/api/portal/requests', body: (m) => ({ projectId: help, requestTypeId: getItHelp, fields: { summary: m } }) },
    ];

    interface Call { instance: 'A' | 'B'; op: string; marker?: string; startedAt: number; endedAt: number; status: number }
    const calls: Call[] = [];
    let stop = false;
    const client = async (i: number) => {
      for (let n = 0; !stop; n++) {
        // every client walks all sessions, both instances and every call, each from its own offset
        const session = sessions[(i + n) % sessions.length];
        const instance = (i + n) % 2 ? 'B' : 'A';
        const op = ops[(7 * i + n) % ops.length];
        const marker = op.body ? `load ${randomUUID()}` : undefined;
        const startedAt = performance.now();
        let status = -1;
        try {
          status = (await http(instance === 'A' ? a.url : b.url, op.method, op.path, { ...session, body: op.body?.(marker!) })).status;
        } catch {
          // a network error stays -1 and fails the test below
        }
        calls.push({ instance, op: op.name, marker, startedAt, endedAt: performance.now(), status });
      }
    };
    const waitFor = async (what: string, done: () => boolean) => {
      const deadline = performance.now() + 60_000;
      while (!done()) {
        if (performance.now() > deadline) throw new Error(`timed out waiting for ${what} (${calls.length} calls so far)`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const ok = (c: Call) => c.status >= 200 && c.status < 300;
    const count = (cs: Call[], f: (c: Call) => boolean) => cs.filter(f).length;

    const started = performance.now();
    const clients = Array.from({ length: CLIENTS }, (_, i) => client(i));
    // her requests demonstrably work on both instances, reading and writing, before the revoke
    await waitFor('successes on both instances', () =>
      (['A', 'B'] as const).every((x) => count(calls, (c) => c.instance === x && ok(c)) >= 25 && count(calls, (c) => c.instance === x && ok(c) && c.marker !== undefined) >= 5),
    );

    // An observer on its own connection notices the commit: the first time it reads 'revoked' is
    // after the commit. Both it and the moment the revoke's answer arrived are on or after the commit.
    // The same statement (one snapshot) counts her writes committed so far: none may commit later.
    const observer = new pg.Client({ connectionString: database.url });
    await observer.connect();
    let observedAt = Infinity;
    let writesAtCommit = -1;
    let observing = true;
    const observe = (async () => {
      while (observing) {
        const r = await observer.query(
          `SELECT a.status,
                  (SELECT count(*) FROM comments WHERE author_id = a.account_id AND body LIKE 'load %')
                + (SELECT count(*) FROM requests WHERE reporter_id = a.account_id AND summary LIKE 'load %') AS writes
             FROM accounts a WHERE a.account_id = $1`,
          [carol.accountId],
        );
        if (r.rows[0].status === 'revoked') {
          observedAt = performance.now();
          writesAtCommit = Number(r.rows[0].writes);
          return;
        }
      }
    })();
    const revokeSentAt = performance.now();
    const revoke = await access(a.url, adminA, 'revoke', carol.accountId);
    const revokeAnsweredAt = performance.now();
    expect(revoke.status).toBe(200);
    expect(revoke.json().changed).toBe(true);
    await observe;
    observing = false;
    await observer.end();
    const boundary = Math.min(observedAt, revokeAnsweredAt);

    await waitFor('requests of every kind started after the revoke on both instances', () =>
      (['A', 'B'] as const).every((x) => {
        const there = calls.filter((c) => c.instance === x && c.startedAt > revokeAnsweredAt);
        return there.length >= 50 && count(there, (c) => c.marker !== undefined) >= 10 && ops.every((op) => there.some((c) => c.op === op.name));
      }),
    );
    stop = true;
    await Promise.all(clients);
    const ended = performance.now();

    // every answer is one a client may get: success before, 401 after; never a 5xx or a network error
    expect(count(calls, (c) => ![200, 201, 401].includes(c.status)), JSON.stringify(calls.filter((c) => ![200, 201, 401].includes(c.status)).slice(0, 5))).toBe(0);
    const after = calls.filter((c) => c.startedAt > boundary);
    const afterAnswer = calls.filter((c) => c.startedAt > revokeAnsweredAt);
    const successesAfter = after.filter(ok);
    expect(successesAfter, JSON.stringify(successesAfter.slice(0, 5))).toEqual([]);
    expect(afterAnswer.filter(ok)).toEqual([]);
    for (const x of ['A', 'B'] as const) for (const op of ops) expect(count(after, (c) => c.instance === x && c.op === op.name), `${x} ${op.name}`).toBeGreaterThan(0);

    // the database: exactly the writes that answered 2xx are there, all from before the commit
    const { rows } = await sql<{ marker: string; created_at: Date }>`
      SELECT body AS marker, created_at FROM comments WHERE author_id = ${carol.accountId} AND body LIKE 'load %'
      UNION ALL SELECT summary, created_at FROM requests WHERE reporter_id = ${carol.accountId} AND summary LIKE 'load %'`.execute(database.db);
    const landed = new Set(rows.map((r) => r.marker));
    const answeredOk = new Set(calls.filter((c) => c.marker && ok(c)).map((c) => c.marker!));
    expect([...landed].sort()).toEqual([...answeredOk].sort());
    expect(landed.size).toBeGreaterThanOrEqual(10);
    expect(landed.size, 'her writes committed after the revoke did').toBe(writesAtCommit);
    const observedEpoch = performance.timeOrigin + observedAt;
    for (const r of rows) expect(new Date(r.created_at).getTime()).toBeLessThanOrEqual(observedEpoch);
    const { revoked_at: revokedAt } = await database.db.selectFrom('accounts').select('revoked_at').where('account_id', '=', carol.accountId).executeTakeFirstOrThrow();
    expect(await database.db.selectFrom('sessions').select('id_hash').where('account_id', '=', carol.accountId).execute()).toEqual([]);

    // the grant (through B this time) brings none of her sessions back, on either instance
    expect((await access(b.url, adminB, 'grant', carol.accountId)).status).toBe(200);
    for (const s of sessions) {
      for (const base of [a.url, b.url]) {
        expect((await http(base, 'GET', '/s/acme/api/portal/session', s)).status).toBe(401);
        expect((await http(base, 'POST', '/s/acme/api/portal/requests/HELP-3/comments', { ...s, body: { body: 'load after grant' } })).status).toBe(401);
      }
    }
    expect(await database.db.selectFrom('comments').select('id').where('body', '=', 'load after grant').execute()).toEqual([]);
    const back = await customerLogin(b.url, 'carol@customer.test');
    expect((await http(a.url, 'GET', '/s/acme/api/portal/requests', back)).status).toBe(200);

    const p = (xs: number[], q: number) => xs.sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
    console.log(
      [
        `load while revoking: ${CLIENTS} clients, ${sessions.length} sessions, ${calls.length} requests in ${((ended - started) / 1000).toFixed(1)} s ` +
          `(${Math.round(calls.length / ((ended - started) / 1000))}/s; A ${count(calls, (c) => c.instance === 'A')}, B ${count(calls, (c) => c.instance === 'B')})`,
        `  before the revoke: ${count(calls, (c) => c.endedAt < revokeSentAt && ok(c))} successes (${count(calls, (c) => c.endedAt < revokeSentAt && ok(c) && c.marker !== undefined)} writes); request latency p50 ${p(calls.filter((c) => c.endedAt < revokeSentAt).map((c) => c.endedAt - c.startedAt), 0.5).toFixed(1)} ms, p95 ${p(calls.filter((c) => c.endedAt < revokeSentAt).map((c) => c.endedAt - c.startedAt), 0.95).toFixed(1)} ms`,
        `  revoke: answered ${(revokeAnsweredAt - revokeSentAt).toFixed(1)} ms after it was sent; the observer saw the commit ${(observedAt - revokeSentAt).toFixed(1)} ms after; revoked_at (set before the commit) ${(new Date(revokedAt!).getTime() - (performance.timeOrigin + revokeSentAt)).toFixed(1)} ms after`,
        `  in flight across the revoke (started before, answered after): ${count(calls, (c) => c.startedAt <= boundary && c.endedAt > boundary)}, of which ${count(calls, (c) => c.startedAt <= boundary && c.endedAt > boundary && ok(c))} succeeded`,
        `  started after the commit was observed: ${after.length} (${count(after, (c) => c.marker !== undefined)} writes), successes: ${successesAfter.length}; after the answer arrived: ${afterAnswer.length}, successes: ${afterAnswer.filter(ok).length}`,
        `  writes that landed: ${landed.size}, all answered 2xx, started before the commit and committed before it (${writesAtCommit} seen in the first snapshot that saw the revoke)`,
      ].join('\n'),
    );
  }, 120_000);
});

