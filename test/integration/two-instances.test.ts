import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DB_KIND, type TestDatabase } from '../support/db.js';
import { loadDemoData } from '../../src/db/demo.js';
import { loadConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';

// PRODUCT.md §2: "When the call returns, the next request carrying any old session cookie gets 401 —
// on every app instance". Instance A runs in this process; instance B is a separate Node process
// (src/main.ts) on the same PostgreSQL database. Nothing is shared between them but the database.
//
// PGlite is an embedded, single-process database by design (one process per data dir), so two
// instances cannot share it: this file runs on PostgreSQL only.
const onPostgres = TEST_DB_KIND === 'postgres';

let database: TestDatabase;
let a: RunningServer;
let b: { url: string; child: ChildProcess };

function startProcess(url: string): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
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

async function http(base: string, method: string, path: string, opts: { cookie?: string; csrf?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.csrf) headers['x-csrf-token'] = opts.csrf;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  const setCookie = res.headers.getSetCookie().map((c) => c.split(';')[0]);
  return { status: res.status, json: () => JSON.parse(text), cookie: setCookie[0] };
}

describe.skipIf(!onPostgres)('two app instances on one PostgreSQL database (skipped on PGlite: single-process by design)', () => {
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    await loadDemoData(database.db);
    a = await startServer({ ...loadConfig({}), databaseUrl: database.url, port: 0, host: '127.0.0.1', demo: false });
    b = await startProcess(database.url!);
  }, 120_000);
  afterAll(async () => {
    b?.child.kill('SIGTERM');
    await a?.close();
    await database?.close();
  });

  it('Alice logs in through A, the admin revokes through B, her next request to A is refused; grant through B does not revive it', async () => {
    const login = await http(a.url, 'POST', '/s/acme/api/portal/login', { body: { email: 'alice@customer.test', password: 'portico-demo' } });
    expect(login.status).toBe(200);
    const aliceCookie = login.cookie;
    const aliceId = login.json().accountId;
    expect((await http(a.url, 'GET', '/s/acme/api/portal/requests', { cookie: aliceCookie })).status).toBe(200);

    const adminLogin = await http(b.url, 'POST', '/api/auth/login', { body: { email: 'admin@acme.test', password: 'portico-demo' } });
    expect(adminLogin.status).toBe(200);
    const admin = { cookie: adminLogin.cookie, csrf: adminLogin.json().csrfToken };
    const revoke = await http(b.url, 'POST', `/api/admin/sites/acme/customers/${aliceId}/revoke`, admin);
    expect(revoke.status).toBe(200);
    expect(revoke.json().changed).toBe(true);

    expect((await http(a.url, 'GET', '/s/acme/api/portal/requests', { cookie: aliceCookie })).status).toBe(401);
    expect((await http(a.url, 'GET', '/s/acme/api/portal/session', { cookie: aliceCookie })).status).toBe(401);
    expect((await http(a.url, 'POST', '/s/acme/api/portal/login', { body: { email: 'alice@customer.test', password: 'portico-demo' } })).status).toBe(401);

    expect((await http(b.url, 'POST', `/api/admin/sites/acme/customers/${aliceId}/grant`, admin)).status).toBe(200);
    expect((await http(a.url, 'GET', '/s/acme/api/portal/requests', { cookie: aliceCookie })).status).toBe(401);
    const again = await http(a.url, 'POST', '/s/acme/api/portal/login', { body: { email: 'alice@customer.test', password: 'portico-demo' } });
    expect(again.status).toBe(200);
    expect((await http(a.url, 'GET', '/s/acme/api/portal/requests', { cookie: again.cookie })).status).toBe(200);
  });
});
