import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DB_KIND, type TestDatabase } from '../support/db.js';
import { loadDemoData } from '../../src/db/demo.js';
import { openPglite } from '../../src/db/connection.js';
import { killBuiltServers, startBuiltServer, type BuiltServer } from '../support/built-server.js';

// SIGTERM during a burst of writes, on the real built server (dist/server/main.js, as `npm start`
// runs it) on either database: every write that was acknowledged is there after a restart on the
// same data, and every request got an answer — or found the port closed before it was sent; none was
// cut off halfway (docs/operations.md, "Graceful shutdown").

const SLOW = 240_000;

afterAll(killBuiltServers);

const startInstance = (env: Record<string, string>): Promise<BuiltServer> => startBuiltServer({ PORTICO_JOB_POLL_SECONDS: '0.5', ...env });

interface Answer {
  status?: number;
  /** the network error's code when there was no answer */
  error?: string;
  body: string;
  connection?: string;
}

/** One request over `agent` (kept-alive connections, as a proxy or a client library keeps them). */
function send(agent: http.Agent, base: string, method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<Answer> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      new URL(url, base),
      { method, agent, headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode, body: text, connection: res.headers.connection }));
        res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: `${error.code ?? error.message} (mid-answer)`, body: text }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, body: '' }));
    req.end(payload);
  });
}

async function tokenOf(base: string, email: string): Promise<string> {
  const agent = new http.Agent();
  const login = await new Promise<{ cookie: string; csrf: string }>((resolve, reject) => {
    const req = http.request(new URL('/api/auth/login', base), { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`login: ${res.statusCode} ${text}`));
        resolve({ cookie: res.headers['set-cookie']![0].split(';')[0], csrf: JSON.parse(text).csrfToken });
      });
    });
    req.end(JSON.stringify({ email, password: 'portico-demo' }));
  });
  const created = await send(agent, base, 'POST', '/api/profile/tokens', { cookie: login.cookie, 'x-csrf-token': login.csrf }, { label: 'shutdown test' });
  agent.destroy();
  if (created.status !== 201 && created.status !== 200) throw new Error(`token: ${created.status} ${created.body}`);
  return JSON.parse(created.body).token as string;
}

const basic = (email: string, token: string) => `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`;

/** An answer a client may get from a server that shuts down; anything else is a request cut off. */
const acceptable = (a: Answer) => (a.status !== undefined && ((a.status >= 200 && a.status < 500) || a.status === 503)) || a.error === 'ECONNREFUSED';

describe('graceful shutdown', () => {
  let database: TestDatabase | undefined;
  let dataDir: string | undefined;
  afterAll(async () => {
    await database?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    `SIGTERM during a burst of REST writes (${TEST_DB_KIND}): exit 0, every acknowledged comment is there after a restart, and no request was cut off without an answer`,
    async () => {
      let env: Record<string, string>;
      if (TEST_DB_KIND === 'postgres') {
        database = await createTestDatabase('postgres', { demo: true });
        if (!database.hasDemo) await loadDemoData(database.db);
        env = { DATABASE_URL: database.url!, PORTICO_DEMO: '0' };
      } else {
        dataDir = mkdtempSync(path.join(tmpdir(), 'portico-shutdown-'));
        env = { PORTICO_DATA_DIR: dataDir, PORTICO_DEMO: '1' };
      }
      const first = await startInstance(env);
      const auth = { authorization: basic('agent@acme.test', await tokenOf(first.url, 'agent@acme.test')) };
      const run = randomUUID().slice(0, 8);

      // Clients that write as fast as the server answers, each on its own kept-alive connection,
      // until the port is closed to them.
      interface Call extends Answer {
        marker: string;
        startedAt: number;
        endedAt: number;
      }
      const calls: Call[] = [];
      const CLIENTS = 8;
      const agents = Array.from({ length: CLIENTS }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
      const client = async (i: number) => {
        for (let n = 0; ; n++) {
          const marker = `shutdown ${run} ${i}-${n}`;
          const startedAt = Date.now();
          const answer = await send(agents[i], first.url, 'POST', '/s/acme/rest/servicedeskapi/request/HELP-3/comment', auth, { body: marker, public: true });
          calls.push({ ...answer, marker, startedAt, endedAt: Date.now() });
          if (answer.error) return; // the port is closed (or the request was cut off: the check below says)
        }
      };
      const clients = Array.from({ length: CLIENTS }, (_, i) => client(i));
      const acknowledged = () => calls.filter((c) => c.status === 201).length;
      const deadline = Date.now() + 60_000;
      while (acknowledged() < 60) {
        if (Date.now() > deadline) throw new Error(`the burst did not get going: ${JSON.stringify(calls.slice(-3))}\n${first.output()}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      const sigtermAt = Date.now();
      first.child.kill('SIGTERM');
      const code = await first.exited;
      const exitedAt = Date.now();
      await Promise.all(clients);
      for (const agent of agents) agent.destroy();

      expect(code, first.output()).toBe(0);
      expect(first.output()).toContain('SIGTERM: Portico is shutting down');
      expect(first.output()).toContain('Portico stopped');
      const cutOff = calls.filter((c) => !acceptable(c));
      expect(cutOff, JSON.stringify(cutOff.slice(0, 5).map((c) => ({ ...c, startedAt: c.startedAt - sigtermAt, endedAt: c.endedAt - sigtermAt, exitedAt: exitedAt - sigtermAt })))).toEqual([]);
      // requests under way when the signal came were answered, not dropped
      const answeredAfterSignal = calls.filter((c) => c.startedAt <= sigtermAt && c.endedAt > sigtermAt && c.status !== undefined);
      expect(answeredAfterSignal.length).toBeGreaterThan(0);
      // every client ends with the port closed to it
      expect(calls.filter((c) => c.error === 'ECONNREFUSED').length).toBe(CLIENTS);

      // restart on the same data: every acknowledged comment is there
      const second = await startInstance(env);
      second.child.kill('SIGTERM');
      expect(await second.exited, second.output()).toBe(0);
      let stored: string[];
      if (TEST_DB_KIND === 'postgres') {
        const c = new pg.Client({ connectionString: database!.url });
        await c.connect();
        stored = (await c.query<{ body: string }>(`SELECT body FROM comments WHERE body LIKE $1`, [`shutdown ${run} %`])).rows.map((r) => r.body);
        await c.end();
      } else {
        const handle = await openPglite(dataDir!);
        stored = (await handle.db.selectFrom('comments').select('body').where('body', 'like', `shutdown ${run} %`).execute()).map((r) => r.body);
        await handle.close();
      }
      const acked = calls.filter((c) => c.status === 201).map((c) => c.marker);
      expect(acked.filter((m) => !stored.includes(m))).toEqual([]);
      // nothing was written that was not acknowledged either (every request got its answer)
      expect(stored.filter((m) => !acked.includes(m))).toEqual([]);
      console.log(
        `${TEST_DB_KIND}: ${calls.length} requests, ${acked.length} comments acknowledged and found after the restart; ` +
          `${answeredAfterSignal.length} under way at SIGTERM answered; exit ${exitedAt - sigtermAt} ms after the signal; ` +
          `answers: ${JSON.stringify(Object.fromEntries([...new Set(calls.map((c) => c.status ?? c.error))].map((s) => [s, calls.filter((c) => (c.status ?? c.error) === s).length])))}`,
      );
    },
    SLOW,
  );

  it.runIf(TEST_DB_KIND === 'postgres')(
    'a request under way waits for its database lock through the SIGTERM and is answered; meanwhile /readyz on an open connection says 503 draining',
    async () => {
      const db = await createTestDatabase('postgres', { demo: true });
      try {
        if (!db.hasDemo) await loadDemoData(db.db);
        const instance = await startInstance({ DATABASE_URL: db.url!, PORTICO_DEMO: '0' });
        const auth = { authorization: basic('agent@acme.test', await tokenOf(instance.url, 'agent@acme.test')) };
        const probe = new http.Agent({ keepAlive: true, maxSockets: 1 });
        expect((await send(probe, instance.url, 'GET', '/readyz', {})).status).toBe(200);
        const writer = new http.Agent({ keepAlive: true, maxSockets: 1 });

        // a peer holds HELP-3's row: the comment stops half-way, waiting for the lock
        const peer = new pg.Client({ connectionString: db.url });
        await peer.connect();
        await peer.query('BEGIN');
        await peer.query(`SELECT id FROM requests WHERE key = 'HELP-3' FOR UPDATE`);
        const comment = send(writer, instance.url, 'POST', '/s/acme/rest/servicedeskapi/request/HELP-3/comment', auth, { body: 'under way at SIGTERM', public: true });
        for (let i = 0; ; i++) {
          const r = await peer.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
          if (r.rows[0].n >= 1) break;
          if (i > 500) throw new Error('the comment never waited for the lock');
          await new Promise((res) => setTimeout(res, 20));
        }
        instance.child.kill('SIGTERM');
        await new Promise((res) => setTimeout(res, 500));
        // still draining: no new connection, but the open one is answered, with readiness down
        const ready = await send(probe, instance.url, 'GET', '/readyz', {});
        expect(ready.status).toBe(503);
        expect(JSON.parse(ready.body)).toMatchObject({ status: 'not ready', draining: true });
        expect(ready.connection).toBe('close');
        expect((await send(new http.Agent(), instance.url, 'GET', '/healthz', {})).error).toBe('ECONNREFUSED');
        expect(instance.child.exitCode).toBeNull();

        await peer.query('COMMIT');
        await peer.end();
        const answered = await comment;
        expect(answered.status).toBe(201);
        expect(answered.connection).toBe('close');
        expect(await instance.exited, instance.output()).toBe(0);
        const stored = await db.db.selectFrom('comments').select('body').where('body', '=', 'under way at SIGTERM').execute();
        expect(stored).toHaveLength(1);
        probe.destroy();
        writer.destroy();
      } finally {
        await db.close();
      }
    },
    SLOW,
  );
});
