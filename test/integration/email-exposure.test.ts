import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdOf, as, createTestApp, loginCustomer, loginStaff, type Session, type TestApp } from '../support/app.js';
import { findSiteBySlug } from '../../src/db/queries/sites.js';

// Who may read whose email. A customer sees other people — customers sharing a request, agents
// answering it, people in a picker — by name only, through every API: the web app's own
// (/s/{site}/api/…) as much as REST. Their own email they see. Staff see the emails of the people of
// the sites they work on.

let t: TestApp;
let alice: Session; // customer of acme: reporter of HELP-1 (participant Bob), participant of HELP-2
let sam: Session; // agent on HELP
const ids: Record<string, string> = {};
let helpId: string;
let getItHelpId: string;
let affectedKey: string;
let articleId: string;

const EMAIL = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+/g;

/** Every email-looking text anywhere in a JSON answer (HTML highlighting taken out first). */
function emailsIn(res: LightMyRequestResponse): string[] {
  const found: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') found.push(...(v.replace(/<[^>]*>/g, '').match(EMAIL) ?? []));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(JSON.parse(res.body === '' ? 'null' : res.body));
  return found.map((e) => e.toLowerCase());
}

beforeAll(async () => {
  t = await createTestApp();
  const site = (await findSiteBySlug(t.db, 'acme'))!;
  alice = await loginCustomer(t.app, 'acme', 'alice@customer.test');
  sam = await loginStaff(t.app, 'agent@acme.test');
  for (const n of ['alice', 'bob', 'carol']) ids[n] = await accountIdOf(t.db, `${n}@customer.test`, 'acme');
  ids.sam = await accountIdOf(t.db, 'agent@acme.test', null);
  helpId = String((await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow()).id);
  getItHelpId = String((await t.db.selectFrom('request_types').select('id').where('name', '=', 'Get IT help').executeTakeFirstOrThrow()).id);
  const affected = await t.db.selectFrom('custom_fields').select('id').where('site_id', '=', site.id).where('name', '=', 'Affected user').executeTakeFirstOrThrow();
  affectedKey = `customfield_${affected.id}`;
  articleId = String((await t.db.selectFrom('kb_articles').select('id').where('site_id', '=', site.id).orderBy('id').executeTakeFirstOrThrow()).id);
  // an agent's public answer and an internal note, and Bob's reply, on Alice's HELP-1
  const help1 = await t.db.selectFrom('requests').select('id').where('key', '=', 'HELP-1').where('site_id', '=', site.id).executeTakeFirstOrThrow();
  await t.db.insertInto('comments').values([
    { site_id: site.id, request_id: help1.id, author_id: ids.sam, body: 'Try again now.', public: true },
    { site_id: site.id, request_id: help1.id, author_id: ids.sam, body: 'Internal: reset her token.', public: false },
    { site_id: site.id, request_id: help1.id, author_id: ids.bob, body: 'Same here.', public: true },
  ]).execute();
});
afterAll(() => t?.close());

const call = (session: Session, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: payload ? { ...as(session), 'content-type': 'application/json' } : as(session), ...(payload ? { payload } : {}) });

describe('T2: a customer never sees another person\'s email', () => {
  it('T2: every answer of the help center\'s own API and the web app\'s picker holds no email but the customer\'s own', async () => {
    const answers: Array<[string, LightMyRequestResponse]> = [];
    const record = async (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, status?: number) => {
      const res = await call(alice, method, url, payload);
      if (status !== undefined) expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(status);
      answers.push([`${method} ${url}`, res]);
      return res;
    };
    const portal = '/s/acme/api/portal';
    await record('GET', `${portal}/session`, undefined, 200);
    await record('GET', `${portal}/site`, undefined, 200);
    await record('GET', `${portal}/portals`, undefined, 200);
    await record('GET', `${portal}/portals/${helpId}`, undefined, 200);
    await record('GET', `${portal}/portals/${helpId}/request-types/${getItHelpId}`, undefined, 200);
    for (const filter of ['all', 'created', 'shared']) await record('GET', `${portal}/requests?filter=${filter}`, undefined, 200);
    const help1 = await record('GET', `${portal}/requests/HELP-1`, undefined, 200);
    await record('GET', `${portal}/requests/HELP-2`, undefined, 200);
    await record('GET', `${portal}/requests/HELP-1/comments`, undefined, 200);
    await record('POST', `${portal}/requests/HELP-1/comments`, { body: 'Thanks!' }, 201);
    await record('POST', `${portal}/requests/HELP-1/participants`, { accountIds: [ids.carol] }, 200);
    await record('DELETE', `${portal}/requests/HELP-1/participants`, { accountIds: [ids.carol] }, 200);
    await record('POST', `${portal}/requests`, { projectId: helpId, requestTypeId: getItHelpId, fields: { summary: 'Printer', [affectedKey]: ids.bob }, participants: [ids.carol] }, 201);
    await record('GET', `${portal}/kb?query=vpn`, undefined, 200);
    await record('GET', `${portal}/kb/${articleId}`, undefined, 200);
    for (const q of ['b', 'c', 'a', 'customer', 'bob@customer.test', 'sam']) {
      for (const field of ['', '&fieldKey=participants', `&fieldKey=${affectedKey}`]) {
        await record('GET', `/s/acme/api/users/picker?query=${encodeURIComponent(q)}${field}`, undefined, 200);
      }
    }

    for (const [what, res] of answers) {
      for (const email of emailsIn(res)) expect(email, what).toBe('alice@customer.test');
    }
    // the scan saw other people (names, ids) and Alice's own email: it is not vacuous
    const all = answers.map(([, r]) => r.body).join('\n');
    for (const name of ['Bob Builder', 'Sam Agent', 'Carol Customer']) expect(all).toContain(name);
    expect(all).toContain('alice@customer.test');
    const detail = help1.json();
    expect(detail.participants.map((p: any) => p.label)).toEqual(['Bob Builder']);
    expect(detail.comments.map((c: any) => c.author.label)).toEqual(['Sam Agent', 'Bob Builder']);
    expect(detail.reporter.email).toBe('alice@customer.test');
  });

  it('T2: the REST API, read with the customer\'s help-center session, holds no email but their own', async () => {
    const rest = '/s/acme/rest';
    const answers: Array<[string, LightMyRequestResponse]> = [];
    const record = async (method: 'GET' | 'POST', url: string, payload?: object) => {
      const res = await call(alice, method, url, payload);
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
      answers.push([`${method} ${url}`, res]);
    };
    await record('GET', `${rest}/servicedeskapi/request/HELP-1?expand=participant,comment,action,requestType,serviceDesk,status`);
    await record('GET', `${rest}/servicedeskapi/request/HELP-2?expand=participant,comment`);
    await record('GET', `${rest}/servicedeskapi/request/HELP-1/participant`);
    await record('GET', `${rest}/servicedeskapi/request/HELP-1/comment`);
    await record('POST', `${rest}/servicedeskapi/request`, { serviceDeskId: helpId, requestTypeId: getItHelpId, requestFieldValues: { summary: 'Scanner', [affectedKey]: ids.bob }, requestParticipants: [ids.carol] });
    await record('POST', `${rest}/servicedeskapi/request/HELP-2/participant`, { accountIds: [ids.carol] });
    await record('GET', `${rest}/api/3/myself`);
    await record('GET', `${rest}/api/3/user?accountId=${ids.bob}`);
    await record('GET', `${rest}/api/3/user?accountId=${ids.alice}`);
    await record('GET', `${rest}/api/3/user/search?query=b`);
    await record('GET', `${rest}/api/3/user/search?query=alice`);
    await record('GET', `${rest}/api/3/user/picker?query=c`);
    await record('GET', `${rest}/api/3/user/picker?query=ali`);
    await record('POST', `${rest}/api/3/search/jql`, { jql: 'order by key', fields: ['*all'] });
    await record('GET', `${rest}/servicedeskapi/servicedesk`);
    for (const [what, res] of answers) {
      for (const email of emailsIn(res)) expect(email, what).toBe('alice@customer.test');
    }
    const all = answers.map(([, r]) => r.body).join('\n');
    for (const name of ['Bob Builder', 'Sam Agent', 'Carol Customer']) expect(all).toContain(name);
    expect(all).toContain('alice@customer.test');
  });
});

describe('T2: staff see the emails of the people of their sites', () => {
  it('T2: the agent reads customers\' emails on the request, in the pickers and through REST', async () => {
    const portalView = (await call(sam, 'GET', '/s/acme/api/portal/requests/HELP-1')).json();
    expect(portalView.participants.map((p: any) => p.email)).toContain('bob@customer.test');
    expect(portalView.reporter.email).toBe('alice@customer.test');
    const agentView = (await call(sam, 'GET', '/s/acme/api/agent/requests/HELP-1')).json();
    expect(agentView.participants.map((p: any) => p.email)).toContain('bob@customer.test');
    expect(agentView.comments.map((c: any) => c.author.email)).toContain('bob@customer.test');
    const picked = (await call(sam, 'GET', '/s/acme/api/users/picker?query=bob&fieldKey=participants')).json();
    expect(picked.users).toEqual([{ accountId: ids.bob, displayName: 'Bob Builder', label: 'Bob Builder', email: 'bob@customer.test' }]);
    const rest = (await call(sam, 'GET', `/s/acme/rest/api/3/user?accountId=${ids.bob}`)).json();
    expect(rest.emailAddress).toBe('bob@customer.test');
  });
});
