import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { createTestApp, loginStaff, as, type Session, type TestApp } from '../support/app.js';
import { buildApp } from '../../src/http/app.js';
import { createOutboxMailer } from '../../src/mailer.js';
import { pollMailboxes } from '../../src/use-cases/inbound-mail/poll-mailboxes.js';
import type { App } from '../../src/http/deps.js';

// A mailbox's mail server against the server's own network (docs/security.md, E7): private,
// loopback and link-local addresses are refused when saving and when polling, unless the operator
// allows them with PORTICO_MAILBOX_ALLOWED_HOSTS.

const SECRET_KEY = 'host-check-secret-key-0123456789abcdefghij';
const MESSAGE = "This mail server's address is on a private network that this Portico does not allow.";

let t: TestApp;
let ada: Session;
/** a listener on loopback that counts who connects: what Portico must never reach without the allowance */
let listener: Server;
let port: number;
let connections = 0;

beforeAll(async () => {
  t = await createTestApp({ config: { secretKey: SECRET_KEY, mailboxAllowedHosts: [] } });
  console.log(`database: ${t.database.label}`);
  ada = await loginStaff(t.app, 'admin@acme.test');
  listener = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => listener?.close(() => resolve()));
  await t?.close();
});

const save = (app: App, host: string, session = ada) =>
  app.inject({ method: 'PUT', url: '/api/admin/sites/acme/projects/HELP/mailbox', headers: as(session), payload: { host, port, tls: false, user: 'help@acme.test', password: 'secret' } });

async function saved() {
  return {
    mailboxes: await t.db.selectFrom('project_mailboxes').select(['host', 'last_error']).execute(),
    audit: await t.db.selectFrom('audit_events').select('action').where('action', '=', 'project.mailbox.changed').execute(),
  };
}

describe('saving a mailbox', () => {
  it.each(['127.0.0.1', '10.0.0.5', '169.254.169.254', '::1', '::ffff:127.0.0.1', 'fd00::1', '100.64.1.1', '0.0.0.0'])(
    'E7: a mail server at %s is refused with the plain message, and nothing is saved',
    async (host) => {
      const res = await save(t.app, host);
      expect(res.statusCode).toBe(400);
      expect(res.json().errorMessages).toEqual([MESSAGE]);
      expect(res.body).not.toContain(host === '0.0.0.0' ? 'unspecified' : 'loopback');
      expect(await saved()).toEqual({ mailboxes: [], audit: [] });
    },
  );

  it('E7: a host name that resolves to loopback (localhost) is refused the same way', async () => {
    const res = await save(t.app, 'localhost');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'bad_request', errorMessages: [MESSAGE], errors: { host: MESSAGE } });
    expect(await saved()).toEqual({ mailboxes: [], audit: [] });
    expect(connections).toBe(0);
  });

  it('E7: with the address allowed by the operator the same mailbox is saved; a polling instance without the allowance refuses to connect and tells the admins', async () => {
    const allowing = await buildApp({ db: t.db, mailer: createOutboxMailer(), config: { ...t.config, mailboxAllowedHosts: ['127.0.0.0/8'] } });
    try {
      const res = await save(allowing, '127.0.0.1', await loginStaff(allowing, 'admin@acme.test'));
      expect(res.statusCode, res.body).toBe(200);
    } finally {
      await allowing.close();
    }
    expect((await saved()).mailboxes).toEqual([{ host: '127.0.0.1', last_error: null }]);

    // this instance's configuration does not allow loopback: the poll does not connect at all
    const reports = await pollMailboxes({ db: t.db, ip: null, userAgent: 'test poller', mailer: createOutboxMailer(), config: t.config, origin: 'http://localhost:80' });
    expect(reports).toEqual([expect.objectContaining({ error: MESSAGE, handled: [] })]);
    expect(connections).toBe(0);
    const listed = await t.app.inject({ method: 'GET', url: '/api/admin/sites/acme/mailboxes', headers: as(ada) });
    expect(listed.json().projects.find((p: { key: string }) => p.key === 'HELP').mailbox.lastError).toBe(MESSAGE);

    // with the allowance the poll connects (the listener hangs up at once: a connection error, not a refusal)
    const allowed = await pollMailboxes({ db: t.db, ip: null, userAgent: 'test poller', mailer: createOutboxMailer(), config: { ...t.config, mailboxAllowedHosts: ['127.0.0.1'] }, origin: 'http://localhost:80' });
    expect(connections).toBe(1);
    expect(allowed[0]!.error).toBeDefined();
    expect(allowed[0]!.error).not.toBe(MESSAGE);
  });
});
