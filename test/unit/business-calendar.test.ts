import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addBusinessMillis, businessMillisBetween, calendarProblem, isWithinCalendar, weekdaysNineToFive, type BusinessCalendar } from '../../src/domain/business-calendar.js';

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);
const berlin = weekdaysNineToFive('Europe/Berlin');
const newYork = weekdaysNineToFive('America/New_York', ['2026-12-25']);
/** Sundays from midnight to 4:00: the hours in which European clocks change */
const sundayNights: BusinessCalendar = { timeZone: 'Europe/Berlin', hours: { 7: [{ start: 0, end: 4 * 60 }] }, holidays: [] };
/** two stretches a day, Monday to Saturday, in a zone 5:45 ahead of UTC */
const split: BusinessCalendar = {
  timeZone: 'Asia/Kathmandu',
  hours: Object.fromEntries([1, 2, 3, 4, 5, 6].map((d) => [d, [{ start: 8 * 60, end: 12 * 60 }, { start: 13 * 60 + 30, end: 18 * 60 }]])),
  holidays: [],
};

describe('a business calendar', () => {
  it('counts only working hours in its own time zone', () => {
    // Friday 2026-12-04, 16:00 in Berlin (15:00 UTC) to Monday 10:00 (09:00 UTC): one hour Friday, one Monday
    expect(businessMillisBetween(berlin, at('2026-12-04T15:00:00Z'), at('2026-12-07T09:00:00Z'))).toBe(2 * HOUR);
    // an eight-hour goal set then is due at 16:00 on Monday, Berlin time (one hour Friday, seven Monday)
    expect(addBusinessMillis(berlin, at('2026-12-04T15:00:00Z'), 8 * HOUR)).toEqual(at('2026-12-07T15:00:00Z'));
    // no calendar: every moment counts
    expect(businessMillisBetween(null, at('2026-12-04T15:00:00Z'), at('2026-12-07T09:00:00Z'))).toBe(66 * HOUR);
  });

  it('skips holidays', () => {
    // Thursday 24 December 2026 16:00 New York; 25th a holiday; two hours are due Monday 28th at 10:00
    expect(addBusinessMillis(newYork, at('2026-12-24T21:00:00Z'), 2 * HOUR)).toEqual(at('2026-12-28T15:00:00Z'));
  });

  it('keeps nine o\'clock at nine across a change of the clocks (DST)', () => {
    // New York moves to summer time on Sunday 8 March 2026: nine on the Friday before is 14:00 UTC,
    // on the Monday after 13:00 UTC; a Friday-to-Monday span holds 8 working hours each side
    expect(isWithinCalendar(newYork, at('2026-03-06T14:00:00Z'))).toBe(true);
    expect(isWithinCalendar(newYork, at('2026-03-09T12:59:00Z'))).toBe(false);
    expect(isWithinCalendar(newYork, at('2026-03-09T13:00:00Z'))).toBe(true);
    expect(businessMillisBetween(newYork, at('2026-03-06T14:00:00Z'), at('2026-03-09T21:00:00Z'))).toBe(16 * HOUR);
    // the night the clocks go forward holds three hours from midnight to four, the night they go back five
    expect(businessMillisBetween(sundayNights, at('2026-03-28T12:00:00Z'), at('2026-03-29T12:00:00Z'))).toBe(3 * HOUR);
    expect(businessMillisBetween(sundayNights, at('2026-10-24T12:00:00Z'), at('2026-10-25T12:00:00Z'))).toBe(5 * HOUR);
    expect(businessMillisBetween(sundayNights, at('2026-11-28T12:00:00Z'), at('2026-11-29T12:00:00Z'))).toBe(4 * HOUR);
  });

  it('refuses a calendar it cannot use, in words', () => {
    expect(calendarProblem(berlin)).toBeNull();
    expect(calendarProblem({ ...berlin, timeZone: 'Mars/Olympus' })).toBe('"Mars/Olympus" is not a time zone.');
    expect(calendarProblem({ ...berlin, hours: { 1: [{ start: 600, end: 500 }] } })).toMatch(/start before they end/);
    expect(calendarProblem({ ...berlin, hours: { 1: [{ start: 500, end: 700 }, { start: 600, end: 800 }] } })).toMatch(/not overlap/);
    expect(calendarProblem({ ...berlin, holidays: ['25/12/2026'] })).toMatch(/not a date/);
    // no working hours at all: nothing is ever due
    expect(addBusinessMillis({ ...berlin, hours: {} }, at('2026-12-04T15:00:00Z'), HOUR)).toBeNull();
  });

  const calendars = fc.constantFrom<BusinessCalendar | null>(null, berlin, newYork, sundayNights, split);
  // instants over two years that hold four changes of the clocks in each zone
  const instant = fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-12-31T00:00:00Z') }).map((t) => new Date(t));
  const span = fc.integer({ min: 0, max: 60 * 24 * HOUR });

  it('property: working time is additive over consecutive spans, and never more than the wall clock', () => {
    fc.assert(
      fc.property(calendars, instant, span, span, (cal, a, x, y) => {
        const b = new Date(a.getTime() + x);
        const c = new Date(b.getTime() + y);
        const whole = businessMillisBetween(cal, a, c);
        expect(whole).toBe(businessMillisBetween(cal, a, b) + businessMillisBetween(cal, b, c));
        expect(whole).toBeLessThanOrEqual(c.getTime() - a.getTime());
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it('property: a due time holds exactly the working time asked for, and lies in working time', () => {
    fc.assert(
      fc.property(calendars, instant, fc.integer({ min: 1, max: 200 * HOUR }), (cal, from, goal) => {
        const due = addBusinessMillis(cal, from, goal)!;
        expect(due.getTime()).toBeGreaterThan(from.getTime());
        expect(businessMillisBetween(cal, from, due)).toBe(goal);
        // the moment just before it is working time (it is not reached across a closed stretch)
        expect(isWithinCalendar(cal, new Date(due.getTime() - 1))).toBe(true);
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});
