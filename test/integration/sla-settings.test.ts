import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestApp, loginCustomer, type TestApp } from '../support/app.js';
import { expectError, json, staffAuth, type Headers } from './rest-helpers.js';

// A project's SLA settings (docs/product.md#slas): its goals per priority and business calendar,
// set on Portico's REST API by its agents and admins, and used wherever SLAs are shown — the REST
// …/sla endpoints, expand=sla, and the agent workspace's request view and queue.

let t: TestApp;
let sam: Headers;
const HOUR = 3_600_000;
const REST = '/s/acme/rest/servicedeskapi';
const SETTINGS = '/s/acme/rest/portico/1/servicedesk/HELP/sla-settings';
const DEFAULTS = {
  'time-to-first-response': { Highest: 60, High: 120, Medium: 240, Low: 480, Lowest: 960 },
  'time-to-resolution': { Highest: 240, High: 480, Medium: 1440, Low: 2400, Lowest: 4800 },
};
const CLOSED_EVERY_DAY = { timeZone: 'Europe/Berlin', workingHours: {}, holidays: [] };

beforeAll(async () => {
  t = await createTestApp();
  sam = await staffAuth(t, 'agent@acme.test');
});
afterAll(() => t?.close());

const inject = (method: 'GET' | 'PUT', url: string, headers: Record<string, string>, payload?: unknown) => t.app.inject({ method, url, headers, payload: payload as object });

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

describe('SLA settings (docs/product.md#slas)', () => {
  it('start as the defaults; a changed goal and a calendar apply at once to the REST SLAs and expand=sla; audited', async () => {
    expect(json(await inject('GET', SETTINGS, sam), 200)).toMatchObject({ projectKey: 'HELP', goals: DEFAULTS, calendar: null });
    const key = await raised(3);
    let first = json(await inject('GET', `${REST}/request/${key}/sla/1`, sam), 200);
    expect(first.ongoingCycle).toMatchObject({ breached: false, goalDuration: { millis: 4 * HOUR } });

    // Medium answered within 2 h now: three hours gone, breached; Medium resolution no longer measured
    const goals = { ...DEFAULTS, 'time-to-first-response': { ...DEFAULTS['time-to-first-response'], Medium: 120 }, 'time-to-resolution': { ...DEFAULTS['time-to-resolution'], Medium: null } };
    expect(json(await inject('PUT', SETTINGS, sam, { goals, calendar: null }), 200)).toMatchObject({ goals });
    first = json(await inject('GET', `${REST}/request/${key}/sla/1`, sam), 200);
    expect(first.ongoingCycle).toMatchObject({ breached: true, goalDuration: { millis: 2 * HOUR } });
    const resolution = json(await inject('GET', `${REST}/request/${key}/sla/2`, sam), 200);
    expect(resolution.ongoingCycle).toBeUndefined();

    // a calendar without working hours: nothing has counted
    json(await inject('PUT', SETTINGS, sam, { goals, calendar: CLOSED_EVERY_DAY }), 200);
    const expanded = json(await inject('GET', `${REST}/request/${key}?expand=sla`, sam), 200);
    expect(expanded.sla.values[0]).toMatchObject({ name: 'Time to first response', ongoingCycle: { breached: false, elapsedTime: { millis: 0 }, withinCalendarHours: false } });
    // its customer sees no SLAs
    const alice = await loginCustomer(t.app, 'acme', 'alice@customer.test');
    expect(json(await inject('GET', `${REST}/request/${key}?expand=sla`, as(alice)), 200).sla.values).toEqual([]);

    const audit = await t.db.selectFrom('audit_events').select(['details']).where('action', '=', 'project.sla.changed').execute();
    expect(audit.length).toBeGreaterThanOrEqual(2);
    json(await inject('PUT', SETTINGS, sam, { goals: DEFAULTS, calendar: null }), 200);
  });

  it('a bad time zone, bad hours, a negative goal or a bad holiday is a 400 naming the field, and changes nothing', async () => {
    const cases: Array<[unknown, string]> = [
      [{ goals: DEFAULTS, calendar: { ...CLOSED_EVERY_DAY, timeZone: 'Mars/Olympus' } }, 'calendar.timeZone'],
      [{ goals: DEFAULTS, calendar: { ...CLOSED_EVERY_DAY, workingHours: { monday: [{ start: '17:00', end: '09:00' }] } } }, 'calendar.workingHours.monday'],
      [{ goals: DEFAULTS, calendar: { ...CLOSED_EVERY_DAY, workingHours: { friday: [{ start: '9am', end: '17:00' }] } } }, 'calendar.workingHours.friday'],
      [{ goals: { ...DEFAULTS, 'time-to-resolution': { ...DEFAULTS['time-to-resolution'], High: -5 } }, calendar: null }, 'goals.time-to-resolution.High'],
      [{ goals: DEFAULTS, calendar: { ...CLOSED_EVERY_DAY, holidays: ['2026-13-01'] } }, 'calendar.holidays'],
    ];
    for (const [body, field] of cases) {
      const error = expectError(await inject('PUT', SETTINGS, sam, body), 400);
      expect(Object.keys(error.errors)).toContain(field);
    }
    expect(json(await inject('GET', SETTINGS, sam), 200)).toMatchObject({ goals: DEFAULTS, calendar: null });
  });

  it("are the project's agents' and admins': its customer is refused, another organization finds nothing", async () => {
    const alice = await loginCustomer(t.app, 'acme', 'alice@customer.test');
    expectError(await inject('GET', SETTINGS, as(alice)), 403);
    expectError(await inject('PUT', SETTINGS, as(alice), { goals: DEFAULTS, calendar: null }), 403);
    const greta = await staffAuth(t, 'admin@globex.test');
    expectError(await inject('PUT', SETTINGS, greta, { goals: DEFAULTS, calendar: null }), 404);
    const ada = await staffAuth(t, 'admin@acme.test');
    json(await inject('PUT', SETTINGS, ada, { goals: DEFAULTS, calendar: { timeZone: 'Europe/Berlin', workingHours: { monday: [{ start: '09:00', end: '17:00' }] }, holidays: ['2026-12-25'] } }), 200);
    expect(json(await inject('GET', SETTINGS, sam), 200).calendar).toMatchObject({ timeZone: 'Europe/Berlin', workingHours: { monday: [{ start: '09:00', end: '17:00' }], tuesday: [] }, holidays: ['2026-12-25'] });
    json(await inject('PUT', SETTINGS, ada, { goals: DEFAULTS, calendar: null }), 200);
  });

  it("the agent workspace's request view and queue get each request's timers", async () => {
    const key = await raised(5);
    const { slas } = json(await inject('GET', `/s/acme/api/agent/requests/${key}/slas`, sam), 200);
    expect(slas.map((s: { name: string }) => s.name)).toEqual(['Time to first response', 'Time to resolution']);
    expect(slas[0].ongoing).toMatchObject({ breached: true, paused: false, goal: '4h 0m' });
    expect(slas[0].ongoing.remaining).toMatch(/^-1h 0m|^-(0h )?59m/);
    expect(slas[1].ongoing).toMatchObject({ breached: false, goal: '24h 0m' });

    const queue = json(await inject('GET', '/s/acme/api/agent/projects/HELP/queue?limit=100', sam), 200);
    const row = queue.values.find((r: { key: string }) => r.key === key);
    expect(row.slas[0].ongoing).toMatchObject({ breached: true });

    const alice = await loginCustomer(t.app, 'acme', 'alice@customer.test');
    expectError(await inject('GET', `/s/acme/api/agent/requests/${key}/slas`, as(alice)), 403);
  });
});
