import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import type { App } from '../../src/http/deps.js';
import { createOutboxMailer } from '../../src/mailer.js';
import { DEMO_PASSWORD } from '../../src/db/demo.js';
import { createTestApp, loginStaff, type TestApp } from '../support/app.js';

// Request logging (on by default at `info`): one JSON line per request with its id, and nothing
// secret in it — no password, cookie, session id, CSRF token, API token or reset token.

let t: TestApp;
let app: App;
const lines: string[] = [];
beforeAll(async () => {
  t = await createTestApp();
  app = await buildApp({ db: t.db, mailer: createOutboxMailer(), config: { ...t.config, logLevel: 'info' } }, { logStream: { write: (line) => void lines.push(line) } });
  console.log(`database: ${t.database.label}`);
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

/** The log lines written while `send` ran, parsed. */
async function logged(send: () => Promise<unknown>): Promise<Array<Record<string, any>>> {
  const from = lines.length;
  await send();
  return lines.slice(from).map((l) => JSON.parse(l));
}

describe('request log', () => {
  it('writes one line per request, with its id, and no password, cookie, CSRF token or Authorization value', async () => {
    const secretPassword = DEMO_PASSWORD;
    let login: Awaited<ReturnType<App['inject']>> | undefined;
    const loginLines = await logged(async () => {
      login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'admin@acme.test', password: secretPassword } });
    });
    expect(login!.statusCode).toBe(200);
    const sid = login!.cookies.find((c) => c.name === 'portico_sid')!.value;
    const csrf = (login!.json() as { csrfToken: string }).csrfToken;
    expect(loginLines).toHaveLength(1);
    expect(loginLines[0]).toMatchObject({ level: 30, msg: 'request completed', req: { method: 'POST', url: '/api/auth/login' }, res: { statusCode: 200 } });
    expect(loginLines[0].reqId).toMatch(/^[0-9a-f-]{36}$/);
    // a caller that sent no id gets none back: identical requests keep identical answers (R4)
    expect(login!.headers['x-request-id']).toBeUndefined();

    const bearer = 'not-a-real-token-but-secret-all-the-same';
    const requestLines = await logged(async () => {
      await app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: `portico_sid=${sid}`, 'x-csrf-token': csrf } });
      await app.inject({ method: 'GET', url: '/s/acme/rest/api/3/myself', headers: { authorization: `Bearer ${bearer}` } });
    });
    expect(requestLines.map((l) => [l.req.url, l.res.statusCode])).toEqual([
      ['/api/auth/session', 200],
      ['/s/acme/rest/api/3/myself', 401],
    ]);
    expect(new Set(requestLines.map((l) => l.reqId)).size).toBe(2);

    const everything = lines.join('\n');
    for (const secret of [secretPassword, sid, csrf, bearer]) expect(everything).not.toContain(secret);
  });

  it('blanks secret query values (a reset link carries its token in the URL)', async () => {
    const [line] = await logged(() => app.inject({ method: 'GET', url: '/s/acme/servicedesk/customer/user/reset-password?token=s3cr3t-reset&lang=en' }));
    expect(line.req.url).toBe('/s/acme/servicedesk/customer/user/reset-password?token=[REDACTED]&lang=en');
    expect(lines.join('\n')).not.toContain('s3cr3t-reset');
  });

  it('takes a well-formed x-request-id from the caller and echoes it; replaces anything else', async () => {
    let res: Awaited<ReturnType<App['inject']>> | undefined;
    const [line] = await logged(async () => {
      res = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'proxy-7f3a.1' } });
    });
    expect(res!.headers['x-request-id']).toBe('proxy-7f3a.1');
    expect(line.reqId).toBe('proxy-7f3a.1');

    const [forged] = await logged(async () => {
      res = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'a"} {"level":60' } });
    });
    expect(forged.reqId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res!.headers['x-request-id']).toBe(forged.reqId);
  });

  it('logs nothing at level warn or silent for a request that succeeds', async () => {
    for (const logLevel of ['warn', 'silent'] as const) {
      const quiet: string[] = [];
      const other = await buildApp({ db: t.db, mailer: createOutboxMailer(), config: { ...t.config, logLevel } }, { logStream: { write: (l) => void quiet.push(l) } });
      try {
        expect((await other.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
        expect(quiet).toEqual([]);
      } finally {
        await other.close();
      }
    }
  });
});
