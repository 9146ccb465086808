import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { weekdaysNineToFive } from '../../src/domain/business-calendar.js';
import { computeSla, DEFAULT_SLA_GOALS, friendlyDuration, SLA_METRICS, type SlaEvent, type SlaGoals } from '../../src/domain/sla.js';
import type { Priority } from '../../src/domain/priority.js';
import type { RequestStatus } from '../../src/domain/request-workflow.js';

const HOUR = 3_600_000;
const MIN = 60_000;
const [FIRST_RESPONSE, RESOLUTION] = SLA_METRICS;
const t0 = Date.parse('2026-12-01T10:00:00Z'); // a Tuesday
const at = (minutes: number) => new Date(t0 + minutes * MIN);
const goals: SlaGoals = { Highest: 1 * HOUR, High: 2 * HOUR, Medium: 4 * HOUR, Low: 8 * HOUR, Lowest: null };
const created = (priority: Priority = 'Medium'): SlaEvent => ({ at: at(0), kind: 'created', status: 'Open', priority });
const status = (minutes: number, to: RequestStatus): SlaEvent => ({ at: at(minutes), kind: 'status', to });

describe('time to first response', () => {
  it('runs from creation until support first answers in public, once', () => {
    const events: SlaEvent[] = [created(), { at: at(30), kind: 'supportReply' }, status(40, 'Waiting for customer'), status(50, 'Waiting for support'), { at: at(90), kind: 'supportReply' }];
    const sla = computeSla(FIRST_RESPONSE, events, goals, null, at(600));
    expect(sla.ongoingCycle).toBeNull();
    expect(sla.completedCycles).toHaveLength(1);
    expect(sla.completedCycles[0]).toMatchObject({ startTime: at(0), stopTime: at(30), breached: false, elapsedMillis: 30 * MIN, remainingMillis: 4 * HOUR - 30 * MIN });
  });

  it('is running, then breached, while nobody answers; its due time is creation plus the goal', () => {
    const running = computeSla(FIRST_RESPONSE, [created('High')], goals, null, at(90));
    expect(running.ongoingCycle).toMatchObject({ breached: false, paused: false, elapsedMillis: 90 * MIN, remainingMillis: 30 * MIN, breachTime: at(120) });
    const late = computeSla(FIRST_RESPONSE, [created('High')], goals, null, at(150));
    expect(late.ongoingCycle).toMatchObject({ breached: true, elapsedMillis: 150 * MIN, remainingMillis: -30 * MIN, breachTime: at(120) });
  });

  it('has no cycle for a priority without a goal', () => {
    expect(computeSla(FIRST_RESPONSE, [created('Lowest')], goals, null, at(90)).ongoingCycle).toBeNull();
  });
});

describe('time to resolution', () => {
  it('pauses while waiting for the customer and stops when resolved', () => {
    const events: SlaEvent[] = [created(), status(60, 'Waiting for customer'), status(180, 'Waiting for support'), status(240, 'Resolved')];
    const sla = computeSla(RESOLUTION, events, goals, null, at(300));
    expect(sla.ongoingCycle).toBeNull();
    // 60 minutes before the wait, 60 after it
    expect(sla.completedCycles).toEqual([expect.objectContaining({ startTime: at(0), stopTime: at(240), elapsedMillis: 120 * MIN, breached: false })]);
  });

  it('is paused with no due time while it waits, and says so', () => {
    const sla = computeSla(RESOLUTION, [created(), status(60, 'Waiting for customer')], goals, null, at(500));
    expect(sla.ongoingCycle).toMatchObject({ paused: true, elapsedMillis: 60 * MIN, breachTime: null, breached: false });
  });

  it('starts a new cycle when a resolved request is reopened', () => {
    const events: SlaEvent[] = [created(), status(60, 'Resolved'), status(120, 'Open'), status(150, 'In progress')];
    const sla = computeSla(RESOLUTION, events, goals, null, at(200));
    expect(sla.completedCycles).toHaveLength(1);
    expect(sla.ongoingCycle).toMatchObject({ startTime: at(120), elapsedMillis: 80 * MIN });
  });

  it('takes the goal of the priority the request has now: a raised priority can breach it at once', () => {
    const events: SlaEvent[] = [created('Low'), { at: at(90), kind: 'priority', to: 'Highest' }];
    expect(computeSla(RESOLUTION, events, goals, null, at(80)).ongoingCycle).toMatchObject({ goalMillis: 8 * HOUR, breached: false });
    expect(computeSla(RESOLUTION, events, goals, null, at(100)).ongoingCycle).toMatchObject({ goalMillis: 1 * HOUR, breached: true, breachTime: at(60) });
  });

  it('counts business hours only, in the calendar of the project', () => {
    // created Tuesday 10:00 UTC = 11:00 Berlin; at 17:00 Berlin six hours have passed; overnight none
    const berlin = weekdaysNineToFive('Europe/Berlin');
    const tuesdayNight = new Date('2026-12-01T22:00:00Z');
    const sla = computeSla(RESOLUTION, [created('Low')], goals, berlin, tuesdayNight);
    expect(sla.ongoingCycle).toMatchObject({ elapsedMillis: 6 * HOUR, remainingMillis: 2 * HOUR, withinCalendarHours: false, breachTime: new Date('2026-12-02T10:00:00Z') });
  });

  it('ignores what happens after now', () => {
    const sla = computeSla(RESOLUTION, [created(), status(600, 'Resolved')], goals, null, at(100));
    expect(sla.completedCycles).toEqual([]);
    expect(sla.ongoingCycle).toMatchObject({ elapsedMillis: 100 * MIN });
  });
});

describe('SLA properties over any history', () => {
  const STATUSES: RequestStatus[] = ['Open', 'Waiting for support', 'Waiting for customer', 'In progress', 'Resolved', 'Closed'];
  const history = fc.array(
    fc.oneof(
      fc.record({ minutes: fc.integer({ min: 0, max: 5000 }), kind: fc.constant('status' as const), to: fc.constantFrom(...STATUSES) }),
      fc.record({ minutes: fc.integer({ min: 0, max: 5000 }), kind: fc.constant('supportReply' as const) }),
      fc.record({ minutes: fc.integer({ min: 0, max: 5000 }), kind: fc.constant('priority' as const), to: fc.constantFrom('Highest', 'High', 'Medium', 'Low') }),
    ),
    { maxLength: 25 },
  );
  const toEvents = (h: Array<{ minutes: number; kind: string; to?: string }>): SlaEvent[] => [
    created(),
    ...h.map((e) => ({ ...e, at: at(e.minutes) }) as unknown as SlaEvent),
  ];

  it('property: cycles are in order and apart, elapsed never exceeds their wall-clock time, remaining is goal less elapsed', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 0, max: 6000 }), fc.constantFrom(null, weekdaysNineToFive('America/New_York')), (h, nowMinutes, calendar) => {
        const now = at(nowMinutes);
        for (const metric of SLA_METRICS) {
          const sla = computeSla(metric, toEvents(h), goals, calendar, now);
          const cycles = [...sla.completedCycles, ...(sla.ongoingCycle ? [sla.ongoingCycle] : [])];
          let last = -Infinity;
          for (const c of cycles) {
            const end = (c.stopTime ?? now).getTime();
            expect(c.startTime.getTime()).toBeGreaterThanOrEqual(last);
            expect(c.elapsedMillis).toBeGreaterThanOrEqual(0);
            expect(c.elapsedMillis).toBeLessThanOrEqual(end - c.startTime.getTime());
            expect(c.remainingMillis).toBe(c.goalMillis - c.elapsedMillis);
            expect(c.breached).toBe(c.elapsedMillis > c.goalMillis);
            if (c.breached) expect(c.breachTime!.getTime()).toBeLessThanOrEqual(end);
            last = end;
          }
          if (metric.id === 'time-to-first-response') expect(cycles.length).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('property: the clock only moves forward — elapsed time never falls as now advances', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 0, max: 6000 }), fc.integer({ min: 0, max: 600 }), (h, nowMinutes, later) => {
        const events = toEvents(h);
        const total = (minutes: number) => {
          const sla = computeSla(RESOLUTION, events, DEFAULT_SLA_GOALS['time-to-resolution'], null, at(minutes));
          return [...sla.completedCycles, ...(sla.ongoingCycle ? [sla.ongoingCycle] : [])].reduce((sum, c) => sum + c.elapsedMillis, 0);
        };
        expect(total(nowMinutes + later)).toBeGreaterThanOrEqual(total(nowMinutes));
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});

describe('durations in words', () => {
  it('reads as Jira Service Management writes them', () => {
    expect(friendlyDuration(2 * HOUR + 30 * MIN)).toBe('2h 30m');
    expect(friendlyDuration(45 * MIN + 59_000)).toBe('45m');
    expect(friendlyDuration(0)).toBe('0m');
    expect(friendlyDuration(-(1 * HOUR + 5 * MIN))).toBe('-1h 5m');
  });
});
