import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { StatementLog } from '../support/statement-log.js';
import { createTestApp, loginStaff, accountIdOf, as, type Session, type TestApp } from '../support/app.js';
import { createMailingApp, type MailingApp } from '../support/mail.js';
import { TestSmtpServer, type ReceivedMail } from '../support/smtp.js';
import { openPostgres } from '../../src/db/connection.js';
import { loadConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import { DEMO_PASSWORD } from '../../src/db/demo.js';
import { JOB_QUEUE_SCHEMA } from '../../src/jobs/runner.js';
import type { App } from '../../src/http/deps.js';
import { buildApp } from '../../src/http/app.js';
import { createOutboxMailer } from '../../src/mailer.js';

// Mail is written to the outbox in the sending use case's transaction and delivered afterwards by the
// job runner (pg-boss) over SMTP, here to a real SMTP server on loopback.

let t: TestApp;
let ada: Session;
let acmeOrg: string;
beforeAll(async () => {
  t = await createTestApp();
  console.log(`database: ${t.database.label}`);
  ada = await loginStaff(t.app, 'admin@acme.test');
  acmeOrg = (await t.db.selectFrom('sites').select('org_id').where('slug', '=', 'acme').executeTakeFirstOrThrow()).org_id;
});
afterAll(() => t?.close());

const json = { 'content-type': 'application/json' };
/**
 * Asks for a reset link, then waits for the work the request starts after answering (the look-up,
 * the token, the queued mail) — not for delivery, which a job does later.
 */
async function requestReset(app: App, site: string, email: string) {
  const res = await app.inject({ method: 'POST', url: `/s/${site}/api/portal/password-reset`, headers: json, payload: JSON.stringify({ email }) });
  await app.afterResponse.idle();
  return res;
}
function completeReset(app: App, site: string, token: string, password: string) {
  return app.inject({ method: 'POST', url: `/s/${site}/api/portal/password-reset/complete`, headers: json, payload: JSON.stringify({ token, password }) });
}
function login(app: App, site: string, email: string, password: string) {
  return app.inject({ method: 'POST', url: `/s/${site}/api/portal/login`, headers: json, payload: JSON.stringify({ email, password }) });
}
function customerAction(accountId: string, action: 'revoke' | 'grant') {
  return t.app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${accountId}/${action}`, headers: as(ada) });
}

interface OutboxEntry {
  id: string;
  to: string;
  body: string;
  status: string;
  attempts: number;
  lastError: string | null;
  sentAt: string | null;
}
/** Acme's mail as its org admin sees it in the outbox API. */
async function outbox(): Promise<OutboxEntry[]> {
  const res = await t.app.inject({ method: 'GET', url: `/api/orgs/${acmeOrg}/outbox?limit=100`, headers: { cookie: ada.cookie } });
  expect(res.statusCode).toBe(200);
  return res.json().values;
}
async function newestMailTo(to: string): Promise<OutboxEntry> {
  const mail = (await outbox()).find((m) => m.to === to);
  expect(mail, `a mail to ${to}`).toBeDefined();
  return mail!;
}
function tokenIn(text: string): string {
  const match = /https?:\/\/\S+\/reset-password\?token=([A-Za-z0-9_-]+)/.exec(text);
  expect(match, 'a reset link').not.toBeNull();
  return match![1];
}
/** Waits (polling, up to 30 s) until the check passes; delivery runs in the background. */
const eventually = (check: () => Promise<void> | void) => vi.waitFor(check, { timeout: 30_000, interval: 50 });

async function queueJobCount(): Promise<number> {
  const r = await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(`${JOB_QUEUE_SCHEMA}.job`)}`.execute(t.db);
  return Number(r.rows[0].n);
}

describe('password reset mail (R6, R7)', () => {
  it('R6: a reset answers the same for an active, a revoked and an unknown email while the SMTP server holds every message; then exactly one mail arrives, with a working link', async () => {
    const smtp = await TestSmtpServer.start();
    const mailing = await createMailingApp(t, smtp.url);
    try {
      smtp.hold(); // the server reads messages but answers none until released
      const active = await requestReset(mailing.app, 'acme', 'bob@customer.test');
      const revoked = await requestReset(mailing.app, 'acme', 'dave@customer.test');
      const unknown = await requestReset(mailing.app, 'acme', 'nobody@customer.test');

      const withoutDate = (headers: Record<string, unknown>) => Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'date'));
      expect(active.statusCode).toBe(202);
      for (const other of [revoked, unknown]) {
        expect(other.statusCode).toBe(active.statusCode);
        expect(other.body).toBe(active.body);
        expect(withoutDate(other.headers)).toEqual(withoutDate(active.headers));
      }

      // The answers came back while the server could accept nothing: delivery is under way and held.
      await eventually(() => expect(smtp.dataReceived).toBe(1));
      expect(smtp.received).toHaveLength(0);
      expect((await newestMailTo('bob@customer.test')).status).toBe('queued');

      smtp.release();
      await eventually(async () => expect((await newestMailTo('bob@customer.test')).status).toBe('sent'));
      expect(smtp.received).toHaveLength(1);
      const [mail] = smtp.received;
      expect(mail.to).toEqual(['bob@customer.test']);
      expect(mail.subject).toBe('Reset your password for Acme Support');
      const sent = await newestMailTo('bob@customer.test');
      expect(sent).toMatchObject({ attempts: 1, lastError: null });
      expect(sent.sentAt).not.toBeNull();
      expect((await outbox()).some((m) => m.to === 'dave@customer.test' || m.to === 'nobody@customer.test')).toBe(false);

      const done = await completeReset(mailing.app, 'acme', tokenIn(mail.text), 'bobs-mailed-secret-1');
      expect(done.statusCode).toBe(204);
      expect((await login(mailing.app, 'acme', 'bob@customer.test', 'bobs-mailed-secret-1')).statusCode).toBe(200);
    } finally {
      await mailing.close();
      await smtp.down();
    }
  });

  it('R6: before its answer, a reset request does the same database work for an active, a revoked and an unknown email; the look-up, the token and the mail come after it', async () => {
    const statements = new StatementLog();
    // the site cache's clock stands still, so the site is read by the first request only, and the
    // three compared here read it from memory alike (db/queries/site-cache.ts)
    const app = await buildApp({ db: t.db.withPlugin(statements), mailer: createOutboxMailer(), config: t.config }, { siteCacheClock: () => 0 });
    await app.ready();
    try {
      await app.inject({ method: 'GET', url: '/s/acme/api/portal/session' });
      const before = (await outbox()).length;
      const untilAnswer: Record<string, string[]> = {};
      for (const email of ['bob@customer.test', 'dave@customer.test', 'nobody@customer.test']) {
        statements.entries = [];
        const res = await app.inject({ method: 'POST', url: '/s/acme/api/portal/password-reset', headers: json, payload: JSON.stringify({ email }) });
        expect(res.statusCode).toBe(202);
        untilAnswer[email] = statements.entries.map((e) => `${e.kind} ${e.tables.join(',')}`); // taken as the answer arrives: the work after it has not started
        await app.afterResponse.idle();
      }
      expect(untilAnswer['dave@customer.test']).toEqual(untilAnswer['bob@customer.test']);
      expect(untilAnswer['nobody@customer.test']).toEqual(untilAnswer['bob@customer.test']);
      // Before the answer nothing that depends on the email ran: no look-up of its account, no token,
      // no mail (and, without a cookie, not even the caller statement: an anonymous request asks nothing).
      const beforeAnswer = untilAnswer['bob@customer.test'];
      expect(beforeAnswer.filter((q) => q.startsWith('RawNode'))).toHaveLength(0);
      expect(beforeAnswer.filter((q) => !q.startsWith('RawNode')).some((q) => /accounts|one_time_tokens|outbox/.test(q))).toBe(false);
      // and the work did happen afterwards, for the active customer only
      const mailed = (await outbox()).slice(0, (await outbox()).length - before).map((m) => m.to);
      expect(mailed).toEqual(['bob@customer.test']);
    } finally {
      await app.close();
    }
  });

  it('R6, R7: a reset link issued before a revoke is refused after it, never reactivates the account, and is still refused after a grant', async () => {
    const carol = await accountIdOf(t.db, 'carol@customer.test', 'acme');
    expect((await requestReset(t.app, 'acme', 'carol@customer.test')).statusCode).toBe(202);
    const kept = await newestMailTo('carol@customer.test');
    expect(kept.status).toBe('kept'); // no SMTP server configured: the outbox is the mail
    const token = tokenIn(kept.body);

    expect((await customerAction(carol, 'revoke')).statusCode).toBe(200);
    const refused = await completeReset(t.app, 'acme', token, 'carols-new-secret-1');
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errorMessages).toEqual(['This link is no longer valid.']);
    const status = async () => (await t.db.selectFrom('accounts').select('status').where('account_id', '=', carol).executeTakeFirstOrThrow()).status;
    expect(await status()).toBe('revoked');
    expect((await login(t.app, 'acme', 'carol@customer.test', 'carols-new-secret-1')).statusCode).toBe(401);

    expect((await customerAction(carol, 'grant')).statusCode).toBe(200);
    const afterGrant = await completeReset(t.app, 'acme', token, 'carols-new-secret-1');
    expect(afterGrant.statusCode).toBe(400);
    expect(afterGrant.json().errorMessages).toEqual(['This link is no longer valid.']);
    // The grant restored the account as it was: the old password, not the one the dead link tried.
    expect((await login(t.app, 'acme', 'carol@customer.test', 'carols-new-secret-1')).statusCode).toBe(401);
    expect((await login(t.app, 'acme', 'carol@customer.test', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('R7: invitation and verification tokens outstanding at a revoke are invalidated by it and stay invalid after a grant', async () => {
    // No route issues or accepts these purposes yet; the table allows them, and a revoke must end them too.
    const alice = await accountIdOf(t.db, 'alice@customer.test', 'acme');
    const site = (await t.db.selectFrom('sites').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow()).id;
    const ids: string[] = [];
    for (const purpose of ['invitation', 'verification'] as const) {
      const id = crypto.randomUUID();
      ids.push(id);
      await t.db
        .insertInto('one_time_tokens')
        .values({ id, token_hash: `test-${id}`, account_id: alice, site_id: site, purpose, expires_at: sql<Date>`now() + interval '1 day'` })
        .execute();
    }
    const live = async () =>
      (await t.db.selectFrom('one_time_tokens').select('id').where('id', 'in', ids).where('invalidated_at', 'is', null).where('used_at', 'is', null).execute()).length;
    expect(await live()).toBe(2);
    expect((await customerAction(alice, 'revoke')).statusCode).toBe(200);
    expect(await live()).toBe(0);
    expect((await customerAction(alice, 'grant')).statusCode).toBe(200);
    expect(await live()).toBe(0);
  });
});

describe('mail delivery', () => {
  it('mail queued while the SMTP server is down waits and goes out once it is up; mail for a customer revoked or deleted meanwhile is cancelled, never sent', async () => {
    const smtp = await TestSmtpServer.reserve(); // down: nothing listens on its port
    const mailing = await createMailingApp(t, smtp.url);
    try {
      const erin = { site: 'globex', email: 'erin@customer.test' };
      const alice = await accountIdOf(t.db, 'alice@customer.test', 'acme');
      const carol = await accountIdOf(t.db, 'carol@customer.test', 'acme');
      const before = await outbox();
      for (const email of ['alice@customer.test', 'carol@customer.test']) expect((await requestReset(mailing.app, 'acme', email)).statusCode).toBe(202);
      expect((await requestReset(mailing.app, erin.site, erin.email)).statusCode).toBe(202);
      const mine = async () => (await outbox()).filter((m) => !before.some((b) => b.id === m.id));
      const globex = await loginStaff(t.app, 'admin@globex.test');
      const globexOrg = (await t.db.selectFrom('sites').select('org_id').where('slug', '=', 'globex').executeTakeFirstOrThrow()).org_id;
      const erinMail = async () =>
        ((await t.app.inject({ method: 'GET', url: `/api/orgs/${globexOrg}/outbox?limit=100`, headers: { cookie: globex.cookie } })).json().values as OutboxEntry[]).find(
          (m) => m.to === erin.email,
        )!;
      await eventually(async () => {
        const rows = [...(await mine()), await erinMail()];
        expect(rows).toHaveLength(3);
        for (const row of rows) {
          expect(row.status).toBe('queued');
          expect(row.attempts).toBeGreaterThanOrEqual(1);
          expect(row.lastError).toMatch(/ECONNREFUSED/);
        }
      });

      expect((await customerAction(carol, 'revoke')).statusCode).toBe(200);
      const deleted = await t.app.inject({ method: 'DELETE', url: `/api/admin/sites/acme/customers/${alice}`, headers: as(ada) });
      expect(deleted.statusCode).toBeLessThan(300);
      await smtp.up();

      await eventually(async () => expect((await erinMail()).status).toBe('sent'));
      await eventually(async () => expect((await mine()).map((m) => m.status)).toEqual(['cancelled', 'cancelled']));
      const cancelled = await mine();
      expect(cancelled.map((m) => m.lastError).sort()).toEqual(['recipient is deleted', 'recipient is revoked']);

      expect(smtp.received.map((m: ReceivedMail) => m.to)).toEqual([[erin.email]]);
      expect((await erinMail()).attempts).toBeGreaterThanOrEqual(2);
      const done = await completeReset(mailing.app, erin.site, tokenIn(smtp.received[0].text), 'erins-new-secret-1');
      expect(done.statusCode).toBe(204);
    } finally {
      await mailing.close();
      await smtp.down();
    }
  });

  it('a mail whose every attempt fails is marked failed after the retry limit, with its attempts and the last error', async () => {
    const smtp = await TestSmtpServer.reserve(); // never comes up
    const mailing = await createMailingApp(t, smtp.url, { mail: { retryLimit: 1, retryDelaySeconds: 0 } });
    try {
      expect((await requestReset(mailing.app, 'acme', 'bob@customer.test')).statusCode).toBe(202);
      await eventually(async () => expect((await newestMailTo('bob@customer.test')).status).toBe('failed'));
      const failed = await newestMailTo('bob@customer.test');
      expect(failed.attempts).toBe(2); // the first try and one retry
      expect(failed.lastError).toMatch(/ECONNREFUSED/);
      expect(failed.sentAt).toBeNull();
    } finally {
      await mailing.close();
    }
  });

  it('a use case that rolls back queues neither the mail nor its delivery job', async () => {
    const smtp = await TestSmtpServer.start();
    const mailing = await createMailingApp(t, smtp.url);
    try {
      const mails = async () => Number((await t.db.selectFrom('outbox').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
      const [mailsBefore, jobsBefore] = [await mails(), await queueJobCount()];
      await expect(
        t.db.transaction().execute(async (trx) => {
          await mailing.background.mailer.send(trx, { to: 'bob@customer.test', subject: 's', body: 'b', orgId: null, siteId: null, recipientId: null });
          throw new Error('the use case fails after queueing its mail');
        }),
      ).rejects.toThrow('the use case fails');
      expect(await mails()).toBe(mailsBefore);
      expect(await queueJobCount()).toBe(jobsBefore);
    } finally {
      await mailing.close();
      await smtp.down();
    }
  });

  it.skipIf(process.env.PORTICO_TEST_DB !== 'postgres')(
    'two app instances on one PostgreSQL database deliver each mail exactly once (PostgreSQL only: PGlite admits one process)',
    async () => {
      const second = openPostgres(t.database.url!, 3);
      // Each instance mails through its own SMTP server, so the test sees who delivered what.
      const [smtpA, smtpB] = [await TestSmtpServer.start(), await TestSmtpServer.start()];
      const a = await createMailingApp(t, smtpA.url);
      const b = await createMailingApp(t, smtpB.url, { handle: second });
      try {
        const count = 40;
        await t.db.transaction().execute(async (trx) => {
          for (let i = 0; i < count; i++) {
            await a.background.mailer.send(trx, { to: `bulk-${i}@example.test`, subject: `mail ${i}`, body: 'hello', orgId: null, siteId: null, recipientId: null });
          }
        });
        await eventually(async () => {
          const r = await t.db.selectFrom('outbox').select((eb) => eb.fn.countAll<string>().as('n')).where('to_address', 'like', 'bulk-%').where('status', '=', 'sent').executeTakeFirstOrThrow();
          expect(Number(r.n)).toBe(count);
        });
        const bulk = [...smtpA.received, ...smtpB.received].filter((m) => m.to[0].startsWith('bulk-'));
        console.log(`instance A delivered ${smtpA.received.length}, instance B ${smtpB.received.length}`);
        expect(bulk).toHaveLength(count);
        expect(new Set(bulk.map((m) => m.messageId)).size).toBe(count);
        expect(new Set(bulk.map((m) => m.to[0])).size).toBe(count);
      } finally {
        await a.close();
        await b.close();
        await second.close();
        await smtpA.down();
        await smtpB.down();
      }
    },
  );
});

describe('the server process', () => {
  it.skipIf(process.env.PORTICO_TEST_DB !== 'postgres')(
    'a server started with SMTP_URL delivers mail through its job runner and closes cleanly (PostgreSQL only: a server cannot share the in-memory PGlite of the test, and the wiring is the same on both)',
    async () => {
      const smtp = await TestSmtpServer.start();
      const server = await startServer({ ...loadConfig({}), logLevel: 'silent', databaseUrl: t.database.url, port: 0, host: '127.0.0.1', demo: false, smtpUrl: smtp.url, jobPollSeconds: 0.5 });
      try {
        const res = await fetch(`${server.url}/s/acme/api/portal/password-reset`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'bob@customer.test' }) });
        expect(res.status).toBe(202);
        await eventually(() => expect(smtp.received).toHaveLength(1));
        expect(smtp.received[0].to).toEqual(['bob@customer.test']);
        expect(new URL(/(https?:\/\/\S+)/.exec(smtp.received[0].text)![1]).searchParams.get('token')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      } finally {
        await server.close();
        await smtp.down();
      }
    },
  );
});

