import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, loginCustomer, loginStaff, accountIdOf, as, type Session, type TestApp } from '../support/app.js';
import { createMailingApp, type MailingApp } from '../support/mail.js';
import { TestSmtpServer, type ReceivedMail } from '../support/smtp.js';
import { TestImapServer, rawMail, type ImapUser } from '../support/dovecot.js';
import { failOnRow } from '../support/failure-injection.js';
import { buildApp } from '../../src/http/app.js';
import { createOutboxMailer } from '../../src/mailer.js';
import { pollMailboxes } from '../../src/use-cases/inbound-mail/poll-mailboxes.js';
import { receiveMail } from '../../src/use-cases/inbound-mail/receive-mail.js';
import type { AppContext } from '../../src/use-cases/context.js';
import type { App } from '../../src/http/deps.js';

// Requests by email (docs/product.md#requests-by-email): mail put into a real Dovecot with IMAP
// APPEND, read by Portico's poller, and what it sends arriving at a real SMTP server on loopback.

const SECRET_KEY = 'test-secret-key-0123456789abcdefghijklmnop';
const HELP_BOX: ImapUser = { user: 'help@acme.test', password: 'p@ss/word 1%' };
const SUP_BOX: ImapUser = { user: 'support@globex.test', password: 'globex-secret' };

let t: TestApp;
let smtp: TestSmtpServer;
let imap: TestImapServer;
let mailing: MailingApp;
let app: App;
let ada: Session, alice: Session, carol: Session, greta: Session;
let ids: Record<'alice' | 'bob' | 'dave', string>;

beforeAll(async () => {
  // Dovecot listens on loopback, which a mailbox may name only when the operator allows it (E7).
  t = await createTestApp({ config: { secretKey: SECRET_KEY, mailboxAllowedHosts: ['127.0.0.1'] } });
  console.log(`database: ${t.database.label}`);
  [smtp, imap] = await Promise.all([TestSmtpServer.start(), TestImapServer.start([HELP_BOX, SUP_BOX])]);
  mailing = await createMailingApp(t, smtp.url);
  app = mailing.app;
  ada = await loginStaff(app, 'admin@acme.test');
  greta = await loginStaff(app, 'admin@globex.test');
  alice = await loginCustomer(app, 'acme', 'alice@customer.test');
  carol = await loginCustomer(app, 'acme', 'carol@customer.test');
  ids = {
    alice: await accountIdOf(t.db, 'alice@customer.test', 'acme'),
    bob: await accountIdOf(t.db, 'bob@customer.test', 'acme'),
    dave: await accountIdOf(t.db, 'dave@customer.test', 'acme'),
  };
  ok(await app.inject({ method: 'PUT', url: '/api/admin/sites/acme/projects/HELP/mailbox', headers: as(ada), payload: { host: '127.0.0.1', port: imap.port, tls: false, user: HELP_BOX.user, password: HELP_BOX.password } }));
  ok(await app.inject({ method: 'PUT', url: '/api/admin/sites/globex/projects/SUP/mailbox', headers: as(greta), payload: { host: '127.0.0.1', port: imap.port, tls: false, user: SUP_BOX.user, password: SUP_BOX.password } }));
});
afterAll(async () => {
  await mailing?.close();
  await smtp?.down();
  await imap?.stop();
  await t?.close();
});

function ok<R extends { statusCode: number; body: string }>(res: R, status = 200): R {
  expect(res.statusCode, res.body).toBe(status);
  return res;
}
const eventually = (check: () => Promise<void> | void) => vi.waitFor(check, { timeout: 30_000, interval: 50 });

/** What the server's poll job does: the same use case with the server's mailer and public URL. */
function pollContext(): AppContext {
  return { db: t.db, ip: null, userAgent: 'test poller', mailer: mailing.background.mailer, config: mailing.config, origin: 'http://localhost:80' };
}
const poll = () => pollMailboxes(pollContext());

let sequence = 0;
/** A mail as a person's mail program sends it to the HELP mailbox. */
function mail(from: string, subject: string, text: string, headers: Record<string, string> = {}): { raw: string; messageId: string } {
  const messageId = `<m${++sequence}.${Date.now()}@customer.test>`;
  return { messageId, raw: rawMail({ From: from, To: HELP_BOX.user, Subject: subject, 'Message-ID': messageId, ...headers }, text) };
}

async function lastOutboxId(): Promise<number> {
  const row = await t.db.selectFrom('outbox').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(row?.id ?? 0);
}

/** Runs an action and waits for every mail it queued to be delivered: the mails the SMTP server got. */
async function delivered(action: () => Promise<unknown>): Promise<ReceivedMail[]> {
  const before = await lastOutboxId();
  await action();
  const rows = await t.db.selectFrom('outbox').select('id').where('id', '>', String(before)).execute();
  await eventually(async () => {
    const pending = await t.db.selectFrom('outbox').select('id').where('id', '>', String(before)).where('status', '=', 'queued').execute();
    expect(pending).toEqual([]);
  });
  const messageIds = new Set(rows.map((r) => `<outbox-${r.id}@localhost>`));
  return smtp.received.filter((m) => messageIds.has(m.messageId));
}

async function counts() {
  const n = async (table: 'requests' | 'comments' | 'accounts' | 'request_participants' | 'request_attachments') =>
    Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
  return { requests: await n('requests'), comments: await n('comments'), accounts: await n('accounts'), participants: await n('request_participants'), attachments: await n('request_attachments') };
}

async function requestByKey(key: string) {
  return t.db.selectFrom('requests').selectAll().where('key', '=', key).executeTakeFirstOrThrow();
}

describe('setting a mailbox', () => {
  it('E4: the password is kept only encrypted and never answered; without PORTICO_SECRET_KEY saving is refused with a clear message', async () => {
    const row = await t.db.selectFrom('project_mailboxes').select(['password_sealed', 'username']).executeTakeFirstOrThrow();
    expect(row.password_sealed).toMatch(/^v1:/);
    expect(row.password_sealed).not.toContain(HELP_BOX.password);
    const listed = ok(await app.inject({ method: 'GET', url: '/api/admin/sites/acme/mailboxes', headers: as(ada) }));
    expect(listed.body).not.toContain(HELP_BOX.password);
    expect(listed.json().canSave).toBe(true);
    expect(listed.json().projects.find((p: { key: string }) => p.key === 'HELP').mailbox).toMatchObject({ host: '127.0.0.1', port: imap.port, tls: false, user: HELP_BOX.user, folder: 'INBOX' });

    const keyless = await buildApp({ db: t.db, mailer: createOutboxMailer(), config: { ...t.config, secretKey: undefined } });
    try {
      const session = await loginStaff(keyless, 'admin@acme.test');
      const refused = await keyless.inject({ method: 'PUT', url: '/api/admin/sites/acme/projects/HELP/mailbox', headers: as(session), payload: { host: 'imap.example.com', port: 993, tls: true, user: 'x', password: 'y' } });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().errorMessages[0]).toContain('PORTICO_SECRET_KEY is not set');
      expect((await keyless.inject({ method: 'GET', url: '/api/admin/sites/acme/mailboxes', headers: as(session) })).json().canSave).toBe(false);
    } finally {
      await keyless.close();
    }
    // the stored mailbox is the one saved with the key, untouched by the refusal
    expect((await t.db.selectFrom('project_mailboxes').select('host').where('username', '=', HELP_BOX.user).executeTakeFirstOrThrow()).host).toBe('127.0.0.1');
  });

  it('R10: only the site\'s admins set a mailbox or read the log (an agent 403, another organization 404)', async () => {
    const sam = await loginStaff(app, 'agent@acme.test');
    const body = { host: 'h', port: 143, tls: false, user: 'u', password: 'p' };
    expect((await app.inject({ method: 'PUT', url: '/api/admin/sites/acme/projects/HELP/mailbox', headers: as(sam), payload: body })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/admin/sites/acme/inbound-mail-log', headers: as(sam) })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/admin/sites/acme/inbound-mail-log', headers: as(greta) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'PUT', url: '/api/admin/sites/acme/projects/HELP/mailbox', headers: { cookie: ada.cookie }, payload: body })).statusCode).toBe(403);
  });
});

describe('mail from customers', () => {
  let raisedKey: string;
  let aliceMessageId: string;

  it("a new mail from Alice raises a request: subject → summary, text → description, Bob (Cc) a participant and mailed, the attachment stored and the original kept", async () => {
    const first = mail('Alice Example <alice@customer.test>', 'Printer on floor 3 jams', 'Every print jams after two pages.\nThanks, Alice', { Cc: 'Bob Builder <bob@customer.test>, stranger@elsewhere.test' });
    aliceMessageId = first.messageId;
    const withAttachment = first.raw.replace(
      'Content-Type: text/plain; charset=utf-8\r\n\r\n',
      'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n',
    ).replace(/\r\n$/, '\r\n--b1\r\nContent-Type: text/plain; name="log.txt"\r\nContent-Disposition: attachment; filename="log.txt"\r\nContent-Transfer-Encoding: base64\r\n\r\n' + Buffer.from('jam at 10:02').toString('base64') + '\r\n--b1\r\nContent-Type: text/html; name="evil.html"\r\nContent-Disposition: attachment; filename="evil.html"\r\n\r\n<script>alert(1)</script>\r\n--b1--\r\n');
    await imap.append(HELP_BOX, withAttachment);

    const mails = await delivered(async () => {
      const reports = await poll();
      const help = reports.find((r) => r.handled.length > 0);
      expect(help?.error).toBeUndefined();
      expect(help?.handled).toEqual([{ outcome: 'request', requestKey: expect.stringMatching(/^HELP-\d+$/) }]);
      raisedKey = (help!.handled[0] as { requestKey: string }).requestKey;
    });
    const request = await requestByKey(raisedKey);
    expect(request.summary).toBe('Printer on floor 3 jams');
    expect(request.description).toBe('Every print jams after two pages.\nThanks, Alice');
    expect(request.reporter_id).toBe(ids.alice);
    const participants = await t.db.selectFrom('request_participants').select('account_id').where('request_id', '=', request.id).execute();
    expect(participants.map((p) => p.account_id)).toEqual([ids.bob]);
    // Bob is told the request was shared with him; nobody else is mailed (not Alice, not the stranger)
    expect(mails.map((m) => m.to)).toEqual([['bob@customer.test']]);
    expect(mails[0]!.subject).toContain(raisedKey);

    const stored = await t.db.selectFrom('inbound_messages').select(['outcome', 'raw', 'message_id']).where('request_id', '=', request.id).executeTakeFirstOrThrow();
    expect(stored.outcome).toBe('request');
    expect(stored.message_id).toBe(aliceMessageId);
    expect(Buffer.from(stored.raw!).toString('utf8')).toContain('Subject: Printer on floor 3 jams');

    // the text file is kept, the HTML file is not (a type a browser would run)
    const files = ok(await app.inject({ method: 'GET', url: `/s/acme/api/portal/requests/${raisedKey}/attachments`, headers: as(alice) })).json().values;
    expect(files).toEqual([expect.objectContaining({ fileName: 'log.txt', contentType: 'text/plain', size: 12 })]);
  });

  it('E5: an attachment downloads only for those who may see the request, always as a download with nosniff; others get 404', async () => {
    const files = ok(await app.inject({ method: 'GET', url: `/s/acme/api/portal/requests/${raisedKey}/attachments`, headers: as(alice) })).json().values;
    const url = `/s/acme/api/portal/requests/${raisedKey}/attachments/${files[0].id}`;
    const download = ok(await app.inject({ method: 'GET', url, headers: as(alice) }));
    expect(download.body).toBe('jam at 10:02');
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="log.txt"/);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    // an agent of the project may; Carol (a HELP customer, not on the request) and strangers may not
    const sam = await loginStaff(app, 'agent@acme.test');
    ok(await app.inject({ method: 'GET', url, headers: as(sam) }));
    expect((await app.inject({ method: 'GET', url, headers: as(carol) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/s/acme/api/portal/requests/HELP-1/attachments/${files[0].id}`, headers: as(alice) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
  });

  it('E5: Alice uploads a file to her request in the help center and an agent attaches one in the agent view; types a browser runs are refused, and so are others and strangers', async () => {
    const upload = (who: Session | null, name: string, type: string, body: Buffer | string, key = raisedKey) =>
      app.inject({ method: 'POST', url: `/s/acme/api/portal/requests/${key}/attachments?filename=${encodeURIComponent(name)}`, headers: { ...(who ? as(who) : {}), 'content-type': type }, payload: body });
    const pdf = ok(await upload(alice, 'screen shot.pdf', 'application/pdf', Buffer.from('%PDF-1.4 fake')), 201).json();
    expect(pdf).toMatchObject({ fileName: 'screen shot.pdf', contentType: 'application/pdf', size: 13 });
    const sam = await loginStaff(app, 'agent@acme.test');
    ok(await upload(sam, 'steps.txt', 'text/plain; charset=utf-8', 'restart the spooler'), 201);
    const listed = ok(await app.inject({ method: 'GET', url: `/s/acme/api/portal/requests/${raisedKey}/attachments`, headers: as(sam) })).json().values;
    expect(listed.map((f: { fileName: string }) => f.fileName)).toEqual(['log.txt', 'screen shot.pdf', 'steps.txt']);
    expect(ok(await app.inject({ method: 'GET', url: `/s/acme/api/portal/requests/${raisedKey}/attachments/${pdf.id}`, headers: as(sam) })).body).toBe('%PDF-1.4 fake');

    const before = await counts();
    expect((await upload(alice, 'x.html', 'text/html', '<script>alert(1)</script>')).statusCode).toBe(415);
    expect((await upload(alice, 'x.svg', 'image/svg+xml', '<svg/>')).statusCode).toBe(415);
    expect((await upload(carol, 'x.pdf', 'application/pdf', '%PDF')).statusCode).toBe(404);
    expect((await upload(null, 'x.pdf', 'application/pdf', '%PDF')).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: `/s/acme/api/portal/requests/${raisedKey}/attachments?filename=x.pdf`, headers: { cookie: alice.cookie, 'content-type': 'application/pdf' }, payload: '%PDF' })).statusCode).toBe(403);
    expect((await upload(alice, 'big.pdf', 'application/pdf', Buffer.alloc(10 * 1024 * 1024 + 1))).statusCode).toBe(413);
    expect(await counts()).toEqual(before);

    // a file of several of the chunks a download is streamed in comes back byte for byte
    const bytes = Buffer.from(Array.from({ length: 600_001 }, (_, i) => (i * 7919) % 251));
    const zip = ok(await upload(alice, 'photos.zip', 'application/zip', bytes), 201).json();
    const got = await app.inject({ method: 'GET', url: `/s/acme/api/portal/requests/${raisedKey}/attachments/${zip.id}`, headers: as(sam) });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-length']).toBe('600001');
    expect(got.rawPayload.equals(bytes)).toBe(true);
  });

  it("Alice's reply by mail lands as a public comment by her, without the quoted text, and Bob (participant) is mailed about it", async () => {
    const reply = mail('alice@customer.test', `Re: Printer on floor 3 jams`, 'It jams on page one now.\n\nOn Mon, Alice wrote:\n> Every print jams after two pages.', { 'In-Reply-To': aliceMessageId, References: aliceMessageId });
    await imap.append(HELP_BOX, reply.raw);
    const mails = await delivered(async () => expect((await poll()).flatMap((r) => r.handled)).toEqual([{ outcome: 'comment', requestKey: raisedKey }]));
    const request = await requestByKey(raisedKey);
    const comments = await t.db.selectFrom('comments').select(['author_id', 'body', 'public']).where('request_id', '=', request.id).execute();
    expect(comments).toEqual([{ author_id: ids.alice, body: 'It jams on page one now.', public: true }]);
    expect(mails.map((m) => m.to)).toEqual([['bob@customer.test']]);
    expect(mails[0]!.text).toContain('It jams on page one now.');
    expect(mails[0]!.text).toContain('Alice Example replied');
  });

  it("Bob's answer to the notification mail (its thread id), and a mail naming [KEY] in the subject, are comments too", async () => {
    const notification = smtp.received.filter((m) => m.to.includes('bob@customer.test')).at(-1)!;
    const threadId = notification.header('In-Reply-To');
    await imap.append(HELP_BOX, mail('bob@customer.test', `Re: ${notification.subject}`, 'Same here on floor 3.', { 'In-Reply-To': notification.messageId, References: threadId }).raw);
    await imap.append(HELP_BOX, mail('alice@customer.test', `Update [${raisedKey}]`, 'Fixed by a restart.').raw);
    const mails = await delivered(async () =>
      expect((await poll()).flatMap((r) => r.handled)).toEqual([
        { outcome: 'comment', requestKey: raisedKey },
        { outcome: 'comment', requestKey: raisedKey },
      ]),
    );
    const request = await requestByKey(raisedKey);
    const bodies = await t.db.selectFrom('comments').select(['author_id', 'body']).where('request_id', '=', request.id).orderBy('id').execute();
    expect(bodies.slice(1)).toEqual([
      { author_id: ids.bob, body: 'Same here on floor 3.' },
      { author_id: ids.alice, body: 'Fixed by a restart.' },
    ]);
    expect(mails.map((m) => m.to[0]).sort()).toEqual(['alice@customer.test', 'bob@customer.test']);
  });

  it('a reply naming a request the sender may not see is refused, and adds nothing', async () => {
    const before = await counts();
    await imap.append(HELP_BOX, mail('carol@customer.test', `Re: [${raisedKey}] me too`, 'Let me in.').raw);
    const handled = (await poll()).flatMap((r) => r.handled);
    expect(handled).toEqual([{ outcome: 'refused', reason: 'the sender may not comment on the request the mail answers' }]);
    expect(await counts()).toEqual(before);
  });

  // replies by mail move the conversation, and staff reply by mail too
  it("Sam, an agent of HELP, answers by mail: a public comment by him, the request waits for the customer, its people are mailed; a mail of his that answers no request raises nothing", async () => {
    const sam = await accountIdOf(t.db, 'agent@acme.test', null);
    const notification = smtp.received.filter((m) => m.to.includes('alice@customer.test')).at(-1)!;
    await imap.append(HELP_BOX, mail('agent@acme.test', `Re: ${notification.subject}`, 'Please restart the printer and try again.\n\nOn Tue, Bob wrote:\n> Same here', { 'In-Reply-To': notification.messageId }).raw);
    const mails = await delivered(async () => expect((await poll()).flatMap((r) => r.handled)).toEqual([{ outcome: 'comment', requestKey: raisedKey }]));
    const request = await requestByKey(raisedKey);
    const last = await t.db.selectFrom('comments').select(['author_id', 'body', 'public']).where('request_id', '=', request.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(last).toEqual({ author_id: sam, body: 'Please restart the printer and try again.', public: true });
    expect(request.status).toBe('Waiting for customer');
    expect(mails.map((m) => m.to[0]).sort()).toEqual(['alice@customer.test', 'bob@customer.test']);

    const before = await counts();
    await imap.append(HELP_BOX, mail('agent@acme.test', 'New printer for floor 2', 'Please order one.').raw);
    expect((await poll()).flatMap((r) => r.handled)).toEqual([{ outcome: 'refused', reason: 'a mail from staff that answers no request (staff raise requests in the agent workspace)' }]);
    expect(await counts()).toEqual(before);
  });

  it("Alice's reply by mail to her resolved request reopens it, waiting for support", async () => {
    const sam = await loginStaff(app, 'agent@acme.test');
    for (const status of ['In progress', 'Resolved']) {
      ok(await app.inject({ method: 'POST', url: `/s/acme/api/agent/requests/${raisedKey}/transitions`, headers: as(sam), payload: { status } }));
    }
    expect((await requestByKey(raisedKey)).status).toBe('Resolved');
    await imap.append(HELP_BOX, mail('alice@customer.test', `Still broken [${raisedKey}]`, 'It jams again.').raw);
    await delivered(async () => expect((await poll()).flatMap((r) => r.handled)).toEqual([{ outcome: 'comment', requestKey: raisedKey }]));
    expect((await requestByKey(raisedKey)).status).toBe('Waiting for support');
  });
});

describe('mail that is not accepted', () => {
  it('E1: Dave (revoked) mailing HELP creates nothing, changes nothing, is logged for admins, and gets one neutral answer a day — nobody else is mailed', async () => {
    const before = await counts();
    const daveBefore = await t.db.selectFrom('accounts').selectAll().where('account_id', '=', ids.dave).executeTakeFirstOrThrow();
    await imap.append(HELP_BOX, mail('Dave Departed <dave@customer.test>', 'Let me back in', 'Please.', { Cc: 'alice@customer.test' }).raw);
    await imap.append(HELP_BOX, mail('dave@customer.test', 'Re: [HELP-4] still broken', 'Hello?').raw);
    const mails = await delivered(async () => {
      const handled = (await poll()).flatMap((r) => r.handled);
      expect(handled).toEqual([
        { outcome: 'refused', reason: "the sender's account is revoked" },
        { outcome: 'refused', reason: "the sender's account is revoked" },
      ]);
    });
    expect(await counts()).toEqual(before);
    expect(await t.db.selectFrom('accounts').selectAll().where('account_id', '=', ids.dave).executeTakeFirstOrThrow()).toEqual(daveBefore);
    // one answer, to Dave only, saying nothing of his account
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual(['dave@customer.test']);
    expect(mails[0]!.subject).toBe('Your message to Acme Support was not accepted');
    expect(mails[0]!.text).not.toMatch(/revok|deactivat|account|access/i);
    // the original is not kept for refused mail
    const logged = await t.db.selectFrom('inbound_messages').select(['raw', 'request_id', 'comment_id']).where('from_address', 'ilike', '%dave@customer.test%').execute();
    expect(logged).toEqual([
      { raw: null, request_id: null, comment_id: null },
      { raw: null, request_id: null, comment_id: null },
    ]);

    // the admins' log: sender, time, project, why
    const log = ok(await app.inject({ method: 'GET', url: '/api/admin/sites/acme/inbound-mail-log', headers: as(ada) })).json().values;
    expect(log.slice(0, 2)).toEqual([
      expect.objectContaining({ projectKey: 'HELP', from: 'dave@customer.test', outcome: 'refused', reason: "the sender's account is revoked", receivedAt: expect.any(String) }),
      expect.objectContaining({ projectKey: 'HELP', from: 'dave@customer.test', subject: 'Let me back in', outcome: 'refused' }),
    ]);

    // later the same day: logged again, not answered again
    await imap.append(HELP_BOX, mail('dave@customer.test', 'Anyone?', 'Hello?').raw);
    const again = await delivered(async () => expect((await poll()).flatMap((r) => r.handled)).toEqual([{ outcome: 'refused', reason: "the sender's account is revoked" }]));
    expect(again).toEqual([]);
  });

  it('E1: a stranger mailing the restricted HELP project is refused with the very same neutral answer; nothing is created', async () => {
    const before = await counts();
    await imap.append(HELP_BOX, mail('Someone <someone@elsewhere.test>', 'Hi', 'Can you help?').raw);
    const mails = await delivered(async () =>
      expect((await poll()).flatMap((r) => r.handled)).toEqual([{ outcome: 'refused', reason: 'unknown sender, and the project is restricted to its customers' }]),
    );
    expect(await counts()).toEqual(before);
    const dave = smtp.received.find((m) => m.to.includes('dave@customer.test'))!;
    expect(mails.map((m) => [m.to, m.subject, m.text])).toEqual([[['someone@elsewhere.test'], dave.subject, dave.text]]);
  });

  it('E3: automatic replies, bulk mail, bounces and mail with our own Message-IDs are ignored: nothing raised, nobody answered', async () => {
    const before = await counts();
    await imap.append(HELP_BOX, mail('alice@customer.test', 'Out of office', 'I am away.', { 'Auto-Submitted': 'auto-replied' }).raw);
    await imap.append(HELP_BOX, mail('alice@customer.test', 'Newsletter', 'News.', { Precedence: 'bulk' }).raw);
    await imap.append(HELP_BOX, mail('MAILER-DAEMON@mx.customer.test', 'Undelivered Mail Returned to Sender', 'failed').raw);
    await imap.append(HELP_BOX, rawMail({ From: 'alice@customer.test', To: HELP_BOX.user, Subject: 'looped', 'Message-ID': '<outbox-1@localhost>' }, 'loop'));
    await imap.append(HELP_BOX, mail('dave@customer.test', 'Auto: away', 'Away.', { 'Auto-Submitted': 'auto-replied' }).raw);
    const mails = await delivered(async () => {
      const handled = (await poll()).flatMap((r) => r.handled);
      expect(handled.map((h) => h.outcome)).toEqual(['ignored', 'ignored', 'ignored', 'ignored', 'ignored']);
      expect(handled.map((h) => (h as { reason: string }).reason)).toEqual([
        'automatic reply (Auto-Submitted: auto-replied)',
        'bulk mail (Precedence: bulk)',
        'automatic sender (mailer-daemon)',
        'a mail Portico sent (loop)',
        'automatic reply (Auto-Submitted: auto-replied)',
      ]);
    });
    expect(mails).toEqual([]);
    expect(await counts()).toEqual(before);
  });

  it('E3: more than 20 mails an hour from one address are ignored beyond the 20th', async () => {
    const sent = Number(
      (await t.db.selectFrom('inbound_messages').select((eb) => eb.fn.countAll<string>().as('n')).where('from_address', '=', 'alice@customer.test').executeTakeFirstOrThrow()).n,
    );
    for (let i = sent; i < 21; i++) await imap.append(HELP_BOX, mail('alice@customer.test', `Flood ${i}`, 'x', { 'Auto-Submitted': 'no' }).raw);
    const handled = (await poll()).flatMap((r) => r.handled);
    expect(handled.at(-1)).toEqual({ outcome: 'ignored', reason: 'more than 20 mails an hour from this address' });
    expect(handled.slice(0, -1).every((h) => h.outcome === 'request')).toBe(true);
  });
});

describe('strangers on an open project', () => {
  const signup = (customer_signup: boolean, signup_domains = '') =>
    t.db.updateTable('sites').set({ customer_signup, signup_domains }).where('slug', '=', 'globex').execute();

  it("E1: while the site takes no sign-ups, a stranger's mail to the open SUP project creates nothing and gets the neutral answer; a domain the sign-up does not list likewise", async () => {
    const before = await counts();
    await signup(false);
    await imap.append(SUP_BOX, rawMail({ From: 'Olga Outside <olga@outside.test>', To: SUP_BOX.user, Subject: 'Hello?', 'Message-ID': '<olga-1@outside.test>' }, 'Anyone there?'));
    const closed = await delivered(async () => {
      expect((await poll()).flatMap((r) => r.handled)).toEqual([{ outcome: 'refused', reason: 'unknown sender, and the site does not take sign-ups' }]);
    });
    expect(closed.map((m) => [m.to, m.subject])).toEqual([[['olga@outside.test'], expect.stringMatching(/not accepted/)]]);
    await signup(true, 'partner.test');
    try {
      await imap.append(SUP_BOX, rawMail({ From: 'Olga Outside <olga@outside.test>', To: SUP_BOX.user, Subject: 'Hello again', 'Message-ID': '<olga-2@outside.test>' }, 'Still there?'));
      expect((await poll()).flatMap((r) => r.handled)).toEqual([{ outcome: 'refused', reason: "unknown sender, and the site's sign-up does not take their email domain" }]);
    } finally {
      await signup(false);
    }
    expect(await counts()).toEqual(before);
    expect(await t.db.selectFrom('accounts').select('account_id').where('email_lower', '=', 'olga@outside.test').execute()).toEqual([]);
  });

  it('a mail from an unknown address to the open SUP project, while the site takes sign-ups, makes a portal-only account, mails it a link to confirm the address that works, and raises the request', async () => {
    await signup(true);
    onTestFinished(async () => {
      await signup(false);
    });
    const raw = rawMail({ From: 'Nina New <nina@newcomer.test>', To: SUP_BOX.user, Subject: 'Question about my invoice', 'Message-ID': '<nina-1@newcomer.test>' }, 'Where is it?');
    await imap.append(SUP_BOX, raw);
    let key = '';
    const mails = await delivered(async () => {
      const handled = (await poll()).flatMap((r) => r.handled);
      expect(handled).toEqual([{ outcome: 'request', requestKey: expect.stringMatching(/^SUP-\d+$/) }]);
      key = (handled[0] as { requestKey: string }).requestKey;
    });
    const nina = await t.db.selectFrom('accounts').select(['account_id', 'kind', 'status', 'display_name', 'password_hash']).where('email_lower', '=', 'nina@newcomer.test').executeTakeFirstOrThrow();
    expect(nina).toMatchObject({ kind: 'customer', status: 'active', display_name: 'Nina New', password_hash: null });
    expect((await requestByKey(key)).reporter_id).toBe(nina.account_id);
    expect(mails.map((m) => m.to)).toEqual([['nina@newcomer.test']]);
    expect(mails[0]!.text).toContain('We received your mail and made you an account');
    const token = /set-password\?token=([A-Za-z0-9_-]+)/.exec(mails[0]!.text)?.[1];
    expect(token).toBeDefined();
    ok(await app.inject({ method: 'POST', url: '/s/globex/api/portal/set-password', payload: { token, password: 'a long new password 42' } }));
    const session = await loginCustomer(app, 'globex', 'nina@newcomer.test', 'a long new password 42');
    const mine = ok(await app.inject({ method: 'GET', url: '/s/globex/api/portal/requests', headers: as(session) })).json();
    expect(JSON.stringify(mine)).toContain(key);
  });
});

describe('exactly once', () => {
  it('E2: two pollers reading the same mail at once handle it once', async () => {
    const before = await counts();
    await imap.append(HELP_BOX, mail('bob@customer.test', 'Monitor flickers', 'Since Monday.').raw);
    const [a, b] = await Promise.all([poll(), poll()]);
    const outcomes = [...a, ...b].flatMap((r) => r.handled).filter((h) => h.outcome !== 'already handled');
    expect(outcomes).toEqual([{ outcome: 'request', requestKey: expect.stringMatching(/^HELP-\d+$/) }]);
    expect((await counts()).requests).toBe(before.requests + 1);
    expect(await t.db.selectFrom('requests').select('id').where('summary', '=', 'Monitor flickers').execute()).toHaveLength(1);
  });

  it('E2: the same mail handed to two handlers at once (two instances between their read and their write) becomes one request', async () => {
    const raw = Buffer.from(mail('bob@customer.test', 'Docking station dead', 'No power light.').raw);
    const project = await t.db.selectFrom('projects').select(['id', 'site_id']).where('key', '=', 'HELP').executeTakeFirstOrThrow();
    const one = { projectId: String(project.id), siteId: project.site_id, mailboxAddress: HELP_BOX.user, uidValidity: '1', uid: 999_999, source: raw };
    const results = await Promise.all([receiveMail(pollContext(), one), receiveMail(pollContext(), one)]);
    expect(results.map((r) => r.outcome).sort()).toEqual(['already handled', 'request']);
    expect(await t.db.selectFrom('requests').select('id').where('summary', '=', 'Docking station dead').execute()).toHaveLength(1);
    expect(await t.db.selectFrom('inbound_messages').select('id').where('uid', '=', '999999').execute()).toHaveLength(1);
  });

  it('E2: a poller that fails midway leaves nothing, and the next poll handles the mail once', async () => {
    const before = await counts();
    await imap.append(HELP_BOX, mail('bob@customer.test', 'Keyboard missing keys', 'The Q key fell off.').raw);
    const failure = await failOnRow(t.db, { table: 'requests', op: 'INSERT', nth: 1 });
    try {
      const [report] = (await poll()).filter((r) => r.error || r.handled.length);
      expect(report?.error).toContain('injected failure');
      expect(await counts()).toEqual(before);
      expect(await t.db.selectFrom('inbound_messages').select('id').where('subject', '=', 'Keyboard missing keys').execute()).toEqual([]);
    } finally {
      await failure.remove();
    }
    expect((await poll()).flatMap((r) => r.handled)).toEqual([{ outcome: 'request', requestKey: expect.stringMatching(/^HELP-\d+$/) }]);
    expect(await poll()).toEqual(expect.arrayContaining([expect.objectContaining({ handled: [] })]));
    expect(await t.db.selectFrom('requests').select('id').where('summary', '=', 'Keyboard missing keys').execute()).toHaveLength(1);
  });
});

describe('a mailbox set up on a folder that already holds mail', () => {
  it('passes over the mail that was there before it was set up: no requests, no answers, logged once', async () => {
    const before = await counts();
    const setUp = await t.db.selectFrom('project_mailboxes').select('created_at').where('username', '=', SUP_BOX.user).executeTakeFirstOrThrow();
    // as if the SUP mailbox had been saved an hour from now: what is in the folder is older
    await t.db.updateTable('project_mailboxes').set({ created_at: new Date(Date.now() + 3_600_000) }).where('username', '=', SUP_BOX.user).execute();
    try {
      await imap.append(SUP_BOX, rawMail({ From: 'old@history.test', To: SUP_BOX.user, Subject: 'An old mail', 'Message-ID': '<old-1@history.test>' }, 'From last year.'));
      const mails = await delivered(async () =>
        expect((await poll()).flatMap((r) => r.handled)).toEqual([{ outcome: 'ignored', reason: 'in the folder before the mailbox was set up' }]),
      );
      expect(mails).toEqual([]);
      expect(await counts()).toEqual(before);
      expect((await poll()).flatMap((r) => r.handled)).toEqual([]);
    } finally {
      await t.db.updateTable('project_mailboxes').set({ created_at: setUp.created_at }).where('username', '=', SUP_BOX.user).execute();
    }
  });
});

describe('deleted senders', () => {
  it("E1: a deleted customer's address on HELP creates nothing: the account was erased, so the mail is a stranger's — refused with the same neutral answer", async () => {
    const sam = await loginStaff(app, 'agent@acme.test');
    const created = ok(await app.inject({ method: 'POST', url: '/s/acme/api/agent/projects/HELP/customers/new', headers: as(sam), payload: { displayName: 'Gone Soon', email: 'gone@customer.test' } }), 201).json();
    ok(await app.inject({ method: 'DELETE', url: `/api/admin/sites/acme/customers/${created.accountId}`, headers: as(ada) }), 204);
    const before = await counts();
    const mails = await delivered(async () => {
      await imap.append(HELP_BOX, mail('gone@customer.test', 'Remember me?', 'Hello').raw);
      expect((await poll()).flatMap((r) => r.handled)).toEqual([{ outcome: 'refused', reason: 'unknown sender, and the project is restricted to its customers' }]);
    });
    expect(await counts()).toEqual(before);
    const dave = smtp.received.find((m) => m.to.includes('dave@customer.test'))!;
    expect(mails.map((m) => [m.to, m.subject, m.text])).toEqual([[['gone@customer.test'], dave.subject, dave.text]]);
  });
});

describe('mail that cannot be handled', () => {
  it('a mail that fails every try is logged after three and passed over, and the mail after it is handled', async () => {
    await sql`CREATE FUNCTION poison_check() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.summary = 'Poison' THEN RAISE EXCEPTION 'poisoned mail'; END IF; RETURN NEW; END $$`.execute(t.db);
    await sql`CREATE TRIGGER poison_check BEFORE INSERT ON requests FOR EACH ROW EXECUTE FUNCTION poison_check()`.execute(t.db);
    try {
      await imap.append(HELP_BOX, mail('bob@customer.test', 'Poison', 'x').raw);
      await imap.append(HELP_BOX, mail('bob@customer.test', 'After the poison', 'y').raw);
      for (let i = 0; i < 2; i++) {
        const reports = (await poll()).filter((r) => r.error);
        expect(reports.map((r) => r.error)).toEqual([expect.stringContaining('poisoned mail')]);
        expect(await t.db.selectFrom('requests').select('id').where('summary', '=', 'After the poison').execute()).toEqual([]);
      }
      expect((await poll()).flatMap((r) => r.handled)).toEqual([
        { outcome: 'ignored', reason: 'could not be handled' },
        { outcome: 'request', requestKey: expect.stringMatching(/^HELP-\d+$/) },
      ]);
      const log = ok(await app.inject({ method: 'GET', url: '/api/admin/sites/acme/inbound-mail-log', headers: as(ada) })).json().values;
      expect(log[0]).toMatchObject({ projectKey: 'HELP', outcome: 'ignored', reason: expect.stringContaining('could not be handled: poisoned mail') });
    } finally {
      await sql`DROP TRIGGER poison_check ON requests`.execute(t.db);
      await sql`DROP FUNCTION poison_check()`.execute(t.db);
    }
  });
});

describe('revoked senders keep their files', () => {
  it("E5: a revoke keeps the customer's attachments on her request for those who may see it, and the grant changes nothing about them", async () => {
    const key = (await t.db.selectFrom('requests').select('key').where('summary', '=', 'Printer on floor 3 jams').executeTakeFirstOrThrow()).key;
    const sam = await loginStaff(app, 'agent@acme.test');
    const list = async () => ok(await app.inject({ method: 'GET', url: `/s/acme/api/portal/requests/${key}/attachments`, headers: as(sam) })).json().values.map((f: { fileName: string }) => f.fileName);
    const before = await list();
    expect(before).toContain('log.txt');
    ok(await app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${ids.alice}/revoke`, headers: as(ada) }));
    try {
      expect(await list()).toEqual(before);
      const bob = await loginCustomer(app, 'acme', 'bob@customer.test');
      const files = ok(await app.inject({ method: 'GET', url: `/s/acme/api/portal/requests/${key}/attachments`, headers: as(bob) })).json().values;
      ok(await app.inject({ method: 'GET', url: `/s/acme/api/portal/requests/${key}/attachments/${files[0].id}`, headers: as(bob) }));
    } finally {
      ok(await app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${ids.alice}/grant`, headers: as(ada) }));
    }
    expect(await list()).toEqual(before);
  });
});

