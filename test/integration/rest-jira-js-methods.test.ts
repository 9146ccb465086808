import { readFileSync, readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceDeskClient, type ServiceDeskClient } from 'jira.js';
import { accountIdOf, as, createTestApp, loginCustomer, type TestApp } from '../support/app.js';
import { expectArticle, expectCreateMeta, expectDate, expectJsmUser, expectPage, expectServiceDesk, json, staffAuth, type Headers } from './rest-helpers.js';

// Issue 12's "done when": every jira.js 6.2.0 service-desk method but the Assets ones works against
// Portico with schema mismatches thrown. The other REST test files call most of them where their
// feature is tested; this file calls each of the rest once, as a script would (docs/product.md#rest-api),
// and the last test checks that every method of the client is called by some test file.

let t: TestApp;
let origin: string;
let help: string;
let getItHelp: string;
let samAuth: Headers;
let sam: ServiceDeskClient; // agent of HELP, API token
let ada: ServiceDeskClient; // org admin of Acme, API token
let alice: ServiceDeskClient; // customer of acme, reporter of HELP-1
let aliceId: string;
let carolId: string;

const basicOf = (h: Headers) => {
  const [email, apiToken] = Buffer.from(h.authorization.replace(/^Basic /, ''), 'base64').toString().split(':');
  return { type: 'basic' as const, email, apiToken };
};
const client = (config: { auth?: ReturnType<typeof basicOf>; headers?: Headers }) =>
  createServiceDeskClient({ host: `${origin}/s/acme`, onSchemaMismatch: 'throw', ...(config.auth ? { auth: config.auth } : {}), ...(config.headers ? { headers: config.headers } : {}) });
const status = (p: Promise<unknown>) => p.then(() => 200, (e: { status?: number }) => e.status);

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  origin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  help = (await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow()).id;
  getItHelp = (await t.db.selectFrom('request_types').select('id').where('name', '=', 'Get IT help').executeTakeFirstOrThrow()).id;
  samAuth = await staffAuth(t, 'agent@acme.test');
  sam = client({ auth: basicOf(samAuth) });
  ada = client({ auth: basicOf(await staffAuth(t, 'admin@acme.test')) });
  alice = client({ headers: as(await loginCustomer(t.app, 'acme', 'alice@customer.test')) });
  aliceId = await accountIdOf(t.db, 'alice@customer.test', 'acme');
  carolId = await accountIdOf(t.db, 'carol@customer.test', 'acme');
});
afterAll(() => t?.close());

describe('serviceDesk.customer and servicedesk', () => {
  it('createCustomer, createCustomerSkippingPermissionCheck (the same check: a customer is refused), revokePortalOnlyAccessForUser', async () => {
    const made = await sam.customer.createCustomer({ displayName: 'Jira Js', email: 'jira.js@customer.test' });
    expectJsmUser(made);
    expect(made).toMatchObject({ displayName: 'Jira Js', emailAddress: 'jira.js@customer.test', active: true });
    const twin = await sam.customer.createCustomerSkippingPermissionCheck({ displayName: 'Jira Twin', email: 'jira.twin@customer.test' });
    expect(twin).toMatchObject({ displayName: 'Jira Twin', active: true });
    expect(await status(alice.customer.createCustomerSkippingPermissionCheck({ displayName: 'Sneaky', email: 'sneaky@customer.test' }))).toBe(403);
    await ada.customer.revokePortalOnlyAccessForUser({ accountId: made.accountId! });
    expect((await t.db.selectFrom('accounts').select('status').where('account_id', '=', made.accountId!).executeTakeFirstOrThrow()).status).toBe('revoked');
  });

  it('getServiceDesks, getServiceDeskById, getRequestTypeFields, addCustomers, addCustomersSkippingPermissionCheck', async () => {
    const desks = await sam.servicedesk.getServiceDesks();
    expectPage(desks, expectServiceDesk);
    expect(desks.values!.map((d) => d.projectKey)).toEqual(['HELP']);
    expect(await sam.servicedesk.getServiceDeskById({ serviceDeskId: help })).toMatchObject({ id: help, projectKey: 'HELP' });
    expectCreateMeta(await alice.servicedesk.getRequestTypeFields({ serviceDeskId: help, requestTypeId: Number(getItHelp) }));
    const newcomer = await sam.customer.createCustomer({ displayName: 'Desk Newcomer', email: 'desk.newcomer@customer.test' });
    await sam.servicedesk.addCustomers({ serviceDeskId: help, accountIds: [newcomer.accountId!] });
    await sam.servicedesk.addCustomersSkippingPermissionCheck({ serviceDeskId: help, accountIds: [carolId] });
    const customers = json(await t.app.inject({ method: 'GET', url: `/s/acme/rest/servicedeskapi/servicedesk/${help}/customer?query=newcomer`, headers: samAuth }), 200);
    expect(customers.values.map((u: { accountId: string }) => u.accountId)).toEqual([newcomer.accountId]);
    expect(await status(alice.servicedesk.addCustomersSkippingPermissionCheck({ serviceDeskId: help, accountIds: [aliceId] }))).toBe(403);
  });
});

describe('serviceDesk.knowledgebase', () => {
  it('getArticles finds the published articles of the portals the caller may use; viewArticle answers one as HTML', async () => {
    const found = await alice.knowledgebase.getArticles({ query: 'password', highlight: false });
    expectPage(found, expectArticle);
    expect(found.values!.length).toBeGreaterThan(0);
    const pageId = Number(found.values![0].source!.pageId);
    const html = await alice.knowledgebase.viewArticle({ pageId });
    expect(html).toMatch(/^<h1>[^<]+<\/h1><p>/);
    expect(html).toContain(found.values![0].title!.split(' ')[0]);
    // a draft is not shown, as in the help center
    const draft = await t.db.selectFrom('kb_articles').select('id').where('published', '=', false).executeTakeFirstOrThrow();
    expect(await status(alice.knowledgebase.viewArticle({ pageId: Number(draft.id) }))).toBe(404);
  });
});

describe('serviceDesk.organization', () => {
  it('create, get, list, members, desks, and delete, as jira.js calls them', async () => {
    const org = await sam.organization.createOrganization({ name: 'Jira Js Co' });
    expect(org).toMatchObject({ name: 'Jira Js Co' });
    const id = Number(org.id);
    expectDate(org.created);
    expect((await sam.organization.getOrganization({ organizationId: id })).name).toBe('Jira Js Co');
    expect((await sam.organization.getOrganizations({ limit: 100 })).values!.map((o) => o.name)).toContain('Jira Js Co');
    await sam.organization.addUsersToOrganization({ organizationId: id, body: { accountIds: [aliceId], organizationId: id } });
    const members = await sam.organization.getUsersInOrganization({ organizationId: id });
    expectPage(members, expectJsmUser);
    expect(members.values!.map((u) => u.accountId)).toEqual([aliceId]);
    // a member reads her organization; Atlassian's customers see their own
    expect((await alice.organization.getOrganizations()).values!.map((o) => o.name)).toContain('Jira Js Co');
    await sam.organization.removeUsersFromOrganization({ organizationId: id, body: { accountIds: [aliceId], organizationId: id } });
    expect((await sam.organization.getUsersInOrganization({ organizationId: id })).values).toEqual([]);
    await sam.organization.addOrganization({ serviceDeskId: help, body: { organizationId: id } });
    expect((await sam.organization.getServiceDeskOrganizations({ serviceDeskId: help })).values!.map((o) => o.id)).toContain(org.id);
    await sam.organization.removeOrganization({ serviceDeskId: help, body: { organizationId: id } });
    expect((await sam.organization.getServiceDeskOrganizations({ serviceDeskId: help })).values!.map((o) => o.id)).not.toContain(org.id);
    await ada.organization.deleteOrganization({ organizationId: id });
    expect(await status(sam.organization.getOrganization({ organizationId: id }))).toBe(404);
  });

  it("properties: set (audited), read by a member, keys, replace, delete; a customer cannot write; they go with the organization", async () => {
    const org = await sam.organization.createOrganization({ name: 'Property Co' });
    const organizationId = org.id!;
    expect((await sam.organization.getPropertiesKeys({ organizationId })).keys).toEqual([]);
    await sam.organization.setProperty({ organizationId, propertyKey: 'crm', body: { tier: 'gold', seats: 40 } });
    await sam.organization.setProperty({ organizationId, propertyKey: 'region.eu', body: { dc: 'fra' } });
    const keys = await sam.organization.getPropertiesKeys({ organizationId });
    expect(keys.keys!.map((k) => k.key)).toEqual(['crm', 'region.eu']);
    expect(keys.keys![1].self).toBe(`http://localhost:80/s/acme/rest/servicedeskapi/organization/${organizationId}/property/region.eu`);
    expect(await sam.organization.getProperty({ organizationId, propertyKey: 'region.eu' })).toEqual({ key: 'region.eu', value: { dc: 'fra' } });
    // replaced (200), not added (201)
    const put = await t.app.inject({ method: 'PUT', url: `/s/acme/rest/servicedeskapi/organization/${organizationId}/property/crm`, headers: { ...samAuth, 'content-type': 'application/json' }, payload: '{"tier":"platinum"}' });
    expect(put.statusCode).toBe(200);
    const audit = await t.db.selectFrom('audit_events').select('details').where('action', '=', 'customer_organization.property.set').orderBy('id').execute();
    expect(audit.map((a) => (typeof a.details === 'string' ? JSON.parse(a.details) : a.details).propertyKey)).toEqual(['crm', 'region.eu', 'crm']);
    // her organization's properties are readable by a member, and only by one; never writable by her
    expect(await status(alice.organization.getProperty({ organizationId, propertyKey: 'crm' }))).toBe(404);
    await sam.organization.addUsersToOrganization({ organizationId: Number(organizationId), body: { accountIds: [aliceId] } });
    expect((await alice.organization.getProperty({ organizationId, propertyKey: 'crm' })).value).toEqual({ tier: 'platinum' });
    expect(await status(alice.organization.setProperty({ organizationId, propertyKey: 'crm', body: { tier: 'free' } }))).toBe(403);
    const tooBig = await t.app.inject({ method: 'PUT', url: `/s/acme/rest/servicedeskapi/organization/${organizationId}/property/big`, headers: { ...samAuth, 'content-type': 'application/json' }, payload: JSON.stringify({ x: 'y'.repeat(33_000) }) });
    expect(tooBig.statusCode).toBe(400);
    await sam.organization.deleteProperty({ organizationId, propertyKey: 'crm' });
    expect(await status(sam.organization.getProperty({ organizationId, propertyKey: 'crm' }))).toBe(404);
    expect(await status(sam.organization.deleteProperty({ organizationId, propertyKey: 'crm' }))).toBe(404);
    await ada.organization.deleteOrganization({ organizationId: Number(organizationId) });
    expect(await t.db.selectFrom('customer_organization_properties').select('key').where('organization_id', '=', organizationId).execute()).toEqual([]);
  });
});

describe('serviceDesk.request: comments, participants, attachments, subscriptions', () => {
  it('createRequestComment; getRequestParticipants, addRequestParticipants, removeRequestParticipants', async () => {
    const comment = await alice.request.createRequestComment({ issueIdOrKey: 'HELP-1', body: 'Still broken after a restart.', public: true });
    expect(comment).toMatchObject({ body: 'Still broken after a restart.', public: true, author: { accountId: aliceId } });
    expectDate(comment.created);
    expect((await sam.request.getRequestParticipants({ issueIdOrKey: 'HELP-1' })).values!.map((u) => u.displayName)).toEqual(['Bob Builder']);
    const added = await alice.request.addRequestParticipants({ issueIdOrKey: 'HELP-1', accountIds: [carolId] });
    expectPage(added, expectJsmUser);
    expect(added.values!.map((u) => u.displayName)).toEqual(['Carol Customer']);
    expect((await sam.request.getRequestParticipants({ issueIdOrKey: 'HELP-1' })).values!.map((u) => u.displayName).sort()).toEqual(['Bob Builder', 'Carol Customer']);
    expectPage(await alice.request.removeRequestParticipants({ issueIdOrKey: 'HELP-1', accountIds: [carolId] }), expectJsmUser);
    expect((await sam.request.getRequestParticipants({ issueIdOrKey: 'HELP-1' })).values!.map((u) => u.displayName)).toEqual(['Bob Builder']);
  });

  it('getAttachmentsForRequest, getAttachmentContent, getAttachmentThumbnail (images only)', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const upload = (name: string, type: string, body: Buffer) =>
      t.app.inject({ method: 'POST', url: `/s/acme/api/portal/requests/HELP-1/attachments?filename=${name}`, headers: { ...samAuth, 'content-type': type }, payload: body });
    json(await upload('screen.png', 'image/png', png), 201);
    json(await upload('notes.txt', 'text/plain', Buffer.from('VPN log')), 201);
    const page = await alice.request.getAttachmentsForRequest({ issueIdOrKey: 'HELP-1', start: 0, limit: 10 });
    expectPage(page, () => undefined);
    expect(page.values!.map((a) => [a.filename, a.mimeType, a.size])).toEqual([['screen.png', 'image/png', png.length], ['notes.txt', 'text/plain', 7]]);
    expect(page.values![0].author).toMatchObject({ displayName: 'Sam Agent' });
    expectDate(page.values![0].created);
    const [image, text] = page.values!;
    const idOf = (a: typeof image) => Number(a._links!.self!.split('/').pop());
    expect(image._links!.thumbnail).toBe(`${image._links!.self}/thumbnail`);
    expect(text._links!.thumbnail).toBeUndefined();
    const bytes = (b: unknown) => Buffer.from(b as Uint8Array);
    expect(bytes(await alice.request.getAttachmentContent({ issueIdOrKey: 'HELP-1', attachmentId: idOf(text) })).toString()).toBe('VPN log');
    expect(bytes(await alice.request.getAttachmentThumbnail({ issueIdOrKey: 'HELP-1', attachmentId: idOf(image) }))).toEqual(png);
    expect(await status(alice.request.getAttachmentThumbnail({ issueIdOrKey: 'HELP-1', attachmentId: idOf(text) }))).toBe(404);
    // HELP-4 is Dave's: Alice does not see it, nor its files
    expect(await status(alice.request.getAttachmentsForRequest({ issueIdOrKey: 'HELP-4', start: 0, limit: 10 }))).toBe(404);
  });

  it('attachTemporaryFile (multipart), then createCommentWithAttachment: one comment carrying the files, each id used once', async () => {
    const form = new FormData();
    form.append('file', new Blob(['boot log'], { type: 'text/plain' }), 'boot.txt');
    form.append('file', new Blob(['a,b\n1,2'], { type: 'text/csv' }), 'sheet.csv');
    const kept = await alice.servicedesk.attachTemporaryFile({ serviceDeskId: help, body: form as unknown as Record<string, unknown> });
    expect(kept.temporaryAttachments!.map((f) => f.fileName)).toEqual(['boot.txt', 'sheet.csv']);
    const ids = kept.temporaryAttachments!.map((f) => f.temporaryAttachmentId!);
    // another person cannot use them, and a customer's comment is public
    expect(await status(sam.request.createCommentWithAttachment({ issueIdOrKey: 'HELP-1', temporaryAttachmentIds: ids, public: true }))).toBe(400);
    expect(await status(alice.request.createCommentWithAttachment({ issueIdOrKey: 'HELP-1', temporaryAttachmentIds: ids, public: false }))).toBe(400);
    const made = await alice.request.createCommentWithAttachment({ issueIdOrKey: 'HELP-1', temporaryAttachmentIds: ids, public: true, additionalComment: { body: 'The logs you asked for.' } });
    expect(made.comment).toMatchObject({ body: 'The logs you asked for.', public: true, author: { accountId: aliceId } });
    expect(made.attachments!.values!.map((a) => [a.filename, a.mimeType, a.size])).toEqual([['boot.txt', 'text/plain', 8], ['sheet.csv', 'text/csv', 7]]);
    const listed = await sam.request.getAttachmentsForRequest({ issueIdOrKey: 'HELP-1', start: 0, limit: 50 });
    expect(listed.values!.map((a) => a.filename)).toEqual(expect.arrayContaining(['boot.txt', 'sheet.csv']));
    // used: a second comment with the same ids changes nothing
    expect(await status(alice.request.createCommentWithAttachment({ issueIdOrKey: 'HELP-1', temporaryAttachmentIds: ids, public: true }))).toBe(400);
    // a type that cannot be attached is refused at upload
    const bad = new FormData();
    bad.append('file', new Blob(['MZ'], { type: 'application/x-msdownload' }), 'tool.exe');
    expect(await status(alice.servicedesk.attachTemporaryFile({ serviceDeskId: help, body: bad as unknown as Record<string, unknown> }))).toBe(415);
  });

  it('getSubscriptionStatus, unsubscribe, subscribe: the reporter\'s mail about her request; others are not mailed', async () => {
    expect(await alice.request.getSubscriptionStatus({ issueIdOrKey: 'HELP-1' })).toEqual({ subscribed: true });
    await alice.request.unsubscribe({ issueIdOrKey: 'HELP-1' });
    expect(await alice.request.getSubscriptionStatus({ issueIdOrKey: 'HELP-1' })).toEqual({ subscribed: false });
    // an agent's public reply now mails Bob (participant) and not Alice
    json(await t.app.inject({ method: 'POST', url: '/s/acme/rest/servicedeskapi/request/HELP-1/comment', headers: samAuth, payload: { body: 'Try now, please.', public: true } }), 201);
    const mailed = await t.db.selectFrom('outbox').innerJoin('accounts', 'accounts.account_id', 'outbox.recipient_id').select('accounts.display_name').where('outbox.body', 'like', '%Try now, please.%').execute();
    expect(mailed.map((m) => m.display_name)).toContain('Bob Builder');
    expect(mailed.map((m) => m.display_name)).not.toContain('Alice Example');
    await alice.request.subscribe({ issueIdOrKey: 'HELP-1' });
    expect(await alice.request.getSubscriptionStatus({ issueIdOrKey: 'HELP-1' })).toEqual({ subscribed: true });
    // the agent is not mailed about it: not subscribed, and subscribing says how to follow it
    expect(await sam.request.getSubscriptionStatus({ issueIdOrKey: 'HELP-1' })).toEqual({ subscribed: false });
    expect(await status(sam.request.subscribe({ issueIdOrKey: 'HELP-1' }))).toBe(400);
    await sam.request.unsubscribe({ issueIdOrKey: 'HELP-1' });
  });
});

describe('every jira.js service-desk method is called by a test', () => {
  it('each method of createServiceDeskClient but the Assets ones appears as client.group.method( in test/integration', () => {
    const dir = new URL('.', import.meta.url);
    const text = readdirSync(dir).filter((f) => f.endsWith('.test.ts')).map((f) => readFileSync(new URL(f, dir), 'utf8')).join('\n');
    const methods = Object.entries(createServiceDeskClient({ host: 'http://127.0.0.1' }))
      .filter(([group]) => group !== 'assets')
      .flatMap(([group, api]) => Object.keys(api as object).map((m) => `${group}.${m}`));
    expect(methods.length).toBeGreaterThan(50);
    expect(methods.filter((m) => !text.includes(`.${m}(`))).toEqual([]);
  });
});
