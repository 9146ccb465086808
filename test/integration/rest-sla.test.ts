import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceDeskClient } from 'jira.js';
import { as, createTestApp, loginCustomer, type TestApp } from '../support/app.js';
import { expectError, json, staffAuth, type Headers } from './rest-helpers.js';

// SLAs on the REST API (docs/product.md#slas) as jira.js 6.2.0 reads them, with schema mismatches
// thrown: worked out from the request's history — its creation, support's first public answer, its
// priority — for the project's agents only.

let t: TestApp;
let origin: string;
let samAuth: Headers;
const HOUR = 3_600_000;
const REST = '/s/acme/rest/servicedeskapi';

function basicOf(h: Headers) {
  const [email, apiToken] = Buffer.from(h.authorization.replace(/^Basic /, ''), 'base64').toString().split(':');
  return { type: 'basic' as const, email, apiToken };
}

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  origin = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  samAuth = await staffAuth(t, 'agent@acme.test');
});
afterAll(() => t?.close());

/** A new request in HELP raised by Alice, made `hoursAgo` hours ago. */
async function raised(hoursAgo: number): Promise<string> {
  const alice = await loginCustomer(t.app, 'acme', 'alice@customer.test');
  const desk = await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow();
  const type = await t.db.selectFrom('request_types').select('id').where('name', '=', 'Get IT help').executeTakeFirstOrThrow();
  const res = await t.app.inject({
    method: 'POST', url: `${REST}/request`, headers: as(alice),
    payload: { serviceDeskId: desk.id, requestTypeId: type.id, requestFieldValues: { summary: 'Printer on fire', description: 'Really.' } },
  });
  const key = json(res, 201).issueKey as string;
  await t.db.updateTable('requests').set({ created_at: new Date(Date.now() - hoursAgo * HOUR) }).where('key', '=', key).execute();
  return key;
}

describe('GET …/request/{key}/sla (jira.js request.getSlaInformation)', () => {
  it('shows both goals running from creation, held to the priority the request has now', async () => {
    const key = await raised(3);
    const sam = createServiceDeskClient({ host: `${origin}/s/acme`, onSchemaMismatch: 'throw', auth: basicOf(samAuth) });
    const page = await sam.request.getSlaInformation({ issueIdOrKey: key });
    expect(page.values!.map((s) => s.name)).toEqual(['Time to first response', 'Time to resolution']);
    const [first, resolution] = page.values!;
    // Medium: 4 h to answer, 24 h to resolve; three hours gone
    expect(first.ongoingCycle).toMatchObject({ breached: false, paused: false, goalDuration: { millis: 4 * HOUR, friendly: '4h 0m' } });
    expect(first.ongoingCycle!.elapsedTime!.millis).toBeGreaterThanOrEqual(3 * HOUR - 60_000);
    expect(first.ongoingCycle!.remainingTime!.friendly).toMatch(/^(59m|1h 0m)$/);
    expect(resolution.ongoingCycle).toMatchObject({ breached: false, goalDuration: { millis: 24 * HOUR } });
    expect(first._links!.self).toMatch(new RegExp(`^https?://[^/]+/s/acme/rest/servicedeskapi/request/${key}/sla/1$`));

    // raised to Highest, the first response (1 h) is breached at once
    json(await t.app.inject({ method: 'PUT', url: `/s/acme/api/agent/requests/${key}/assignment`, headers: samAuth, payload: { priority: 'Highest' } }), 200);
    const breached = await sam.request.getSlaInformationById({ issueIdOrKey: key, slaMetricId: 1 });
    expect(breached.ongoingCycle).toMatchObject({ breached: true, goalDuration: { millis: 1 * HOUR } });
    expect(breached.ongoingCycle!.remainingTime!.friendly).toMatch(/^-(1h 59m|2h 0m)$/);
    expect(breached.ongoingCycle!.breachTime!.epochMillis).toBeLessThan(Date.now() - HOUR);
  });

  it("support's first public answer completes the first response; an internal note does not", async () => {
    const key = await raised(1);
    const comment = (body: string, isPublic: boolean) => t.app.inject({ method: 'POST', url: `${REST}/request/${key}/comment`, headers: samAuth, payload: { body, public: isPublic } });
    json(await comment('Looking into it internally', false), 201);
    let first = json(await t.app.inject({ method: 'GET', url: `${REST}/request/${key}/sla/1`, headers: samAuth }), 200);
    expect(first.completedCycles).toEqual([]);
    expect(first.ongoingCycle.breached).toBe(false);
    json(await comment('We are on it', true), 201);
    first = json(await t.app.inject({ method: 'GET', url: `${REST}/request/${key}/sla/1`, headers: samAuth }), 200);
    expect(first.ongoingCycle).toBeUndefined();
    expect(first.completedCycles).toHaveLength(1);
    expect(first.completedCycles[0]).toMatchObject({ breached: false, goalDuration: { millis: 4 * HOUR } });
    expect(first.completedCycles[0].elapsedTime.millis).toBeGreaterThanOrEqual(HOUR - 60_000);
  });

  it("is the project's agents' only: its customer is refused, another organization finds nothing, an unknown metric is 404", async () => {
    const key = await raised(1);
    const alice = await loginCustomer(t.app, 'acme', 'alice@customer.test');
    expectError(await t.app.inject({ method: 'GET', url: `${REST}/request/${key}/sla`, headers: as(alice) }), 403, /agents/);
    const greta = await staffAuth(t, 'admin@globex.test');
    expectError(await t.app.inject({ method: 'GET', url: `${REST}/request/${key}/sla`, headers: greta }), 404);
    expectError(await t.app.inject({ method: 'GET', url: `${REST}/request/${key}/sla/3`, headers: samAuth }), 404, /no SLA/);
  });
});

describe('SLAs beside other answers: expand=sla on the request list, and a queue view\'s rows', () => {
  it('jira.js getCustomerRequests with expand=sla: the page of each request for an agent, an empty page for its customer', async () => {
    const key = await raised(2);
    const client = (auth: object) => createServiceDeskClient({ host: `${origin}/s/acme`, onSchemaMismatch: 'throw', ...auth });
    const sam = client({ auth: basicOf(samAuth) });
    const listed = await sam.request.getCustomerRequests({ requestOwnership: ['ALL_REQUESTS'], searchTerm: 'Printer on fire', expand: ['sla'] });
    const mine = listed.values!.find((r) => r.issueKey === key)!;
    expect(mine.sla!.values!.map((s) => s.name)).toEqual(['Time to first response', 'Time to resolution']);
    expect(mine.sla!.values![0].ongoingCycle).toMatchObject({ breached: false, goalDuration: { millis: 4 * HOUR } });
    expect(mine.sla!.values![0].ongoingCycle!.elapsedTime!.millis).toBeGreaterThanOrEqual(2 * HOUR - 60_000);
    // without the expand there is no sla at all
    expect((await sam.request.getCustomerRequests({ requestOwnership: ['ALL_REQUESTS'], searchTerm: 'Printer on fire' })).values!.every((r) => r.sla === undefined)).toBe(true);
    const alice = await loginCustomer(t.app, 'acme', 'alice@customer.test');
    const hers = await client({ headers: as(alice) }).request.getCustomerRequests({ expand: ['sla'] });
    expect(hers.values!.find((r) => r.issueKey === key)!.sla!.values).toEqual([]);
  });

  it("a queue view's rows carry each request's SLAs (the agent workspace's SLA column)", async () => {
    const key = await raised(5);
    const help = await t.db.selectFrom('projects').select('id').where('key', '=', 'HELP').executeTakeFirstOrThrow();
    const queue = await t.db.selectFrom('queues').select('id').where('project_id', '=', help.id).where('name', '=', 'All open').executeTakeFirstOrThrow();
    const page = json(await t.app.inject({ method: 'GET', url: `/s/acme/api/agent/projects/HELP/queues/${queue.id}/issues?limit=100`, headers: samAuth }), 200);
    const row = page.values.find((r: { key: string }) => r.key === key);
    expect(row.slas.map((s: { name: string }) => s.name)).toEqual(['Time to first response', 'Time to resolution']);
    // Medium: 4 h to answer, five hours gone
    expect(row.slas[0].ongoing).toMatchObject({ breached: true, paused: false });
    expect(row.slas[1].ongoing).toMatchObject({ breached: false });
  });
});
