import { DateTime } from 'luxon';

// A business calendar (docs/product.md#slas): the hours of each weekday that count towards a service
// goal, in a time zone, less holidays. An SLA measured "in business hours" counts only the time that
// falls inside them; a goal of 8 hours set at 16:00 on a Friday on a 9–17 weekday calendar is due
// at 16:00 on Monday. Wall-clock times are the calendar's own time zone's, so "9:00" is nine in the
// morning there every day of the year, also on the days its clocks change (luxon does the zone
// arithmetic: that is not Portico's own business).

/** ISO weekday: 1 Monday … 7 Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** One stretch of working time in a day, as minutes after the local midnight: [start, end). */
export interface WorkingHours {
  start: number;
  end: number;
}

export interface BusinessCalendar {
  /** IANA time zone, e.g. "Europe/Berlin" */
  timeZone: string;
  /** the working stretches of each weekday, in order, not overlapping; a missing day has none */
  hours: Partial<Record<Weekday, WorkingHours[]>>;
  /** local dates (YYYY-MM-DD) on which nothing counts */
  holidays: string[];
}

/** Monday to Friday, 9:00 to 17:00, in the time zone given. */
export function weekdaysNineToFive(timeZone: string, holidays: string[] = []): BusinessCalendar {
  const day = [{ start: 9 * 60, end: 17 * 60 }];
  return { timeZone, hours: { 1: day, 2: day, 3: day, 4: day, 5: day }, holidays };
}

const MINUTES_A_DAY = 24 * 60;
/** How far ahead a due time is looked for before a calendar is taken to have no working time left. */
const HORIZON_DAYS = 3 * 366;

/** What is wrong with a calendar as given, in words; null when it is fine. */
export function calendarProblem(calendar: BusinessCalendar): string | null {
  if (!DateTime.local().setZone(calendar.timeZone).isValid) return `"${calendar.timeZone}" is not a time zone.`;
  for (const [day, stretches] of Object.entries(calendar.hours)) {
    let last = -1;
    for (const s of stretches ?? []) {
      if (!Number.isInteger(s.start) || !Number.isInteger(s.end) || s.start < 0 || s.end > MINUTES_A_DAY || s.start >= s.end) {
        return `Working hours on day ${day} must start before they end, within the day.`;
      }
      if (s.start < last) return `Working hours on day ${day} must be in order and not overlap.`;
      last = s.end;
    }
  }
  for (const h of calendar.holidays) if (!DateTime.fromISO(h, { zone: calendar.timeZone }).isValid || !/^\d{4}-\d{2}-\d{2}$/.test(h)) return `"${h}" is not a date (YYYY-MM-DD).`;
  return null;
}

/** The instants a local wall-clock time of a day stands for (a time skipped by a clock change moves forward, as clocks do). */
function instantOf(day: DateTime, minute: number): number {
  if (minute >= MINUTES_A_DAY) return day.plus({ days: 1 }).startOf('day').toMillis();
  return day.set({ hour: Math.floor(minute / 60), minute: minute % 60, second: 0, millisecond: 0 }).toMillis();
}

/** A local day of a calendar: its working stretches as instants (ms), and where the next day starts. */
interface CalendarDay {
  stretches: Array<[number, number]>;
  next: number;
}

// Days worked out once: a time zone's arithmetic costs tens of microseconds a step, and an SLA shown
// for a request open for months walks every day since. Keyed by the calendar's content and the day's
// first instant; bounded (cleared whole when full).
const days = new Map<string, CalendarDay>();
const DAYS_KEPT = 50_000;
const keys = new WeakMap<BusinessCalendar, string>();

function calendarDay(calendar: BusinessCalendar, dayStart: number): CalendarDay {
  let key = keys.get(calendar);
  if (key === undefined) {
    key = JSON.stringify([calendar.timeZone, calendar.hours, calendar.holidays]);
    keys.set(calendar, key);
  }
  const cacheKey = `${key}|${dayStart}`;
  const kept = days.get(cacheKey);
  if (kept) return kept;
  const day = DateTime.fromMillis(dayStart, { zone: calendar.timeZone });
  const stretches: Array<[number, number]> = [];
  if (!calendar.holidays.includes(day.toISODate()!)) {
    for (const s of calendar.hours[day.weekday as Weekday] ?? []) {
      const start = instantOf(day, s.start);
      const end = instantOf(day, s.end);
      if (end > start) stretches.push([start, end]);
    }
  }
  const made = { stretches, next: day.plus({ days: 1 }).startOf('day').toMillis() };
  if (days.size >= DAYS_KEPT) days.clear();
  days.set(cacheKey, made);
  return made;
}

/**
 * The calendar's working stretches as instants (ms since the epoch), in order, from the local day
 * holding `from` onwards, clipped to start no earlier than `from`. Ends when `until` is passed or
 * after HORIZON_DAYS days.
 */
function* workingStretches(calendar: BusinessCalendar, from: number, until = Number.POSITIVE_INFINITY): Generator<[number, number]> {
  let dayStart = DateTime.fromMillis(from, { zone: calendar.timeZone }).startOf('day').toMillis();
  for (let i = 0; i <= HORIZON_DAYS && dayStart < until; i++) {
    const day = calendarDay(calendar, dayStart);
    for (const [s, e] of day.stretches) {
      const start = Math.max(from, s);
      if (e > start) yield [start, e];
    }
    dayStart = day.next;
  }
}

/** The working time between two instants (ms); 0 when `to` is not after `from`. A null calendar counts every moment. */
export function businessMillisBetween(calendar: BusinessCalendar | null, from: Date, to: Date): number {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return 0;
  if (!calendar) return b - a;
  let total = 0;
  for (const [start, end] of workingStretches(calendar, a, b)) {
    if (start >= b) break;
    total += Math.min(end, b) - start;
  }
  return total;
}

/**
 * The instant at which `millis` of working time after `from` have passed: where a goal of that
 * length started (or resumed) at `from` is due. Null when the calendar has no such time within
 * about three years (a calendar without working hours). A null calendar counts every moment.
 */
export function addBusinessMillis(calendar: BusinessCalendar | null, from: Date, millis: number): Date | null {
  const a = from.getTime();
  if (!calendar) return new Date(a + millis);
  let left = Math.max(0, millis);
  for (const [start, end] of workingStretches(calendar, a)) {
    if (end - start >= left) return new Date(start + left);
    left -= end - start;
  }
  return null;
}

/** Whether an instant is inside the calendar's working time. */
export function isWithinCalendar(calendar: BusinessCalendar | null, at: Date): boolean {
  if (!calendar) return true;
  const t = at.getTime();
  for (const [start, end] of workingStretches(calendar, DateTime.fromMillis(t, { zone: calendar.timeZone }).startOf('day').toMillis(), t + 1)) {
    if (start <= t && t < end) return true;
  }
  return false;
}
