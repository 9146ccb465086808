import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountIdOf, createTestApp, type TestApp } from '../support/app.js';
import { bool, expectDate, expectError, expectJsmUser, expectNoNulls, expectPage, expectUrl, json, obj, staffAuth, str, type Headers } from './rest-helpers.js';

// The customer-organization paths of the REST API in the shapes jira.js 6.2.0 checks
// (serviceDesk.organization: OrganizationDTO, PagedDTO, UserDTO; docs/product.md#rest-organizations),
// called the way jira.js calls them: JSON bodies with numeric organizationId, Content-Type:
// application/json on every write even without a body, 201 for a new organization, 204 and an empty
// body for every other write.

let t: TestApp;
let sam: Headers; // agent of HELP
let ada: Headers; // org admin of Acme: deleting an organization is for admins
let help: string;
let alice: string;
const REST = '/s/acme/rest/servicedeskapi';

beforeAll(async () => {
  t = await createTestApp();
  sam = await staffAuth(t, 'agent@acme.test', 'bearer');
  ada = await staffAuth(t, 'admin@acme.test');
  help = (await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow()).id;
  alice = await accountIdOf(t.db, 'alice@customer.test', 'acme');
});
afterAll(() => t?.close());

/** jira.js sends Content-Type: application/json on every non-GET call, with or without a body. */
const jiraJs = (method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown, as: Headers = sam) =>
  t.app.inject({
    method,
    url,
    headers: { ...as, accept: 'application/json', ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });

function expectOrganization(o: unknown): void {
  obj(o);
  const org = o as Record<string, any>;
  str(org.id);
  expect(org.id).toMatch(/^[1-9][0-9]*$/);
  str(org.name);
  expectDate(org.created);
  bool(org.scimManaged);
  obj(org._links);
  expectUrl(org._links.self);
  expectNoNulls(org);
}

const noContent = (res: { statusCode: number; body: string }) => {
  expect(res.statusCode).toBe(204);
  expect(res.body).toBe('');
};

describe('serviceDesk.organization, as jira.js calls it', () => {
  it('createOrganization → 201 OrganizationDTO; getOrganization; getOrganizations as a PagedDTO', async () => {
    const created = json(await jiraJs('POST', `${REST}/organization`, { name: 'Shape Co' }), 201);
    expectOrganization(created);
    expect(created.name).toBe('Shape Co');
    expectOrganization(json(await jiraJs('GET', `${REST}/organization/${created.id}`), 200));
    const page = expectPage(json(await jiraJs('GET', `${REST}/organization?start=0&limit=10`), 200), expectOrganization);
    expect(page).toMatchObject({ start: 0, limit: 10, isLastPage: true });
    expect(page.size).toBe(page.values.length);
    expect(page._links.context).toBe('');
    expectNoNulls(page);
  });

  it('addUsersToOrganization / getUsersInOrganization / removeUsersFromOrganization: 204, a PagedDTO of UserDTO, 204', async () => {
    const org = json(await jiraJs('POST', `${REST}/organization`, { name: 'Users Shape Co' }), 201).id;
    noContent(await jiraJs('POST', `${REST}/organization/${org}/user`, { accountIds: [alice], organizationId: Number(org) }));
    const users = expectPage(json(await jiraJs('GET', `${REST}/organization/${org}/user`), 200), expectJsmUser);
    expect(users.values.map((u: any) => u.accountId)).toEqual([alice]);
    expectNoNulls(users);
    noContent(await jiraJs('DELETE', `${REST}/organization/${org}/user`, { accountIds: [alice], organizationId: Number(org) }));
    expect(json(await jiraJs('GET', `${REST}/organization/${org}/user`), 200).values).toEqual([]);
  });

  it('addOrganization / getOrganizations of a service desk / removeOrganization: 204, a PagedDTO, 204; deleteOrganization: 204 without a body', async () => {
    const org = json(await jiraJs('POST', `${REST}/organization`, { name: 'Desk Shape Co' }), 201).id;
    noContent(await jiraJs('POST', `${REST}/servicedesk/${help}/organization`, { organizationId: Number(org) }));
    const page = expectPage(json(await jiraJs('GET', `${REST}/servicedesk/${help}/organization`), 200), expectOrganization);
    expect(page.values.map((o: any) => o.id)).toEqual([org]);
    noContent(await jiraJs('DELETE', `${REST}/servicedesk/${help}/organization`, { organizationId: Number(org) }));
    noContent(await jiraJs('DELETE', `${REST}/organization/${org}`, undefined, ada));
    expectError(await jiraJs('GET', `${REST}/organization/${org}`), 404);
  });

  it('errors keep Atlassian\'s shape on every path', async () => {
    for (const res of [
      await jiraJs('POST', `${REST}/organization`),
      await jiraJs('POST', `${REST}/organization/abc/user`, { accountIds: [alice] }),
      await jiraJs('POST', `${REST}/servicedesk/${help}/organization`, { organizationId: 'x' }),
    ]) {
      const body = expectError(res, res.statusCode);
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(Object.keys(body).sort()).toEqual(['errorMessage', 'errorMessages', 'errors', 'status']);
    }
  });
});
