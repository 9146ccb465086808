import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdOf, createTestApp, type TestApp } from '../support/app.js';
import {
  customerAuth, expectArticle, expectComment, expectCustomerRequest, expectError, expectJsmUser, expectPage, json, staffAuth, type Headers,
} from './rest-helpers.js';

let t: TestApp;
let sam: Headers;
let greta: Headers;
let alice: Headers;
let bob: Headers;
let carol: Headers;
let erin: Headers;
const ids: Record<string, string> = {};
let help: string;
let getItHelp: string;
let affected: string; // customfield_<id> of "Affected user"

beforeAll(async () => {
  t = await createTestApp();
  [sam, greta] = await Promise.all([staffAuth(t, 'agent@acme.test'), staffAuth(t, 'admin@globex.test')]);
  alice = await customerAuth(t, 'acme', 'alice@customer.test');
  bob = await customerAuth(t, 'acme', 'bob@customer.test');
  carol = await customerAuth(t, 'acme', 'carol@customer.test');
  erin = await customerAuth(t, 'globex', 'erin@customer.test');
  for (const name of ['alice', 'bob', 'carol', 'dave']) ids[name] = await accountIdOf(t.db, `${name}@customer.test`, 'acme');
  help = (await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow()).id;
  getItHelp = (await t.db.selectFrom('request_types').select('id').where('name', '=', 'Get IT help').executeTakeFirstOrThrow()).id;
  affected = `customfield_${(await t.db.selectFrom('custom_fields').select('id').where('name', '=', 'Affected user').executeTakeFirstOrThrow()).id}`;
});
afterAll(() => t?.close());

const get = (url: string, headers: Headers = {}) => t.app.inject({ method: 'GET', url, headers });
const send = (method: 'POST' | 'DELETE', url: string, headers: Headers, payload: unknown) =>
  t.app.inject({ method, url, headers, payload: payload as object });
const requestCount = async () => Number((await t.db.selectFrom('requests').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

describe('POST /rest/servicedeskapi/request', () => {
  it('raises a request with picker values and participants (201 CustomerRequestDTO)', async () => {
    const res = await send('POST', '/s/acme/rest/servicedeskapi/request', alice, {
      serviceDeskId: help,
      requestTypeId: getItHelp,
      requestFieldValues: { summary: 'Monitor flickers', description: 'Since Monday.', [affected]: ids.bob },
      requestParticipants: [ids.carol],
    });
    const r = json(res, 201);
    expectCustomerRequest(r);
    expect(r).toMatchObject({ issueKey: 'HELP-5', summary: 'Monitor flickers', requestTypeId: getItHelp, serviceDeskId: help });
    expect(r.reporter).toMatchObject({ accountId: ids.alice, displayName: 'Alice Example', active: true });
    expect(r.currentStatus).toMatchObject({ status: 'Open', statusCategory: 'NEW' });
    const pick = r.requestFieldValues.find((v: any) => v.fieldId === affected);
    expect(pick).toMatchObject({ label: 'Affected user', value: { accountId: ids.bob, displayName: 'Bob Builder', active: true } });
    expect(r.requestFieldValues.find((v: any) => v.fieldId === 'description')).toMatchObject({ value: 'Since Monday.', renderedValue: { html: '<p>Since Monday.</p>' } });
    expect(r._links.web).toBe(`http://localhost:80/s/acme/servicedesk/customer/portal/${help}/HELP-5`);
    expect(r._links.agent).toBe('http://localhost:80/s/acme/browse/HELP-5');
    // Carol now sees it
    expect(json(await get('/s/acme/rest/servicedeskapi/request/HELP-5', carol), 200).issueKey).toBe('HELP-5');
  });

  it('refuses Dave (revoked) as picker value, participant or reporter with 400 and creates nothing', async () => {
    const before = await requestCount();
    const base = { serviceDeskId: help, requestTypeId: getItHelp };
    expectError(await send('POST', '/s/acme/rest/servicedeskapi/request', alice, { ...base, requestFieldValues: { summary: 'x', [affected]: ids.dave } }), 400, /Dave Departed is deactivated/);
    expectError(await send('POST', '/s/acme/rest/servicedeskapi/request', alice, { ...base, requestFieldValues: { summary: 'x' }, requestParticipants: [ids.dave] }), 400, /deactivated/);
    expectError(await send('POST', '/s/acme/rest/servicedeskapi/request', sam, { ...base, requestFieldValues: { summary: 'x' }, raiseOnBehalfOf: ids.dave }), 400, /deactivated/);
    expectError(await send('POST', '/s/acme/rest/servicedeskapi/request', sam, { ...base, requestFieldValues: { summary: 'x' }, raiseOnBehalfOf: 'dave@customer.test' }), 400, /deactivated/);
    expect(await requestCount()).toBe(before);
  });

  it('lets agents raise on behalf of a customer by email; customers may not', async () => {
    const r = json(await send('POST', '/s/acme/rest/servicedeskapi/request', sam, {
      serviceDeskId: help, requestTypeId: getItHelp, requestFieldValues: { summary: 'Phone for Bob' }, raiseOnBehalfOf: 'bob@customer.test',
    }), 201);
    expect(r.reporter.accountId).toBe(ids.bob);
    expectError(await send('POST', '/s/acme/rest/servicedeskapi/request', alice, {
      serviceDeskId: help, requestTypeId: getItHelp, requestFieldValues: { summary: 'x' }, raiseOnBehalfOf: ids.bob,
    }), 403);
  });

  it('answers 400 for bad input and 404 for a desk of another organization', async () => {
    const before = await requestCount();
    const url = '/s/acme/rest/servicedeskapi/request';
    expectError(await send('POST', url, alice, { requestTypeId: getItHelp, requestFieldValues: { summary: 'x' } }), 400, /serviceDeskId/);
    expectError(await send('POST', url, alice, { serviceDeskId: help, requestFieldValues: { summary: 'x' } }), 400, /requestTypeId/);
    expectError(await send('POST', url, alice, { serviceDeskId: help, requestTypeId: getItHelp, requestFieldValues: {} }), 400, /Summary/);
    expectError(await send('POST', url, alice, { serviceDeskId: help, requestTypeId: getItHelp, requestFieldValues: { summary: 'x', priority: 'high' } }), 400, /priority/);
    expectError(await send('POST', url, alice, { serviceDeskId: help, requestTypeId: '999999', requestFieldValues: { summary: 'x' } }), 400);
    expectError(await send('POST', url, alice, { serviceDeskId: help, requestTypeId: getItHelp, requestFieldValues: { summary: 'x' }, isAdfRequest: true }), 400, /plain text/);
    expectError(await send('POST', url, alice, { serviceDeskId: help, requestTypeId: getItHelp, requestFieldValues: { summary: 'x' }, extra: 1 }), 400, /extra/);
    expectError(await t.app.inject({ method: 'POST', url, headers: { ...alice, 'content-type': 'application/json' }, payload: '' }), 400, /serviceDeskId/);
    expectError(await send('POST', url, greta, { serviceDeskId: help, requestTypeId: getItHelp, requestFieldValues: { summary: 'x' } }), 404);
    expect(await requestCount()).toBe(before);
  });
});

describe('GET /rest/servicedeskapi/request/{issueIdOrKey}', () => {
  it('answers the reporter and participants, by key or id; other customers, projects and orgs get 404', async () => {
    const byKey = json(await get('/s/acme/rest/servicedeskapi/request/HELP-1', alice), 200);
    expectCustomerRequest(byKey);
    expect(json(await get(`/s/acme/rest/servicedeskapi/request/${byKey.issueId}`, bob), 200).issueKey).toBe('HELP-1');
    expect(json(await get('/s/acme/rest/servicedeskapi/request/help-1', sam), 200).issueKey).toBe('HELP-1');
    expectError(await get('/s/acme/rest/servicedeskapi/request/HELP-1', carol), 404);
    expectError(await get('/s/acme/rest/servicedeskapi/request/HELP-1', greta), 404);
    expectError(await get('/s/globex/rest/servicedeskapi/request/HELP-1', greta), 404);
    expectError(await get('/s/globex/rest/servicedeskapi/request/SUP-1', sam), 404);
    expectError(await get('/s/acme/rest/servicedeskapi/request/HELP-999', sam), 404);
    expectError(await get('/s/acme/rest/servicedeskapi/request/HELP-1'), 401);
  });

  it('shows Dave as reporter of HELP-4 with his name and active:false', async () => {
    const r = json(await get('/s/acme/rest/servicedeskapi/request/HELP-4', sam), 200);
    expect(r.reporter).toMatchObject({ accountId: ids.dave, displayName: 'Dave Departed', active: false, emailAddress: 'dave@customer.test' });
  });

  it('applies every expand, sent repeated or as a comma list', async () => {
    for (const q of ['expand=participant,status,sla,requestType,serviceDesk,comment,action,attachment', 'expand=participant&expand=status,sla&expand=requestType&expand=serviceDesk&expand=comment&expand=action&expand=attachment']) {
      const r = json(await get(`/s/acme/rest/servicedeskapi/request/HELP-1?${q}`, sam), 200);
      expectCustomerRequest(r);
      expect(r._expands).toEqual([]);
      expect(r.participants.values.map((u: any) => u.displayName)).toEqual(['Bob Builder']);
      expect(r.status.values[0]).toMatchObject({ status: 'Open', statusCategory: 'NEW' });
      // Sam is an agent of HELP: the request's two SLA metrics (docs/product.md#slas)
      expect(r.sla).toMatchObject({ size: 2, isLastPage: true });
      expect(r.sla.values.map((m: any) => m.name)).toEqual(['Time to first response', 'Time to resolution']);
      expect(r.requestType).toMatchObject({ id: getItHelp, name: 'Get IT help', serviceDeskId: help });
      expect(r.serviceDesk).toMatchObject({ id: help, projectKey: 'HELP' });
      expect(r.actions).toEqual({ addAttachment: { allowed: false }, addComment: { allowed: true }, addParticipant: { allowed: true }, removeParticipant: { allowed: true } });
      expectPage(r.comments, expectComment);
    }
    const plain = json(await get('/s/acme/rest/servicedeskapi/request/HELP-1', sam), 200);
    expect(plain.participants).toBeUndefined();
    expect(plain._expands).toEqual(expect.arrayContaining(['participant', 'status', 'sla', 'comment']));
  });
});

describe('request participants', () => {
  const url = '/s/acme/rest/servicedeskapi/request/HELP-1/participant';

  it('lists, adds (200 with the added) and removes (200 with those remaining)', async () => {
    const list = expectPage(json(await get(url, alice), 200), expectJsmUser);
    expect(list.values.map((u: any) => u.accountId)).toEqual([ids.bob]);

    const added = expectPage(json(await send('POST', url, alice, { accountIds: [ids.carol, ids.bob] }), 200), expectJsmUser);
    expect(added.values.map((u: any) => u.accountId)).toEqual([ids.carol]); // Bob already was one
    expect(json(await get('/s/acme/rest/servicedeskapi/request/HELP-1', carol), 200).issueKey).toBe('HELP-1');

    const remaining = expectPage(json(await send('DELETE', url, alice, { accountIds: [ids.carol] }), 200), expectJsmUser);
    expect(remaining.values.map((u: any) => u.accountId)).toEqual([ids.bob]);
    expectError(await get('/s/acme/rest/servicedeskapi/request/HELP-1', carol), 404);
  });

  it('refuses Dave as a new participant, the reporter as a removal, and strangers', async () => {
    expectError(await send('POST', url, sam, { accountIds: [ids.dave] }), 400, /Dave Departed is deactivated/);
    expectError(await send('POST', url, sam, { accountIds: ['qm:00000000-0000-0000-0000-000000000000'] }), 400, /does not exist/);
    expectError(await send('DELETE', url, sam, { accountIds: [ids.alice] }), 400, /reporter/);
    expectError(await send('DELETE', url, sam, { accountIds: [ids.carol] }), 400, /not a participant/);
    expectError(await send('POST', url, carol, { accountIds: [ids.carol] }), 404);
    expectError(await send('POST', url, greta, { accountIds: [ids.carol] }), 404);
    for (const method of ['POST', 'DELETE'] as const) {
      expectError(await t.app.inject({ method, url, headers: { ...sam, 'content-type': 'application/json' }, payload: '' }), 400, /accountIds/);
    }
    expectError(await send('POST', url, sam, { accountIds: [] }), 400, /accountIds/);
    expect(json(await get(url, sam), 200).values.map((u: any) => u.accountId)).toEqual([ids.bob]);
  });
});

describe('request comments', () => {
  const url = '/s/acme/rest/servicedeskapi/request/HELP-2/comment';

  it('adds public replies and internal notes (201 CommentDTO); customers never see internal ones', async () => {
    const note = json(await send('POST', url, sam, { body: 'Checking the ACL.', public: false }), 201);
    expectComment(note);
    expect(note).toMatchObject({ body: 'Checking the ACL.', public: false, author: { displayName: 'Sam Agent' } });
    const reply = json(await send('POST', url, sam, { body: 'Fixed, please try again.', public: true }), 201);
    const thanks = json(await send('POST', url, bob, { body: 'Works, thanks!', public: true }), 201);
    expect(thanks.author.accountId).toBe(ids.bob);

    const agentView = expectPage(json(await get(url, sam), 200), expectComment);
    expect(agentView.values.map((c: any) => c.id)).toEqual([note.id, reply.id, thanks.id]);
    expect(json(await get(`${url}?internal=false`, sam), 200).values.map((c: any) => c.id)).toEqual([reply.id, thanks.id]);
    expect(json(await get(`${url}?public=false`, sam), 200).values.map((c: any) => c.id)).toEqual([note.id]);

    for (const customer of [bob, alice]) {
      expect(json(await get(url, customer), 200).values.map((c: any) => c.id)).toEqual([reply.id, thanks.id]);
      expect(json(await get(`${url}?public=false&internal=true`, customer), 200).values).toEqual([]);
    }
    const detail = json(await get('/s/acme/rest/servicedeskapi/request/HELP-2?expand=comment', bob), 200);
    expect(detail.comments.values.map((c: any) => c.id)).toEqual([reply.id, thanks.id]);

    const paged = expectPage(json(await get(`${url}?limit=2`, sam), 200), expectComment);
    expect(paged).toMatchObject({ size: 2, isLastPage: false });
    const rendered = json(await get(`${url}?expand=renderedBody`, sam), 200);
    expect(rendered.values[0].renderedBody).toEqual({ html: '<p>Checking the ACL.</p>' });
  });

  it('requires body and public; customers cannot write internal notes; strangers get 404', async () => {
    expectError(await send('POST', url, sam, { body: 'no flag' }), 400, /public/);
    expectError(await send('POST', url, sam, { body: '   ', public: true }), 400);
    expectError(await send('POST', url, bob, { body: 'secret', public: false }), 403);
    expectError(await send('POST', url, carol, { body: 'hi', public: true }), 404);
    expectError(await get(url, carol), 404);
    expectError(await get(url, greta), 404);
    expectError(await t.app.inject({ method: 'POST', url, headers: { ...sam, 'content-type': 'application/json' }, payload: '' }), 400, /public/);
  });
});

describe('GET /rest/servicedeskapi/knowledgebase/article', () => {
  const url = '/s/acme/rest/servicedeskapi/knowledgebase/article';

  it('finds articles by words of title or body, as a page of ArticleDTO', async () => {
    const page = expectPage(json(await get(`${url}?query=vpn`, alice), 200), expectArticle);
    expect(page.values.map((a: any) => a.title)).toEqual(['Reset your VPN password']);
    expect(page.values[0].source.type).toBe('confluence');
    expect(page.values[0].content.iframeSrc).toMatch(/^http:\/\/localhost:80\/s\/acme\/servicedesk\/customer\/article\/\d+$/);
    expect(json(await get(`${url}?query=printer%20offline`, sam), 200).values.map((a: any) => a.title)).toEqual(['Printer troubleshooting']);
  });

  it('highlights matches with @@@hl@@@ when highlight=true', async () => {
    const a = json(await get(`${url}?query=vpn&highlight=true`, alice), 200).values[0];
    expect(a.title).toBe('Reset your @@@hl@@@VPN@@@endhl@@@ password');
    expect(a.excerpt).toContain('@@@hl@@@VPN@@@endhl@@@');
    expect(json(await get(`${url}?query=vpn&highlight=false`, alice), 200).values[0].title).toBe('Reset your VPN password');
  });

  it('searches only the portals the caller may use, needs a query, and hides the site from other organizations', async () => {
    expect(json(await get(`${url}?query=billing`, alice), 200).values).toEqual([]);
    expect(json(await get('/s/globex/rest/servicedeskapi/knowledgebase/article?query=billing', erin), 200).values.map((a: any) => a.title)).toEqual(['Update your billing address']);
    expectError(await get(url, alice), 400, /query/);
    expectError(await get(`${url}?query=`, alice), 400, /query/);
    expectError(await get(`${url}?query=vpn`, greta), 404);
    expectError(await get(`${url}?query=vpn`), 401);
  });
});
