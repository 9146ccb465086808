import { addBusinessMillis, businessMillisBetween, isWithinCalendar, type BusinessCalendar } from './business-calendar.js';
import type { RequestStatus } from './request-workflow.js';
import type { Priority } from './priority.js';

// Service level agreements (docs/product.md#slas): how long a request may wait for its first answer
// and for its resolution, by its priority, counted in a project's business calendar. A request's
// SLAs are never stored as running clocks: they are worked out from its history (when it was made,
// each status it entered, each answer from support, each priority it was given) whenever they are
// shown, so a goal or a calendar changed today applies to every request at once, and nothing drifts.


/** What happened to a request that an SLA counts, at the instant it happened. */
export type SlaEvent =
  | { at: Date; kind: 'created'; status: RequestStatus; priority: Priority }
  | { at: Date; kind: 'status'; to: RequestStatus }
  | { at: Date; kind: 'priority'; to: Priority }
  /** a comment by someone who works the project, visible to the customer */
  | { at: Date; kind: 'supportReply' };

export type SlaMetricId = 'time-to-first-response' | 'time-to-resolution';

export interface SlaMetric {
  id: SlaMetricId;
  /** the REST API's numeric id, as a string */
  restId: string;
  name: string;
}

export const SLA_METRICS: readonly SlaMetric[] = [
  { id: 'time-to-first-response', restId: '1', name: 'Time to first response' },
  { id: 'time-to-resolution', restId: '2', name: 'Time to resolution' },
];

/** A goal per priority in ms; null: no goal for that priority (the SLA is not measured). */
export type SlaGoals = Record<Priority, number | null>;

const HOUR = 3_600_000;
/** The goals a new project starts with (docs/product.md#slas), in working time. */
export const DEFAULT_SLA_GOALS: Record<SlaMetricId, SlaGoals> = {
  'time-to-first-response': { Highest: 1 * HOUR, High: 2 * HOUR, Medium: 4 * HOUR, Low: 8 * HOUR, Lowest: 16 * HOUR },
  'time-to-resolution': { Highest: 4 * HOUR, High: 8 * HOUR, Medium: 24 * HOUR, Low: 40 * HOUR, Lowest: 80 * HOUR },
};

export interface SlaCycle {
  startTime: Date;
  /** set on a completed cycle */
  stopTime: Date | null;
  /** when the goal is (or was) due: null without working time ahead, or while paused with time left (it moves) */
  breachTime: Date | null;
  breached: boolean;
  /** only an ongoing cycle pauses */
  paused: boolean;
  /** whether `now` (or the stop) is inside the calendar's working time */
  withinCalendarHours: boolean;
  goalMillis: number;
  elapsedMillis: number;
  /** goal less elapsed: negative once breached */
  remainingMillis: number;
}

export interface SlaState {
  metric: SlaMetric;
  completedCycles: SlaCycle[];
  ongoingCycle: SlaCycle | null;
}

const DONE: readonly RequestStatus[] = ['Resolved', 'Declined', 'Closed'];

/**
 * What starts, pauses and stops each metric:
 * - time to first response: from the request's creation until support first answers it in public,
 *   or hands it to the customer (Waiting for customer), or it is resolved; one cycle, never again.
 * - time to resolution: from creation until it is Resolved or Closed, not counting the time it
 *   waits for the customer; a request reopened starts a new cycle.
 */
interface Rules {
  /** whether entering `status` (from `previous`, null at creation) starts a cycle when none runs */
  startsOn(status: RequestStatus, previous: RequestStatus | null): boolean;
  stopsOn(event: SlaEvent, status: RequestStatus): boolean;
  pausedIn(status: RequestStatus): boolean;
}

const RULES: Record<SlaMetricId, Rules> = {
  'time-to-first-response': {
    startsOn: (status, previous) => previous === null && !DONE.includes(status) && status !== 'Waiting for customer',
    stopsOn: (event, status) => event.kind === 'supportReply' || status === 'Waiting for customer' || DONE.includes(status),
    pausedIn: () => false,
  },
  'time-to-resolution': {
    startsOn: (status, previous) => !DONE.includes(status) && (previous === null || DONE.includes(previous)),
    stopsOn: (_event, status) => DONE.includes(status),
    pausedIn: (status) => status === 'Waiting for customer',
  },
};

interface OpenCycle {
  start: Date;
  /** the stretches it ran (not paused), the last one open while `runningSince` is set */
  ran: Array<[Date, Date]>;
  runningSince: Date | null;
}

/**
 * A request's state of one metric at `now`, from its history (any order; simultaneous events keep
 * their given order; events after `now` are not yet). The goal of a cycle is the one for the
 * request's priority while it runs — a priority changed mid-cycle re-targets it, as Jira Service
 * Management does — or at its stop once completed. With no goal for the priority a cycle is not shown.
 */
export function computeSla(metric: SlaMetric, events: SlaEvent[], goals: SlaGoals, calendar: BusinessCalendar | null, now: Date): SlaState {
  const rules = RULES[metric.id];
  const ordered = events
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.at.getTime() <= now.getTime())
    .sort((x, y) => x.e.at.getTime() - y.e.at.getTime() || x.i - y.i)
    .map(({ e }) => e);
  const completed: SlaCycle[] = [];
  let status: RequestStatus | null = null;
  let priority: Priority = 'Medium';
  let cycle: OpenCycle | null = null;

  for (const e of ordered) {
    if (e.kind === 'priority') {
      priority = e.to;
      continue;
    }
    const previous = status;
    if (e.kind === 'created') {
      if (status !== null) continue; // made once
      status = e.status;
      priority = e.priority;
    } else if (e.kind === 'status') {
      if (status === null) continue;
      status = e.to;
    } else if (status === null) {
      continue;
    }
    if (cycle && rules.stopsOn(e, status)) {
      if (cycle.runningSince) cycle.ran.push([cycle.runningSince, e.at]);
      const goal = goals[priority];
      if (goal !== null) completed.push(describeCycle(cycle.start, cycle.ran, e.at, goal, calendar, e.at));
      cycle = null;
      if (metric.id === 'time-to-first-response') break; // one cycle, never again
    }
    if (!cycle && e.kind !== 'supportReply' && (previous === null || e.kind === 'status') && rules.startsOn(status, previous)) {
      cycle = { start: e.at, ran: [], runningSince: rules.pausedIn(status) ? null : e.at };
    } else if (cycle) {
      if (rules.pausedIn(status) && cycle.runningSince) {
        cycle.ran.push([cycle.runningSince, e.at]);
        cycle.runningSince = null;
      } else if (!rules.pausedIn(status) && !cycle.runningSince) {
        cycle.runningSince = e.at;
      }
    }
    if (metric.id === 'time-to-first-response' && !cycle && completed.length === 0 && previous === null) break; // never started
  }

  const open = cycle as OpenCycle | null;
  const goal = goals[priority];
  let ongoing: SlaCycle | null = null;
  if (open && goal !== null) {
    const ran = open.runningSince ? [...open.ran, [open.runningSince, now] as [Date, Date]] : open.ran;
    ongoing = describeCycle(open.start, ran, null, goal, calendar, now);
    ongoing.paused = open.runningSince === null;
    if (open.runningSince && !ongoing.breached) {
      // still to come: when the time left runs out, if nothing pauses or stops it first
      ongoing.breachTime = addBusinessMillis(calendar, now, ongoing.remainingMillis);
    }
  }
  return { metric, completedCycles: completed, ongoingCycle: ongoing };
}

/** A cycle from the stretches it ran: elapsed working time, and when the goal was reached within them. */
function describeCycle(start: Date, ran: Array<[Date, Date]>, stop: Date | null, goal: number, calendar: BusinessCalendar | null, at: Date): SlaCycle {
  let elapsed = 0;
  let breachTime: Date | null = null;
  for (const [from, to] of ran) {
    const part = businessMillisBetween(calendar, from, to);
    if (breachTime === null && elapsed + part > goal) breachTime = addBusinessMillis(calendar, from, goal - elapsed);
    elapsed += part;
  }
  return {
    startTime: start,
    stopTime: stop,
    breachTime,
    breached: elapsed > goal,
    paused: false,
    withinCalendarHours: isWithinCalendar(calendar, at),
    goalMillis: goal,
    elapsedMillis: elapsed,
    remainingMillis: goal - elapsed,
  };
}

/**
 * A duration as Jira Service Management words it: "2h 30m", "45m", "0m", "-1h 5m" (rounded down to
 * the minute, towards zero; a negative one is overdue).
 */
export function friendlyDuration(millis: number): string {
  const sign = millis < 0 ? '-' : '';
  const minutes = Math.floor(Math.abs(millis) / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return sign + (h > 0 ? `${h}h ${m}m` : `${m}m`);
}
