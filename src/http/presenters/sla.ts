import type { Static } from 'typebox';
import { friendlyDuration, type SlaCycle, type SlaState } from '../../domain/sla.js';
import type { AgentSlaSchema } from '../schemas/sla.js';

/** A request's SLA as the agent workspace shows it (schemas/sla.ts AgentSlaSchema). */
export function presentAgentSla(sla: SlaState): Static<typeof AgentSlaSchema> {
  const cycle = (c: SlaCycle) => ({
    breached: c.breached,
    goalMillis: c.goalMillis,
    elapsedMillis: c.elapsedMillis,
    remainingMillis: c.remainingMillis,
    goal: friendlyDuration(c.goalMillis),
    elapsed: friendlyDuration(c.elapsedMillis),
    remaining: friendlyDuration(c.remainingMillis),
    breachTime: c.breachTime ? c.breachTime.toISOString() : null,
  });
  const o = sla.ongoingCycle;
  return {
    id: sla.metric.id,
    name: sla.metric.name,
    ongoing: o ? { ...cycle(o), paused: o.paused, withinCalendarHours: o.withinCalendarHours } : null,
    completed: sla.completedCycles.map((c) => ({ ...cycle(c), stopTime: c.stopTime!.toISOString() })),
  };
}
