import { DateTime } from 'luxon';
import { calendarProblem, type BusinessCalendar, type Weekday, type WorkingHours } from './business-calendar.js';
import { badRequest } from './errors.js';
import { PRIORITIES } from './priority.js';
import { DEFAULT_SLA_GOALS, SLA_METRICS, type SlaGoals, type SlaMetricId } from './sla.js';

// A project's SLA settings (docs/product.md#slas): its goals per metric per priority and its
// business calendar, as an agent writes them (minutes, "09:00"–"17:00" per weekday, a time zone,
// holiday dates) and as the SLA rules read them (ms, minutes after midnight).

export interface SlaSettings {
  goals: Record<SlaMetricId, SlaGoals>;
  calendar: BusinessCalendar | null;
}

export const DEFAULT_SLA_SETTINGS: SlaSettings = { goals: DEFAULT_SLA_GOALS, calendar: null };

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type WeekdayName = (typeof WEEKDAYS)[number];

/** Goals in whole minutes (null: that priority is not measured). */
export type SlaGoalMinutes = Record<SlaMetricId, Record<(typeof PRIORITIES)[number], number | null>>;

/** The calendar as written: "HH:MM" stretches per weekday (a day missing or empty: closed). */
export interface CalendarInput {
  timeZone: string;
  workingHours: Partial<Record<WeekdayName, Array<{ start: string; end: string }>>>;
  holidays: string[];
}

/** The longest goal: a year of working time. */
export const MAX_GOAL_MINUTES = 366 * 24 * 60;
const MAX_HOLIDAYS = 366;
const MINUTE = 60_000;

export function goalsInMinutes(goals: Record<SlaMetricId, SlaGoals>): SlaGoalMinutes {
  const out = {} as SlaGoalMinutes;
  for (const m of SLA_METRICS) {
    out[m.id] = Object.fromEntries(PRIORITIES.map((p) => [p, goals[m.id][p] === null ? null : Math.round(goals[m.id][p]! / MINUTE)])) as SlaGoalMinutes[SlaMetricId];
  }
  return out;
}

const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

export function calendarAsInput(calendar: BusinessCalendar | null): CalendarInput | null {
  if (!calendar) return null;
  const workingHours: CalendarInput['workingHours'] = {};
  WEEKDAYS.forEach((name, i) => {
    const stretches = calendar.hours[(i + 1) as Weekday] ?? [];
    workingHours[name] = stretches.map((s) => ({ start: clock(s.start), end: clock(s.end) }));
  });
  return { timeZone: calendar.timeZone, workingHours, holidays: [...calendar.holidays] };
}

/** "09:30" as minutes after midnight ("24:00" is the end of the day); undefined when it is not a time. */
function minutesOf(text: string): number | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return undefined;
  return h * 60 + min;
}

/**
 * The settings an agent wrote, checked: every problem is a 400 naming its field
 * (`goals.time-to-resolution.High`, `calendar.timeZone`, `calendar.workingHours.monday`,
 * `calendar.holidays`).
 */
export function slaSettingsFrom(input: { goals: Record<SlaMetricId, Partial<SlaGoalMinutes[SlaMetricId]>>; calendar: CalendarInput | null }): SlaSettings {
  const errors: Record<string, string> = {};
  const goals = {} as Record<SlaMetricId, SlaGoals>;
  for (const m of SLA_METRICS) {
    const written = input.goals[m.id];
    const g = {} as SlaGoals;
    for (const p of PRIORITIES) {
      const minutes = written?.[p];
      if (minutes === null || minutes === undefined) g[p] = null;
      else if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_GOAL_MINUTES) {
        errors[`goals.${m.id}.${p}`] = `${m.name} for ${p}: a goal is a whole number of minutes from 1 to ${MAX_GOAL_MINUTES}, or none.`;
        g[p] = null;
      } else g[p] = minutes * MINUTE;
    }
    goals[m.id] = g;
  }
  let calendar: BusinessCalendar | null = null;
  if (input.calendar) {
    const c = input.calendar;
    const timeZone = c.timeZone.trim();
    if (!timeZone || !DateTime.local().setZone(timeZone).isValid) errors['calendar.timeZone'] = `"${timeZone.slice(0, 60)}" is not a time zone (e.g. Europe/Berlin).`;
    const hours: BusinessCalendar['hours'] = {};
    WEEKDAYS.forEach((name, i) => {
      const stretches: WorkingHours[] = [];
      for (const s of c.workingHours[name] ?? []) {
        const start = minutesOf(s.start);
        const end = minutesOf(s.end);
        if (start === undefined || end === undefined || start >= end) {
          errors[`calendar.workingHours.${name}`] = `Working hours on ${name[0].toUpperCase()}${name.slice(1)} must be times (HH:MM) that start before they end.`;
          return;
        }
        stretches.push({ start, end });
      }
      stretches.sort((a, b) => a.start - b.start);
      if (stretches.some((s, j) => j > 0 && s.start < stretches[j - 1].end)) {
        errors[`calendar.workingHours.${name}`] = `Working hours on ${name[0].toUpperCase()}${name.slice(1)} must not overlap.`;
        return;
      }
      if (stretches.length > 0) hours[(i + 1) as Weekday] = stretches;
    });
    const holidays = [...new Set(c.holidays.map((h) => h.trim()).filter(Boolean))].sort();
    const badDay = holidays.find((h) => !/^\d{4}-\d{2}-\d{2}$/.test(h) || !DateTime.fromISO(h).isValid);
    if (badDay !== undefined) errors['calendar.holidays'] = `"${badDay.slice(0, 20)}" is not a date (YYYY-MM-DD).`;
    else if (holidays.length > MAX_HOLIDAYS) errors['calendar.holidays'] = `At most ${MAX_HOLIDAYS} holidays.`;
    calendar = { timeZone, hours, holidays };
    if (Object.keys(errors).length === 0) {
      const problem = calendarProblem(calendar);
      if (problem) errors.calendar = problem;
    }
  }
  const fields = Object.keys(errors);
  if (fields.length > 0) throw badRequest(errors[fields[0]], errors);
  return { goals, calendar };
}
