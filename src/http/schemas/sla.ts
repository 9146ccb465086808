import { Type } from 'typebox';
import { DateTime, Nullable } from './common.js';
import { WEEKDAYS } from '../../domain/sla-settings.js';

// A project's SLA settings and a request's SLA timers as Portico's REST API and the agent workspace
// answer them (docs/product.md#slas). Ranges (goals, hours, time zone) are checked by the use case
// (domain/sla-settings.ts) so each 400 names its field in words.

const Goal = Nullable(Type.Integer({ description: 'minutes of working time; null: this priority is not measured' }));
const GoalsByPriority = Type.Object(
  { Highest: Type.Optional(Goal), High: Type.Optional(Goal), Medium: Type.Optional(Goal), Low: Type.Optional(Goal), Lowest: Type.Optional(Goal) },
  { additionalProperties: false, description: 'a priority left out is not measured' },
);
const Stretch = Type.Object({ start: Type.String({ maxLength: 5, description: 'HH:MM' }), end: Type.String({ maxLength: 5, description: 'HH:MM (24:00: the end of the day)' }) }, { additionalProperties: false });

export const SlaGoalsSchema = Type.Object(
  { 'time-to-first-response': GoalsByPriority, 'time-to-resolution': GoalsByPriority },
  { additionalProperties: false, description: 'minutes per priority per metric' },
);

export const SlaCalendarSchema = Type.Object(
  {
    timeZone: Type.String({ maxLength: 64, description: 'IANA time zone, e.g. Europe/Berlin' }),
    workingHours: Type.Object(Object.fromEntries(WEEKDAYS.map((d) => [d, Type.Optional(Type.Array(Stretch, { maxItems: 8 }))])), {
      additionalProperties: false,
      description: 'the working stretches of each weekday; a day missing or empty is closed',
    }),
    holidays: Type.Array(Type.String({ maxLength: 20 }), { maxItems: 400, description: 'local dates (YYYY-MM-DD) on which nothing counts' }),
  },
  { additionalProperties: false },
);

export const SlaSettingsSchema = Type.Object({
  serviceDeskId: Type.String(),
  projectKey: Type.String(),
  projectName: Type.String(),
  goals: SlaGoalsSchema,
  calendar: Nullable(SlaCalendarSchema),
});

export const SlaSettingsBody = Type.Object(
  { goals: SlaGoalsSchema, calendar: Nullable(SlaCalendarSchema) },
  { additionalProperties: false },
);

const Cycle = {
  breached: Type.Boolean(),
  goalMillis: Type.Integer(),
  elapsedMillis: Type.Integer(),
  remainingMillis: Type.Integer(),
  /** Jira's words: "2h 30m", "-1h 5m" */
  goal: Type.String(),
  elapsed: Type.String(),
  remaining: Type.String(),
  breachTime: Nullable(DateTime),
};

/** One metric of a request as the agent workspace shows it: the running cycle, and the completed ones. */
export const AgentSlaSchema = Type.Object({
  id: Type.String({ description: 'time-to-first-response | time-to-resolution' }),
  name: Type.String(),
  ongoing: Nullable(Type.Object({ ...Cycle, paused: Type.Boolean(), withinCalendarHours: Type.Boolean() })),
  completed: Type.Array(Type.Object({ ...Cycle, stopTime: DateTime })),
});

export const AgentSlasSchema = Type.Object({ slas: Type.Array(AgentSlaSchema) });
