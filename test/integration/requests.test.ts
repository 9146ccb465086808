import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdOf, as, createTestApp, loginCustomer, loginStaff, type Session, type TestApp } from '../support/app.js';

// Raising, sharing and commenting on requests through the help center, and the user picker the
// forms use.

let t: TestApp;
let alice: Session, bob: Session, carol: Session, sam: Session, erin: Session;
let helpId: string, getItHelpId: string, hardwareId: string, affectedUserKey: string, approverKey: string;
let ids: Record<'alice' | 'bob' | 'carol' | 'dave' | 'globexAlice' | 'sam', string>;

const url = (path: string, site = 'acme') => `/s/${site}/api/portal${path}`;

async function raise(session: Session, payload: Record<string, unknown>) {
  const res = await t.app.inject({ method: 'POST', url: url('/requests'), headers: as(session), payload });
  return { status: res.statusCode, body: res.json() };
}

async function counts() {
  const [r, p, v, n] = await Promise.all([
    t.db.selectFrom('requests').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    t.db.selectFrom('request_participants').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    t.db.selectFrom('request_user_values').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    t.db.selectFrom('projects').select('next_request_number').where('key', '=', 'HELP').executeTakeFirstOrThrow(),
  ]);
  return { requests: r.n, participants: p.n, values: v.n, next: n.next_request_number };
}

async function view(session: Session, key: string) {
  const res = await t.app.inject({ method: 'GET', url: url(`/requests/${key}`), headers: as(session) });
  return { status: res.statusCode, body: res.json() };
}

beforeAll(async () => {
  t = await createTestApp();
  [alice, bob, carol, erin] = await Promise.all([
    loginCustomer(t.app, 'acme', 'alice@customer.test'),
    loginCustomer(t.app, 'acme', 'bob@customer.test'),
    loginCustomer(t.app, 'acme', 'carol@customer.test'),
    loginCustomer(t.app, 'globex', 'erin@customer.test'),
  ]);
  sam = await loginStaff(t.app, 'agent@acme.test');
  helpId = String((await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow()).id);
  getItHelpId = String((await t.db.selectFrom('request_types').select('id').where('name', '=', 'Get IT help').executeTakeFirstOrThrow()).id);
  hardwareId = String((await t.db.selectFrom('request_types').select('id').where('name', '=', 'Request new hardware').executeTakeFirstOrThrow()).id);
  affectedUserKey = `customfield_${(await t.db.selectFrom('custom_fields').select('id').where('name', '=', 'Affected user').executeTakeFirstOrThrow()).id}`;
  approverKey = `customfield_${(await t.db.selectFrom('custom_fields').select('id').where('name', '=', 'Approver').executeTakeFirstOrThrow()).id}`;
  ids = {
    alice: await accountIdOf(t.db, 'alice@customer.test', 'acme'),
    bob: await accountIdOf(t.db, 'bob@customer.test', 'acme'),
    carol: await accountIdOf(t.db, 'carol@customer.test', 'acme'),
    dave: await accountIdOf(t.db, 'dave@customer.test', 'acme'),
    globexAlice: await accountIdOf(t.db, 'alice@customer.test', 'globex'),
    sam: await accountIdOf(t.db, 'agent@acme.test', null),
  };
});
afterAll(() => t?.close());

describe('raising a request', () => {
  it('Alice raises "Get IT help" naming Bob as Affected user and sharing with Carol; it is numbered HELP-5', async () => {
    const r = await raise(alice, {
      projectId: helpId,
      requestTypeId: getItHelpId,
      fields: { summary: '  Bob cannot print  ', description: 'The printer says offline.', [affectedUserKey]: ids.bob },
      participants: [ids.carol],
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ key: 'HELP-5', summary: 'Bob cannot print', status: 'Open', description: 'The printer says offline.' });
    expect(r.body.reporter).toMatchObject({ accountId: ids.alice, label: 'Alice Example' });
    expect(r.body.participants.map((p: { label: string }) => p.label)).toEqual(['Carol Customer']);
    expect(r.body.fields).toEqual([
      { fieldKey: affectedUserKey, label: 'Affected user', type: 'user', values: [expect.objectContaining({ accountId: ids.bob, label: 'Bob Builder' })] },
    ]);
    const shared = await t.app.inject({ method: 'GET', url: url('/requests?filter=shared'), headers: as(carol) });
    expect(shared.json().values.map((x: { key: string; reporter: { label: string } }) => [x.key, x.reporter.label])).toEqual([['HELP-5', 'Alice Example']]);
    expect((await view(carol, 'HELP-5')).status).toBe(200);
    expect((await view(bob, 'HELP-5')).status).toBe(404); // being the affected user does not share it
  });

  it('numbers concurrent requests without gaps or duplicates', async () => {
    const before = await counts();
    const results = await Promise.all(
      [1, 2, 3].map((i) => raise(i === 2 ? bob : alice, { projectId: helpId, requestTypeId: getItHelpId, fields: { summary: `Parallel ${i}` } })),
    );
    const keys = results.map((r) => r.body.key).sort();
    const n = before.next;
    expect(keys).toEqual([`HELP-${n}`, `HELP-${n + 1}`, `HELP-${n + 2}`].sort());
    expect((await counts()).next).toBe(n + 3);
  });

  it('requires the required fields and names the field, writing nothing', async () => {
    const before = await counts();
    const r = await raise(alice, { projectId: helpId, requestTypeId: getItHelpId, fields: { summary: '   ', description: 'x' } });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual({ summary: 'Summary is required.' });
    const unknown = await raise(alice, { projectId: helpId, requestTypeId: getItHelpId, fields: { summary: 'x', [approverKey]: ids.bob } });
    expect(unknown.status).toBe(400);
    expect(Object.keys(unknown.body.errors)).toEqual([approverKey]);
    const badType = await raise(alice, { projectId: helpId, requestTypeId: '424242', fields: { summary: 'x' } });
    expect(badType.status).toBe(400);
    expect(Object.keys(badType.body.errors)).toEqual(['requestTypeId']);
    const two = await raise(alice, { projectId: helpId, requestTypeId: getItHelpId, fields: { summary: 'x', [affectedUserKey]: [ids.bob, ids.carol] } });
    expect(two.status).toBe(400);
    expect(two.body.errorMessages[0]).toBe('Affected user takes one person.');
    const extra = await raise(alice, { projectId: helpId, requestTypeId: getItHelpId, fields: { summary: 'x' }, priority: 'high' });
    expect(extra.status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('refuses Dave (revoked) as a new Affected user or participant with a 400 naming the field, writing nothing', async () => {
    const before = await counts();
    const asValue = await raise(alice, { projectId: helpId, requestTypeId: getItHelpId, fields: { summary: 'x', [affectedUserKey]: ids.dave } });
    expect(asValue.status).toBe(400);
    expect(asValue.body.errors[affectedUserKey]).toBe("'Affected user': Dave Departed is deactivated and cannot be selected.");
    const asParticipant = await raise(alice, { projectId: helpId, requestTypeId: getItHelpId, fields: { summary: 'x' }, participants: [ids.carol, ids.dave] });
    expect(asParticipant.status).toBe(400);
    expect(asParticipant.body.errors.requestParticipants).toContain("'Share with'");
    expect(asParticipant.body.errors.requestParticipants).toContain('Dave Departed');
    expect(await counts()).toEqual(before); // not even a request number was used
  });

  it('refuses people a customer-facing field cannot hold: another site\'s customer, staff, unknown ids', async () => {
    for (const id of [ids.globexAlice, ids.sam, 'qm:00000000-0000-0000-0000-000000000000']) {
      const r = await raise(alice, { projectId: helpId, requestTypeId: getItHelpId, fields: { summary: 'x', [affectedUserKey]: id } });
      expect(r.status, id).toBe(400);
      expect(r.body.errors[affectedUserKey]).toContain("'Affected user'");
    }
  });

  it('lets only agents raise on behalf of someone else', async () => {
    const byCustomer = await raise(alice, { projectId: helpId, requestTypeId: getItHelpId, fields: { summary: 'For Bob' }, onBehalfOf: ids.bob });
    expect(byCustomer.status).toBe(403);
    const byAgent = await raise(sam, { projectId: helpId, requestTypeId: getItHelpId, fields: { summary: 'For Bob' }, onBehalfOf: ' BOB@customer.test ' });
    expect(byAgent.status).toBe(201);
    expect(byAgent.body.reporter.label).toBe('Bob Builder');
    expect((await view(bob, byAgent.body.key)).status).toBe(200);
    const forDave = await raise(sam, { projectId: helpId, requestTypeId: getItHelpId, fields: { summary: 'For Dave' }, onBehalfOf: ids.dave });
    expect(forDave.status).toBe(400);
    expect(Object.keys(forDave.body.errors)).toEqual(['raiseOnBehalfOf']);
  });

  it('refuses a portal the customer may not use (404) and a request with a cookie but no CSRF token (403)', async () => {
    const supId = String((await t.db.selectFrom('projects').select('id').where('key', '=', 'SUP').executeTakeFirstOrThrow()).id);
    expect((await raise(alice, { projectId: supId, requestTypeId: getItHelpId, fields: { summary: 'x' } })).status).toBe(404);
    const noCsrf = await t.app.inject({
      method: 'POST', url: url('/requests'), headers: { cookie: alice.cookie },
      payload: { projectId: helpId, requestTypeId: getItHelpId, fields: { summary: 'csrf' } },
    });
    expect(noCsrf.statusCode).toBe(403);
  });
});

describe('stored values of a revoked customer', () => {
  it('stay on the request, labelled "(Deactivated)", while other people are added; re-adding is not a new value', async () => {
    const help1 = await t.db.selectFrom('requests').select(['id', 'site_id']).where('key', '=', 'HELP-1').executeTakeFirstOrThrow();
    // Dave was shared into HELP-1 before his access was revoked
    await t.db.insertInto('request_participants').values({ site_id: help1.site_id, request_id: help1.id, account_id: ids.dave }).execute();
    const add = await t.app.inject({ method: 'POST', url: url('/requests/HELP-1/participants'), headers: as(alice), payload: { accountIds: [ids.carol, ids.dave] } });
    expect(add.statusCode).toBe(200);
    expect(add.json().added.map((p: { label: string }) => p.label)).toEqual(['Carol Customer']);
    const r = await view(alice, 'HELP-1');
    expect(r.body.participants.map((p: { label: string }) => p.label)).toEqual(['Bob Builder', 'Dave Departed (Deactivated)', 'Carol Customer']);
    expect(r.body.fields[0].values.map((p: { label: string }) => p.label)).toEqual(['Bob Builder']);
  });

  it('a revoked customer cannot be shared into a request (400), and nothing changes', async () => {
    const before = await counts();
    const r = await t.app.inject({ method: 'POST', url: url('/requests/HELP-2/participants'), headers: as(bob), payload: { accountIds: [ids.dave] } });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors.accountIds).toBe("'Request participants': Dave Departed is deactivated and cannot be selected.");
    expect(await counts()).toEqual(before);
  });

  it('a picker value of a revoked customer shows "(Deactivated)"', async () => {
    const help3 = await t.db.selectFrom('requests').select('id').where('key', '=', 'HELP-3').executeTakeFirstOrThrow();
    await t.db.updateTable('request_user_values').set({ account_id: ids.dave }).where('request_id', '=', help3.id).execute();
    const r = await view(carol, 'HELP-3');
    expect(r.body.fields).toEqual([
      { fieldKey: approverKey, label: 'Approver', type: 'user', values: [expect.objectContaining({ label: 'Dave Departed (Deactivated)', active: false })] },
    ]);
    // a comment on the request leaves the stored value as it is
    await t.app.inject({ method: 'POST', url: url('/requests/HELP-3/comments'), headers: as(carol), payload: { body: 'Any news?' } });
    expect((await view(carol, 'HELP-3')).body.fields[0].values[0].accountId).toBe(ids.dave);
  });
});

describe('comments', () => {
  it('customers add public comments and never see internal notes; agents see both', async () => {
    const pub = await t.app.inject({ method: 'POST', url: url('/requests/HELP-2/comments'), headers: as(alice), payload: { body: 'Still read-only today.' } });
    expect(pub.statusCode).toBe(201);
    expect(pub.json()).toMatchObject({ body: 'Still read-only today.', public: true, author: { label: 'Alice Example' } });
    const internalByCustomer = await t.app.inject({ method: 'POST', url: url('/requests/HELP-2/comments'), headers: as(alice), payload: { body: 'secret', public: false } });
    expect(internalByCustomer.statusCode).toBe(403);
    const note = await t.app.inject({ method: 'POST', url: url('/requests/HELP-2/comments'), headers: as(sam), payload: { body: 'Check the ACL on the share.', public: false } });
    expect(note.statusCode).toBe(201);
    const reply = await t.app.inject({ method: 'POST', url: url('/requests/HELP-2/comments'), headers: as(sam), payload: { body: 'We are on it.' } });
    expect(reply.statusCode).toBe(201);

    const customerView = (await view(bob, 'HELP-2')).body.comments.map((c: { body: string; author: { label: string } }) => [c.author.label, c.body]);
    expect(customerView).toEqual([['Alice Example', 'Still read-only today.'], ['Sam Agent', 'We are on it.']]);
    const agentView = (await view(sam, 'HELP-2')).body.comments.map((c: { body: string }) => c.body);
    expect(agentView).toEqual(['Still read-only today.', 'Check the ACL on the share.', 'We are on it.']);
    const list = await t.app.inject({ method: 'GET', url: url('/requests/HELP-2/comments'), headers: as(bob) });
    expect(list.json()).toMatchObject({ total: 2, isLastPage: true });
  });

  it('refuses empty comments and comments on requests the customer cannot see', async () => {
    const empty = await t.app.inject({ method: 'POST', url: url('/requests/HELP-2/comments'), headers: as(alice), payload: { body: '   ' } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors).toEqual({ body: 'The comment cannot be empty.' });
    const hidden = await t.app.inject({ method: 'POST', url: url('/requests/HELP-3/comments'), headers: as(bob), payload: { body: 'hi' } });
    expect(hidden.statusCode).toBe(404);
  });
});

describe('the user picker endpoint', () => {
  const pick = async (session: Session | null, query: string, extra = '', site = 'acme') => {
    const res = await t.app.inject({ method: 'GET', url: `/s/${site}/api/users/picker?query=${encodeURIComponent(query)}${extra}`, headers: session ? as(session) : {} });
    return { status: res.statusCode, body: res.json() };
  };
  const labels = (r: { body: { users: { label: string }[] } }) => r.body.users.map((u) => u.label);

  it('offers customers of the site by word prefix, with labels, and never Dave', async () => {
    // in HELP's portal (its customers find anyone in the project: docs/product.md#customer-sharing)
    const inHelp = `&projectId=${helpId}`;
    const bobs = await pick(alice, 'Bob', inHelp);
    expect(bobs.status).toBe(200);
    // a customer sees other people by name only (T2): no email
    expect(bobs.body.users).toEqual([{ accountId: ids.bob, displayName: 'Bob Builder', label: 'Bob Builder' }]);
    expect(labels(await pick(alice, 'Dav', `&fieldKey=${affectedUserKey}${inHelp}`))).toEqual([]);
    expect(labels(await pick(alice, 'dave@customer.test', `&fieldKey=participants${inHelp}`))).toEqual([]);
    expect(labels(await pick(sam, 'Dav', '&fieldKey=reporter'))).toEqual([]);
    expect(labels(await pick(alice, 'customer.test', `&limit=2${inHelp}`))).toHaveLength(0); // emails match from their start only
    expect(labels(await pick(alice, 'c', `&exclude=${encodeURIComponent(ids.carol)}${inHelp}`))).toEqual([]);
    // outside a portal a customer finds nobody: the site's customer list is not theirs to browse
    expect(labels(await pick(alice, 'Bob'))).toEqual([]);
  });

  it('offers staff only to staff filling Reporter or participants, never to customers', async () => {
    expect(labels(await pick(alice, 'sam', '&fieldKey=reporter'))).toEqual([]);
    expect(labels(await pick(sam, 'sam', '&fieldKey=reporter'))).toEqual(['Sam Agent']);
    expect(labels(await pick(sam, 'sam', `&fieldKey=${affectedUserKey}`))).toEqual([]);
    const unknown = await pick(sam, 'sam', '&fieldKey=customfield_99999');
    expect(unknown.status).toBe(400);
  });

  it('keeps sites apart and needs standing on the site', async () => {
    expect(labels(await pick(erin, 'bob', '', 'globex'))).toEqual([]);
    // on SUP-1's page (SUP keeps the default sharing), Erin finds Alice, a participant
    const supId = String((await t.db.selectFrom('projects').select('id').where('key', '=', 'SUP').executeTakeFirstOrThrow()).id);
    expect(labels(await pick(erin, 'ali', `&fieldKey=participants&projectId=${supId}&requestKey=SUP-1`, 'globex'))).toEqual(['Alice Example']);
    expect(labels(await pick(erin, 'ali', '', 'globex'))).toEqual([]);
    expect((await pick(null, 'bob')).status).toBe(401);
    const greta = await loginStaff(t.app, 'admin@globex.test');
    expect((await pick(greta, 'bob')).status).toBe(404);
    expect(labels(await pick(await loginStaff(t.app, 'admin@acme.test'), 'bob'))).toEqual(['Bob Builder']);
  });
});

describe('my requests in the help center', () => {
  it('lists what the customer raised newest first, and a comment does not move a request', async () => {
    const keysCreated = async () =>
      (await t.app.inject({ method: 'GET', url: url('/requests?filter=created'), headers: as(carol) })).json().values.map((r: { key: string }) => r.key);
    const older = await raise(carol, { projectId: helpId, requestTypeId: getItHelpId, fields: { summary: 'The older one', description: 'First.' } });
    const newer = await raise(carol, { projectId: helpId, requestTypeId: getItHelpId, fields: { summary: 'The newer one', description: 'Second.' } });
    expect([older.status, newer.status]).toEqual([201, 201]);
    const [a, b] = [older.body.key as string, newer.body.key as string];
    expect((await keysCreated()).slice(0, 2)).toEqual([b, a]);
    const comment = await t.app.inject({ method: 'POST', url: url(`/requests/${a}/comments`), headers: as(carol), payload: { body: 'Any news?' } });
    expect(comment.statusCode).toBe(201);
    expect((await keysCreated()).slice(0, 2)).toEqual([b, a]);
  });
});
