import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdOf, as, createTestApp, loginCustomer, loginStaff, type Session, type TestApp } from '../support/app.js';
import { factories } from '../support/factories.js';
import { DEMO_PASSWORD } from '../../src/db/demo.js';
import { expectError, json } from './rest-helpers.js';

// Customer privacy in pickers (docs/product.md#customer-sharing): a project's sharing setting decides
// whom its customers may find in its pickers and share requests with — nobody, people already on
// the request, also their organizations (the default), or also anyone in the project; never the
// whole site's customer list, never an email. Over HTTP, as the help center asks.

let t: TestApp;
let sam: Session; // agent of HELP
let alice: Session; // HELP customer, reporter of HELP-1 (participant Bob)
let help: string;
let other: string; // a project of acme Alice may not use
const ids: Record<string, string> = {};
const letters = 'abcdefghijklmnopqrstuvwxyz'.split('');

type Level = 'nobody' | 'request' | 'organizations' | 'project';

async function setSharing(level: Level) {
  const res = await t.app.inject({ method: 'PUT', url: '/s/acme/api/agent/projects/HELP/sharing', headers: as(sam), payload: { customerSharing: level } });
  expect(json(res, 200)).toEqual({ customerSharing: level });
}

async function pickerAnswer(query: string, params: Record<string, string> = {}) {
  return t.app.inject({ method: 'GET', url: `/s/acme/api/users/picker?${new URLSearchParams({ query, ...params })}`, headers: as(alice) });
}

/** Whom Alice collects by typing every single letter into HELP-1's "Share with", and every email she sees. */
async function sweep(params: Record<string, string>) {
  const names = new Set<string>();
  const emails: string[] = [];
  for (const letter of letters) {
    for (const u of json(await pickerAnswer(letter, params), 200).users) {
      names.add(u.displayName);
      if (u.email !== undefined) emails.push(u.email);
    }
  }
  return { names: [...names].sort(), emails };
}

const shareOnHelp1 = () => ({ fieldKey: 'participants', projectId: help, requestKey: 'HELP-1' });
const addParticipant = (id: string) =>
  t.app.inject({ method: 'POST', url: '/s/acme/rest/servicedeskapi/request/HELP-1/participant', headers: { ...as(alice), 'content-type': 'application/json' }, payload: { accountIds: [id] } });

beforeAll(async () => {
  t = await createTestApp();
  sam = await loginStaff(t.app, 'agent@acme.test');
  alice = await loginCustomer(t.app, 'acme', 'alice@customer.test');
  const site = (await t.db.selectFrom('sites').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow()).id;
  help = (await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow()).id;
  const f = factories(t.db);
  // Olga shares a customer organization with Alice (and is no customer of HELP); Pat is a customer of
  // HELP only; Rita is a customer of the site and nothing else.
  ids.olga = await f.customer({ siteId: site, email: 'olga@initech.test', displayName: 'Olga Initech', password: DEMO_PASSWORD });
  ids.pat = await f.customer({ siteId: site, email: 'pat@customer.test', displayName: 'Pat Project', password: DEMO_PASSWORD });
  ids.rita = await f.customer({ siteId: site, email: 'rita@elsewhere.test', displayName: 'Rita Outsider' });
  ids.alice = await accountIdOf(t.db, 'alice@customer.test', 'acme');
  ids.bob = await accountIdOf(t.db, 'bob@customer.test', 'acme');
  ids.carol = await accountIdOf(t.db, 'carol@customer.test', 'acme');
  await t.db.insertInto('project_customers').values({ site_id: site, project_id: help, account_id: ids.pat }).execute();
  const org = await t.db.insertInto('customer_organizations').values({ site_id: site, name: 'Initech' }).returning('id').executeTakeFirstOrThrow();
  await t.db
    .insertInto('customer_organization_members')
    .values([ids.alice, ids.olga].map((account_id) => ({ site_id: site, organization_id: org.id, account_id })))
    .execute();
  other = (
    await t.db
      .insertInto('projects')
      .values({ site_id: site, key: 'OPS', name: 'Ops', portal_name: 'Ops', portal_description: '', customer_access: 'restricted', customer_sharing: 'project' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
});
afterAll(() => t?.close());

describe('whom a customer finds in "Share with", by the project\'s sharing setting', () => {
  it('a new project\'s default is their organizations and the people already on the request; the demo\'s HELP has "anyone in the project"', async () => {
    const site = (await t.db.selectFrom('sites').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow()).id;
    const fresh = await t.db
      .insertInto('projects')
      .values({ site_id: site, key: 'NEWP', name: 'New', portal_name: 'New', portal_description: '', customer_access: 'open' })
      .returning('customer_sharing')
      .executeTakeFirstOrThrow();
    expect(fresh.customer_sharing).toBe('organizations');
    const res = await t.app.inject({ method: 'GET', url: '/s/acme/api/agent/projects/HELP/organizations', headers: as(sam) });
    expect(json(res, 200).project.customerSharing).toBe('project');
  });

  it('T2: "nobody": single letters collect nobody', async () => {
    await setSharing('nobody');
    expect(await sweep(shareOnHelp1())).toEqual({ names: [], emails: [] });
  });

  it('T2: "people already on the request": only the request\'s people, by name only', async () => {
    await setSharing('request');
    expect(await sweep(shareOnHelp1())).toEqual({ names: ['Bob Builder'], emails: [] });
    // raising a request, nobody is on it yet
    expect(await sweep({ fieldKey: 'participants', projectId: help })).toEqual({ names: [], emails: [] });
  });

  it('T2: "organizations" (the default): fellow members and the request\'s people, by name only', async () => {
    await setSharing('organizations');
    expect(await sweep(shareOnHelp1())).toEqual({ names: ['Bob Builder', 'Olga Initech'], emails: [] });
    expect(await sweep({ fieldKey: 'participants', projectId: help })).toEqual({ names: ['Olga Initech'], emails: [] });
  });

  it('T2: "anyone in the project": its customers and organizations\' members — never the rest of the site', async () => {
    await setSharing('project');
    const found = await sweep(shareOnHelp1());
    // Dave is a customer of HELP but revoked; Rita is a customer of the site, not of HELP
    expect(found).toEqual({ names: ['Bob Builder', 'Carol Customer', 'Olga Initech', 'Pat Project'], emails: [] });
    await setSharing('organizations');
  });

  it('a user-picker field of the form follows the same circle, and may name the customer', async () => {
    const field = `customfield_${(await t.db.selectFrom('custom_fields').select('id').where('name', '=', 'Affected user').executeTakeFirstOrThrow()).id}`;
    const found = await sweep({ fieldKey: field, projectId: help });
    expect(found.names).toEqual(['Alice Example', 'Olga Initech']);
    // the customer's own email is theirs to see
    expect(new Set(found.emails)).toEqual(new Set(['alice@customer.test']));
  });

  it('T2: without a portal a customer finds nobody, and REST user search finds only themselves', async () => {
    expect(await sweep({ fieldKey: 'participants' })).toEqual({ names: [], emails: [] });
    expect(await sweep({})).toEqual({ names: [], emails: [] });
    const rest = async (path: string) => json(await t.app.inject({ method: 'GET', url: `/s/acme/rest/api/3/${path}`, headers: as(alice) }), 200);
    expect(await rest('user/search?query=bob')).toEqual([]);
    expect((await rest('user/search?query=alice')).map((u: any) => u.displayName)).toEqual(['Alice Example']);
    expect((await rest('user/picker?query=b')).users).toEqual([]);
    expect(await rest(`user/search?accountId=${encodeURIComponent(ids.bob)}`)).toEqual([]);
  });

  it('a portal the customer may not use, or a request they may not see, answers 404; a request of another portal 400', async () => {
    expectError(await pickerAnswer('o', { fieldKey: 'participants', projectId: other }), 404);
    expectError(await pickerAnswer('o', { fieldKey: 'participants', projectId: help, requestKey: 'HELP-3' }), 404);
    expectError(await pickerAnswer('o', { fieldKey: 'participants', projectId: help, requestKey: 'HELP-999' }), 404);
    await t.db.insertInto('project_customers').values({ site_id: (await t.db.selectFrom('sites').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow()).id, project_id: other, account_id: ids.alice }).execute();
    expectError(await pickerAnswer('o', { fieldKey: 'participants', projectId: other, requestKey: 'HELP-1' }), 400, /not a request of this portal/);
  });
});

describe('the server holds the rule, whatever a picker offered', () => {
  it('each level refuses a share with anyone outside it (400, nothing stored) and allows one inside it', async () => {
    const participants = async () =>
      (await t.db.selectFrom('request_participants as p').innerJoin('requests as r', 'r.id', 'p.request_id').select('p.account_id').where('r.key', '=', 'HELP-1').execute()).map((r) => r.account_id).sort();
    const before = await participants();

    await setSharing('nobody');
    expectError(await addParticipant(ids.olga), 400, /do not share requests/);
    await setSharing('request');
    expectError(await addParticipant(ids.olga), 400, /only with people already on them/);
    await setSharing('organizations');
    expectError(await addParticipant(ids.pat), 400, /only within their organizations/);
    await setSharing('project');
    expectError(await addParticipant(ids.rita), 400, /only with its customers/);
    expect(await participants()).toEqual(before);

    json(await addParticipant(ids.pat), 200);
    await setSharing('organizations');
    json(await addParticipant(ids.olga), 200);
    expect(await participants()).toEqual([...before, ids.pat, ids.olga].sort());
    // staff are not bound by it
    const bySam = await t.app.inject({
      method: 'POST',
      url: '/s/acme/rest/servicedeskapi/request/HELP-1/participant',
      headers: { ...as(sam), 'content-type': 'application/json' },
      payload: { accountIds: [ids.rita] },
    });
    json(bySam, 200);
  });

  it('raising a request under "request" shares it with nobody; under "organizations" with a fellow member', async () => {
    const getItHelp = (await t.db.selectFrom('request_types').select('id').where('name', '=', 'Get IT help').executeTakeFirstOrThrow()).id;
    const raise = (participant: string) =>
      t.app.inject({
        method: 'POST',
        url: '/s/acme/rest/servicedeskapi/request',
        headers: { ...as(alice), 'content-type': 'application/json' },
        payload: { serviceDeskId: help, requestTypeId: getItHelp, requestFieldValues: { summary: 'Shared?' }, requestParticipants: [participant] },
      });
    await setSharing('request');
    expectError(await raise(ids.olga), 400, /only with people already on them/);
    await setSharing('organizations');
    expectError(await raise(ids.bob), 400, /only within their organizations/);
    json(await raise(ids.olga), 201);
  });

  it('refuses a level it does not know with 400 and changes nothing', async () => {
    for (const bad of ['site', 'everyone', '', 42]) {
      expectError(await t.app.inject({ method: 'PUT', url: '/s/acme/api/agent/projects/HELP/sharing', headers: as(sam), payload: { customerSharing: bad } }), 400);
    }
    const res = await t.app.inject({ method: 'GET', url: '/s/acme/api/agent/projects/HELP/organizations', headers: as(sam) });
    expect(json(res, 200).project.customerSharing).toBe('organizations');
  });
});
