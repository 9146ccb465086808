import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, loginCustomer, loginStaff, accountIdOf, as, type Session, type TestApp } from '../support/app.js';
import { createMailingApp, type MailingApp } from '../support/mail.js';
import { TestSmtpServer, type ReceivedMail } from '../support/smtp.js';
import type { App } from '../../src/http/deps.js';

// Request notifications (docs/product.md#notifications): who is mailed about what, as the mail
// arrives at a real SMTP server on loopback after the job runner delivered it from the outbox.

let t: TestApp;
let smtp: TestSmtpServer;
let mailing: MailingApp;
let app: App;
let ada: Session, sam: Session, alice: Session, bob: Session, greta: Session;
let ids: Record<'alice' | 'bob' | 'carol' | 'dave' | 'sam', string>;
let helpId: string, getItHelpId: string;

beforeAll(async () => {
  t = await createTestApp();
  console.log(`database: ${t.database.label}`);
  smtp = await TestSmtpServer.start();
  mailing = await createMailingApp(t, smtp.url);
  app = mailing.app;
  ada = await loginStaff(app, 'admin@acme.test');
  sam = await loginStaff(app, 'agent@acme.test');
  greta = await loginStaff(app, 'admin@globex.test');
  alice = await loginCustomer(app, 'acme', 'alice@customer.test');
  bob = await loginCustomer(app, 'acme', 'bob@customer.test');
  ids = {
    alice: await accountIdOf(t.db, 'alice@customer.test', 'acme'),
    bob: await accountIdOf(t.db, 'bob@customer.test', 'acme'),
    carol: await accountIdOf(t.db, 'carol@customer.test', 'acme'),
    dave: await accountIdOf(t.db, 'dave@customer.test', 'acme'),
    sam: await accountIdOf(t.db, 'agent@acme.test', null),
  };
  helpId = String((await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow()).id);
  getItHelpId = String((await t.db.selectFrom('request_types').select('id').where('name', '=', 'Get IT help').executeTakeFirstOrThrow()).id);
});
afterAll(async () => {
  await mailing?.close();
  await smtp?.down();
  await t?.close();
});

const eventually = (check: () => Promise<void> | void) => vi.waitFor(check, { timeout: 30_000, interval: 50 });

async function lastOutboxId(): Promise<number> {
  const row = await t.db.selectFrom('outbox').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(row?.id ?? 0);
}

interface Delivered {
  /** every mail the action queued, by recipient address */
  queued: string[];
  /** the mails the SMTP server accepted for it */
  mails: ReceivedMail[];
  to(address: string): ReceivedMail;
}

/**
 * Runs an action and waits until every mail it queued is delivered (or given up): what was queued,
 * and what arrived. Mail is written in the action's own transaction, so `queued` is complete when it answers.
 */
async function delivered(action: () => Promise<unknown>): Promise<Delivered> {
  const before = await lastOutboxId();
  await action();
  const rows = await t.db.selectFrom('outbox').select(['id', 'to_address', 'status']).where('id', '>', String(before)).orderBy('id').execute();
  await eventually(async () => {
    const pending = await t.db.selectFrom('outbox').select('id').where('id', '>', String(before)).where('status', '=', 'queued').execute();
    expect(pending).toEqual([]);
  });
  const messageIds = new Set(rows.map((r) => `<outbox-${r.id}@localhost>`));
  const mails = smtp.received.filter((m) => messageIds.has(m.messageId));
  return {
    queued: rows.map((r) => r.to_address).sort(),
    mails,
    to(address) {
      const mail = mails.find((m) => m.to.includes(address));
      expect(mail, `a mail to ${address}`).toBeDefined();
      return mail!;
    },
  };
}

function ok<R extends { statusCode: number; body: string }>(res: R, status = 200): R {
  expect(res.statusCode, res.body).toBe(status);
  return res;
}
const comment = (who: Session, key: string, body: string, isPublic = true, surface: 'agent' | 'portal' = who === sam || who === ada ? 'agent' : 'portal') =>
  app.inject({ method: 'POST', url: `/s/acme/api/${surface}/requests/${key}/comments`, headers: as(who), payload: { body, public: isPublic } }).then((r) => ok(r, 201));
const transition = (key: string, status: string) =>
  app.inject({ method: 'POST', url: `/s/acme/api/agent/requests/${key}/transitions`, headers: as(sam), payload: { status } }).then((r) => ok(r));
const customerAction = (accountId: string, action: 'revoke' | 'grant') =>
  app.inject({ method: 'POST', url: `/api/admin/sites/acme/customers/${accountId}/${action}`, headers: as(ada) }).then((r) => ok(r));
const requestId = async (key: string) => String((await t.db.selectFrom('requests').select('id').where('key', '=', key).executeTakeFirstOrThrow()).id);

/** Waits until delivery tried a mail once and failed (the server is down): the next attempt reads the mail afresh. */
async function firstAttemptFailed(outboxId: string): Promise<void> {
  await eventually(async () => {
    const row = await t.db.selectFrom('outbox').select(['status', 'attempts']).where('id', '=', outboxId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'queued', attempts: 1 });
  });
}

/** The token of the unsubscribe page's link in a mail's text. */
function unsubscribeToken(mail: ReceivedMail): string {
  const match = /http:\/\/localhost(?::80)?\/s\/acme\/servicedesk\/customer\/unsubscribe\?token=([A-Za-z0-9_.-]+)/.exec(mail.text);
  expect(match, 'an unsubscribe link').not.toBeNull();
  return match![1];
}

describe('who is mailed', () => {
  it("T3: an agent's public reply reaches the reporter and the participants — threaded, naming the site, linking to the request through the public URL, in text and HTML, with one-click unsubscribe — and not the agent", async () => {
    const helpOne = await requestId('HELP-1');
    const result = await delivered(() => comment(sam, 'HELP-1', 'We have reset your VPN token.'));
    expect(result.queued).toEqual(['alice@customer.test', 'bob@customer.test']);
    expect(result.mails).toHaveLength(2);
    for (const address of ['alice@customer.test', 'bob@customer.test']) {
      const mail = result.to(address);
      expect(mail.subject).toBe('[Acme Support] HELP-1: Laptop will not connect to the VPN');
      expect(mail.header('From')).toMatch(/^"?Acme Support"? <no-reply@portico\.invalid>$/);
      // threaded: every mail about HELP-1 refers to the request's own id
      expect(mail.messageId).toMatch(/^<outbox-\d+@localhost>$/);
      expect(mail.header('In-Reply-To')).toBe(`<request-${helpOne}.acme@localhost>`);
      expect(mail.header('References')).toBe(`<request-${helpOne}.acme@localhost>`);
      // RFC 8058 one-click unsubscribe
      expect(mail.header('List-Unsubscribe')).toMatch(/^<http:\/\/localhost(:80)?\/s\/acme\/api\/portal\/unsubscribe\?token=[A-Za-z0-9_.-]+>$/);
      expect(mail.header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      // both parts, with the reply and a link from the public URL (never the request's Host)
      expect(mail.header('Content-Type')).toMatch(/^multipart\/alternative/);
      expect(mail.text).toContain('Sam Agent replied on HELP-1:');
      expect(mail.text).toContain('We have reset your VPN token.');
      expect(mail.text).toMatch(new RegExp(`http://localhost(:80)?/s/acme/servicedesk/customer/portal/${helpId}/HELP-1`));
      expect(mail.text).toContain('Acme Support');
      expect(mail.html).toContain('We have reset your VPN token.');
      expect(mail.html).toMatch(new RegExp(`<a href="http:&#47;&#47;localhost(:80)?&#47;s&#47;acme&#47;servicedesk&#47;customer&#47;portal&#47;${helpId}&#47;HELP-1">`));
    }
    expect(result.to('alice@customer.test').text).toContain('Hello Alice Example,');
    // the next mail about HELP-1 is in the same thread
    const next = await delivered(() => transition('HELP-1', 'In progress'));
    expect(next.to('bob@customer.test').header('References')).toBe(`<request-${helpOne}.acme@localhost>`);
  });

  it('an internal note mails nobody', async () => {
    const result = await delivered(() => comment(sam, 'HELP-1', 'Token reset by hand, check the logs.', false));
    expect(result.queued).toEqual([]);
  });

  it("T2: a customer's reply reaches the other people of the request, not its author; what they wrote is escaped in the HTML part and no email address is shown", async () => {
    const result = await delivered(() => comment(alice, 'HELP-1', 'Thanks! <script>alert("x")</script> & <b>bold</b>'));
    expect(result.queued).toEqual(['bob@customer.test']);
    const mail = result.to('bob@customer.test');
    expect(mail.text).toContain('Alice Example replied on HELP-1:');
    expect(mail.text).toContain('Thanks! <script>alert("x")</script> & <b>bold</b>');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<b>bold');
    expect(mail.html).toContain('&#60;script&#62;');
    expect(mail.text).not.toContain('alice@customer.test');
    expect(mail.html).not.toContain('alice@customer.test');
  });

  it('a status change reaches the reporter and the participants', async () => {
    const result = await delivered(() => transition('HELP-2', 'In progress'));
    expect(result.queued).toEqual(['alice@customer.test', 'bob@customer.test']);
    expect(result.to('bob@customer.test').text).toContain('Sam Agent changed the status of HELP-2 from Open to In progress.');
  });

  it('a request raised on behalf of a customer reaches them; the people it is shared with hear that it was shared; the agent hears nothing', async () => {
    let key = '';
    const result = await delivered(async () => {
      const res = ok(
        await app.inject({
          method: 'POST',
          url: '/s/acme/api/portal/requests',
          headers: as(sam),
          payload: { projectId: helpId, requestTypeId: getItHelpId, fields: { summary: 'Badge does not open the garage' }, onBehalfOf: 'carol@customer.test', participants: [ids.alice] },
        }),
        201,
      );
      key = res.json().key;
    });
    expect(result.queued).toEqual(['alice@customer.test', 'carol@customer.test']);
    expect(result.to('carol@customer.test').text).toContain(`Sam Agent raised ${key} "Badge does not open the garage" for you at Acme Support.`);
    expect(result.to('alice@customer.test').text).toContain(`Sam Agent shared ${key} "Badge does not open the garage" with you at Acme Support.`);

    // a customer raising her own request is not mailed about it
    const own = await delivered(() =>
      app.inject({ method: 'POST', url: '/s/acme/api/portal/requests', headers: as(bob), payload: { projectId: helpId, requestTypeId: getItHelpId, fields: { summary: 'My own' } } }).then((r) => ok(r, 201)),
    );
    expect(own.queued).toEqual([]);
  });

  it('sharing a request mails the new participant only; an agent adding people mails the new ones', async () => {
    const shared = await delivered(() =>
      app.inject({ method: 'POST', url: '/s/acme/api/portal/requests/HELP-2/participants', headers: as(bob), payload: { accountIds: [ids.carol] } }).then((r) => ok(r)),
    );
    expect(shared.queued).toEqual(['carol@customer.test']);
    expect(shared.to('carol@customer.test').text).toContain('Bob Builder shared HELP-2 "Shared drive is read-only" with you at Acme Support.');

    const byAgent = await delivered(() =>
      app.inject({ method: 'PUT', url: '/s/acme/api/agent/requests/HELP-3/people', headers: as(sam), payload: { participants: [ids.bob] } }).then((r) => ok(r)),
    );
    expect(byAgent.queued).toEqual(['bob@customer.test']);
  });
});

describe('sharing with a customer organization', () => {
  it("a request shared with the reporter's organization mails its members — not the reporter, not a revoked member — and sharing it again mails nobody", async () => {
    const org = ok(await app.inject({ method: 'POST', url: '/s/acme/api/organizations', headers: as(sam), payload: { name: 'Mail Sharing Ltd' } }), 201).json().id as string;
    ok(await app.inject({ method: 'POST', url: `/s/acme/api/organizations/${org}/members`, headers: as(sam), payload: { accountIds: [ids.alice, ids.bob, ids.carol] } }));
    const raised = ok(await app.inject({ method: 'POST', url: '/s/acme/api/portal/requests', headers: as(alice), payload: { projectId: helpId, requestTypeId: getItHelpId, fields: { summary: 'Printer on floor 2 is jammed' } } }), 201).json();
    const key = raised.key as string;
    await customerAction(ids.carol, 'revoke');
    try {
      const share = () => app.inject({ method: 'POST', url: `/s/acme/api/portal/requests/${key}/organizations`, headers: as(alice), payload: { organizationId: org } }).then((r) => ok(r));
      const first = await delivered(share);
      expect(first.queued).toEqual(['bob@customer.test']);
      expect(first.to('bob@customer.test').text).toContain(`Alice Example shared ${key} "Printer on floor 2 is jammed" with you at Acme Support.`);
      const again = await delivered(share);
      expect(again.queued).toEqual([]);
    } finally {
      await customerAction(ids.carol, 'grant');
    }
  });
});

describe('over the REST API', () => {
  it("a public comment through Atlassian's REST API is mailed like one from the screens; an internal one is not", async () => {
    const token = ok(await app.inject({ method: 'POST', url: '/api/profile/tokens', headers: as(sam), payload: { label: 'notifications' } }), 201).json().token as string;
    const basic = { authorization: `Basic ${Buffer.from(`agent@acme.test:${token}`).toString('base64')}` };
    const rest = (body: string, isPublic: boolean) =>
      app.inject({ method: 'POST', url: '/s/acme/rest/servicedeskapi/request/HELP-2/comment', headers: basic, payload: { body, public: isPublic } }).then((r) => ok(r, 201));
    const publicOne = await delivered(() => rest('Answered over REST.', true));
    expect(publicOne.queued).toEqual(['alice@customer.test', 'bob@customer.test', 'carol@customer.test']);
    expect(publicOne.to('bob@customer.test').text).toContain('Answered over REST.');
    const internal = await delivered(() => rest('Internal over REST.', false));
    expect(internal.queued).toEqual([]);
  });
});

describe('revoked and deleted accounts (R1, R3)', () => {
  it('a revoked reporter is never mailed; a revoked participant gets nothing while revoked and is mailed again after a grant', async () => {
    const toDave = await delivered(() => comment(sam, 'HELP-4', 'Drop it at the front desk.'));
    expect(toDave.queued).toEqual([]);

    await customerAction(ids.bob, 'revoke');
    const whileRevoked = await delivered(() => comment(sam, 'HELP-1', 'Still looking into it.'));
    expect(whileRevoked.queued).toEqual(['alice@customer.test']);

    await customerAction(ids.bob, 'grant');
    const afterGrant = await delivered(() => comment(sam, 'HELP-1', 'Fixed.'));
    expect(afterGrant.queued).toEqual(['alice@customer.test', 'bob@customer.test']);
  });

  it('R3: a mail queued before its recipient was revoked is cancelled at delivery, never sent', async () => {
    await smtp.down({ dropConnections: true });
    const before = await lastOutboxId();
    await comment(sam, 'HELP-1', 'Queued while the mail server is down.');
    const rows = await t.db.selectFrom('outbox').select(['id', 'to_address']).where('id', '>', String(before)).execute();
    expect(rows.map((r) => r.to_address).sort()).toEqual(['alice@customer.test', 'bob@customer.test']);
    await firstAttemptFailed(rows.find((r) => r.to_address === 'bob@customer.test')!.id);
    // revoked in the database directly, as R3 asks
    await t.db.updateTable('accounts').set({ status: 'revoked' }).where('account_id', '=', ids.bob).execute();
    await smtp.up();
    const bobsRow = rows.find((r) => r.to_address === 'bob@customer.test')!;
    await eventually(async () => {
      const row = await t.db.selectFrom('outbox').select(['status', 'last_error']).where('id', '=', bobsRow.id).executeTakeFirstOrThrow();
      expect(row.status).toBe('cancelled');
    });
    expect(smtp.received.some((m) => m.messageId === `<outbox-${bobsRow.id}@localhost>`)).toBe(false);
    await t.db.updateTable('accounts').set({ status: 'active' }).where('account_id', '=', ids.bob).execute();
  });

  it('a deleted participant is never mailed', async () => {
    const frank = ok(
      await app.inject({ method: 'POST', url: '/s/acme/api/agent/projects/HELP/customers/new', headers: as(sam), payload: { displayName: 'Frank Newman', email: 'frank@customer.test' } }),
      201,
    ).json().accountId as string;
    const added = await delivered(() =>
      app.inject({ method: 'POST', url: '/s/acme/api/portal/requests/HELP-3/participants', headers: as(sam), payload: { accountIds: [frank] } }).then((r) => ok(r)),
    );
    expect(added.queued).toEqual(['frank@customer.test']);
    ok(await app.inject({ method: 'DELETE', url: `/api/admin/sites/acme/customers/${encodeURIComponent(frank)}`, headers: as(ada) }), 204);
    const after = await delivered(() => comment(sam, 'HELP-3', 'Monitor ordered.'));
    expect(after.queued).not.toContain('frank@customer.test');
  });
});

describe('strangers to the site (T1)', () => {
  it("T1: a staff member of another organization named on a request (as data from before the people rules could leave) is not mailed about it", async () => {
    const sid = await accountIdOf(t.db, 'siteadmin@globex.test', null);
    const site = (await t.db.selectFrom('sites').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow()).id;
    await t.db.insertInto('request_participants').values({ site_id: site, request_id: await requestId('HELP-3'), account_id: sid }).execute();
    try {
      const result = await delivered(() => comment(sam, 'HELP-3', 'Only for the people of Acme.'));
      expect(result.queued).not.toContain('siteadmin@globex.test');
      expect(result.queued).toContain('carol@customer.test');
    } finally {
      await t.db.deleteFrom('request_participants').where('account_id', '=', sid).execute();
    }
  });
});

describe('unsubscribing from a request', () => {
  it("one click from List-Unsubscribe stops a request's mail without login; the help center's page shows it and turns it back on", async () => {
    const first = await delivered(() => comment(sam, 'HELP-1', 'One more question.'));
    const mail = first.to('alice@customer.test');
    const oneClick = /^<(.+)>$/.exec(mail.header('List-Unsubscribe'))![1];
    const token = unsubscribeToken(mail);
    expect(new URL(oneClick).searchParams.get('token')).toBe(token);

    const state = ok(await app.inject({ method: 'GET', url: `/s/acme/api/portal/unsubscribe?token=${token}` }));
    expect(state.json()).toEqual({ requestKey: 'HELP-1', muted: false });
    expect(state.headers['cache-control']).toBe('no-store');

    // what a mail program sends (RFC 8058): a form POST, no cookie, no CSRF token
    const clicked = await app.inject({
      method: 'POST',
      url: new URL(oneClick).pathname + new URL(oneClick).search,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    ok(clicked);
    expect(clicked.json()).toEqual({ requestKey: 'HELP-1', muted: true });

    const muted = await delivered(() => comment(sam, 'HELP-1', 'Alice stopped listening.'));
    expect(muted.queued).toEqual(['bob@customer.test']);
    // only HELP-1: her other requests still mail her
    const other = await delivered(() => comment(sam, 'HELP-2', 'Drive fixed.'));
    expect(other.queued).toContain('alice@customer.test');

    // the help center's page turns it back on (JSON from this origin, like login)
    const resumed = await app.inject({ method: 'PUT', url: '/s/acme/api/portal/unsubscribe', headers: { 'content-type': 'application/json' }, payload: { token, muted: false } });
    expect(ok(resumed).json()).toEqual({ requestKey: 'HELP-1', muted: false });
    const again = await delivered(() => comment(sam, 'HELP-1', 'Welcome back.'));
    expect(again.queued).toEqual(['alice@customer.test', 'bob@customer.test']);
  });

  it('a mail queued before the recipient unsubscribed is not sent', async () => {
    await smtp.down({ dropConnections: true });
    const before = await lastOutboxId();
    await comment(sam, 'HELP-1', 'Queued, then unsubscribed.');
    const row = await t.db.selectFrom('outbox').select(['id', 'body']).where('id', '>', String(before)).where('to_address', '=', 'alice@customer.test').executeTakeFirstOrThrow();
    const token = /unsubscribe\?token=([A-Za-z0-9_.-]+)/.exec(row.body)![1];
    await firstAttemptFailed(row.id);
    ok(await app.inject({ method: 'PUT', url: '/s/acme/api/portal/unsubscribe', headers: { 'content-type': 'application/json' }, payload: { token, muted: true } }));
    await smtp.up();
    await eventually(async () => {
      expect((await t.db.selectFrom('outbox').select('status').where('id', '=', row.id).executeTakeFirstOrThrow()).status).toBe('cancelled');
    });
    ok(await app.inject({ method: 'PUT', url: '/s/acme/api/portal/unsubscribe', headers: { 'content-type': 'application/json' }, payload: { token, muted: false } }));
  });

  it('R7: a forged, altered or other-site token is refused alike (400), as is the token of a revoked recipient until a grant; a one-click POST without its body is refused', async () => {
    const mail = (await delivered(() => comment(sam, 'HELP-2', 'Token check.'))).to('bob@customer.test');
    const token = unsubscribeToken(mail);
    const [payload, signature] = token.split('.');
    const forged = `${Buffer.from(`${await requestId('HELP-1')}.${ids.bob}`).toString('base64url')}.${signature}`;
    for (const bad of ['nonsense', `${payload}.${signature.slice(0, -2)}xx`, forged, `${payload}`]) {
      const res = await app.inject({ method: 'GET', url: `/s/acme/api/portal/unsubscribe?token=${encodeURIComponent(bad)}` });
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().errorMessages).toEqual(['This link is no longer valid.']);
    }
    expect((await app.inject({ method: 'GET', url: `/s/globex/api/portal/unsubscribe?token=${token}` })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: `/s/acme/api/portal/unsubscribe?token=${'x'.repeat(5000)}` })).statusCode).toBe(400);

    await customerAction(ids.bob, 'revoke');
    const whileRevoked = await app.inject({ method: 'GET', url: `/s/acme/api/portal/unsubscribe?token=${token}` });
    expect(whileRevoked.statusCode).toBe(400);
    expect(whileRevoked.json().errorMessages).toEqual(['This link is no longer valid.']);
    await customerAction(ids.bob, 'grant');
    expect(ok(await app.inject({ method: 'GET', url: `/s/acme/api/portal/unsubscribe?token=${token}` })).json().muted).toBe(false);

    const noBody = await app.inject({ method: 'POST', url: `/s/acme/api/portal/unsubscribe?token=${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'x=1' });
    expect(noBody.statusCode).toBe(400);
    const json = await app.inject({ method: 'POST', url: `/s/acme/api/portal/unsubscribe?token=${token}`, headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(json.statusCode).toBe(400);
    const crossSite = await app.inject({ method: 'PUT', url: '/s/acme/api/portal/unsubscribe', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, payload: { token, muted: true } });
    expect(crossSite.statusCode).toBe(403);
    expect(ok(await app.inject({ method: 'GET', url: `/s/acme/api/portal/unsubscribe?token=${token}` })).json().muted).toBe(false);
  });
});

describe("the site's template", () => {
  const url = '/api/admin/sites/acme/notification-template';

  it('an admin edits the template, previews it, and the next mail is written from it; a reset brings the built-in one back', async () => {
    const current = ok(await app.inject({ method: 'GET', url, headers: { cookie: ada.cookie } })).json();
    expect(current.isDefault).toBe(true);
    const template = {
      subject: '{{request.key}} at {{site.name}}: news',
      text: 'Hi {{recipient.name}}!{{#commented}} {{actor.name}} wrote: {{comment.body}}{{/commented}} See {{request.url}} — stop: {{unsubscribeUrl}}',
      html: '<p>Hi {{recipient.name}}!</p>{{#commented}}<p>{{comment.body}}</p>{{/commented}}<a href="{{request.url}}">open</a>',
    };
    const preview = ok(await app.inject({ method: 'POST', url: `${url}/preview`, headers: as(ada), payload: { template, event: 'commented' } })).json();
    expect(preview.subject).toBe('HELP-42 at Acme Support: news');
    expect(preview.text).toContain('Hi Alex Customer! Sam Agent wrote: We have ordered a new drum.');
    expect(preview.html).toContain('<p>Hi Alex Customer!</p>');

    const saved = ok(await app.inject({ method: 'PUT', url, headers: as(ada), payload: template })).json();
    expect(saved).toMatchObject({ ...template, isDefault: false });

    const result = await delivered(() => comment(sam, 'HELP-2', 'Templated & <fine>'));
    const mail = result.to('bob@customer.test');
    expect(mail.subject).toBe('HELP-2 at Acme Support: news');
    expect(mail.text).toMatch(/^Hi Bob Builder! Sam Agent wrote: Templated & <fine> See http:\/\/localhost/);
    expect(mail.html).toContain('<p>Templated &#38; &#60;fine&#62;</p>');

    const audit = await t.db.selectFrom('audit_events').select('action').where('action', 'like', 'site.notification_template.%').execute();
    expect(audit.map((a) => a.action)).toEqual(['site.notification_template.changed']);

    expect(ok(await app.inject({ method: 'DELETE', url, headers: as(ada) })).json().isDefault).toBe(true);
    const back = await delivered(() => comment(sam, 'HELP-2', 'Default again.'));
    expect(back.to('bob@customer.test').subject).toBe('[Acme Support] HELP-2: Shared drive is read-only');
  });

  it('a template that is broken, empty, or asks for unescaped HTML is refused with 400 naming the part', async () => {
    const base = { subject: 'x', text: 'y', html: '<p>z</p>' };
    const cases: Array<[object, string]> = [
      [{ ...base, html: '<p>{{{comment.body}}}</p>' }, 'html'],
      [{ ...base, html: '<p>{{&comment.body}}</p>' }, 'html'],
      [{ ...base, text: '{{#commented}}unclosed' }, 'text'],
      [{ ...base, subject: '   ' }, 'subject'],
      [{ ...base, text: '{{> partial}}' }, 'text'],
    ];
    for (const [payload, part] of cases) {
      for (const res of [
        await app.inject({ method: 'PUT', url, headers: as(ada), payload }),
        await app.inject({ method: 'POST', url: `${url}/preview`, headers: as(ada), payload: { template: payload, event: 'created' } }),
      ]) {
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
        expect(Object.keys(res.json().errors)).toEqual([part]);
      }
    }
    expect((await app.inject({ method: 'PUT', url, headers: as(ada), payload: { ...base, extra: 1 } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'PUT', url, headers: as(ada), payload: { ...base, html: 'x'.repeat(60_000) } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: `${url}/preview`, headers: as(ada), payload: { template: base, event: 'nope' } })).statusCode).toBe(400);
    expect(ok(await app.inject({ method: 'GET', url, headers: { cookie: ada.cookie } })).json().isDefault).toBe(true);
  });

  it('R10: only the admins of the site edit it: an agent gets 403, a customer and another organization 404, a write without the CSRF token 403', async () => {
    const payload = { subject: 'x', text: 'y', html: 'z' };
    expect((await app.inject({ method: 'GET', url, headers: { cookie: sam.cookie } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'PUT', url, headers: as(sam), payload })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url, headers: { cookie: greta.cookie } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: `${url}/preview`, headers: as(greta), payload: { template: payload, event: 'created' } })).statusCode).toBe(404);
    expect([401, 404]).toContain((await app.inject({ method: 'GET', url, headers: { cookie: alice.cookie } })).statusCode);
    expect((await app.inject({ method: 'PUT', url, headers: { cookie: ada.cookie }, payload })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url })).statusCode).toBe(401);
    expect(ok(await app.inject({ method: 'GET', url, headers: { cookie: ada.cookie } })).json().isDefault).toBe(true);
  });
});

describe('delivery', () => {
  it('a notification is retried until the SMTP server takes it', async () => {
    await smtp.down({ dropConnections: true });
    const before = await lastOutboxId();
    await comment(sam, 'HELP-2', 'Sent once the server is back.');
    const row = await t.db.selectFrom('outbox').select('id').where('id', '>', String(before)).where('to_address', '=', 'bob@customer.test').executeTakeFirstOrThrow();
    await eventually(async () => {
      const r = await t.db.selectFrom('outbox').select(['status', 'attempts', 'last_error']).where('id', '=', row.id).executeTakeFirstOrThrow();
      expect(r.attempts).toBeGreaterThanOrEqual(1);
      expect(r.status).toBe('queued');
      expect(r.last_error).not.toBeNull();
    });
    await smtp.up();
    await eventually(async () => {
      const r = await t.db.selectFrom('outbox').select(['status', 'attempts']).where('id', '=', row.id).executeTakeFirstOrThrow();
      expect(r.status).toBe('sent');
      expect(r.attempts).toBeGreaterThanOrEqual(2);
    });
    const mail = smtp.received.find((m) => m.messageId === `<outbox-${row.id}@localhost>`);
    expect(mail?.text).toContain('Sent once the server is back.');
  });
});
