import type { ActorContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import {
  calendarAsInput, goalsInMinutes, slaSettingsFrom, type CalendarInput, type SlaGoalMinutes,
} from '../../domain/sla-settings.js';
import { loadSlaSettings, saveSlaSettings } from '../../db/queries/sla-settings.js';
import { auditSiteChange } from '../audit.js';
import { loadManagedServiceDesk } from '../customers/project-customers.js';

// A project's SLA settings (docs/product.md#slas): its goals per priority and its business
// calendar, seen and changed by whoever manages the project's setup — its agents and the site's
// admins, as for its request types' approvals and its queues.

export interface SlaSettingsView {
  serviceDeskId: string;
  projectKey: string;
  projectName: string;
  goals: SlaGoalMinutes;
  calendar: CalendarInput | null;
}

export async function getSlaSettings(ctx: ActorContext, input: { site: SiteRef; serviceDeskId: string }): Promise<SlaSettingsView> {
  const desk = await loadManagedServiceDesk(ctx.db, ctx.actor, input.site, input.serviceDeskId, "Only agents of this service project and admins can see its SLA settings.");
  const settings = await loadSlaSettings(ctx.db, desk.projectId);
  return { serviceDeskId: desk.id, projectKey: desk.projectKey, projectName: desk.projectName, goals: goalsInMinutes(settings.goals), calendar: calendarAsInput(settings.calendar) };
}

/** Replaces the project's goals and calendar (null: every hour counts); every request's SLAs follow at once. */
export async function setSlaSettings(
  ctx: ActorContext,
  input: { site: SiteRef; serviceDeskId: string; goals: Record<keyof SlaGoalMinutes, Partial<SlaGoalMinutes[keyof SlaGoalMinutes]>>; calendar: CalendarInput | null },
): Promise<SlaSettingsView> {
  return ctx.db.transaction().execute(async (trx) => {
    const desk = await loadManagedServiceDesk(trx, ctx.actor, input.site, input.serviceDeskId, "Only agents of this service project and admins can change its SLA settings.");
    const settings = slaSettingsFrom({ goals: input.goals, calendar: input.calendar });
    const before = await loadSlaSettings(trx, desk.projectId);
    await saveSlaSettings(trx, desk.projectId, settings);
    const view = { goals: goalsInMinutes(settings.goals), calendar: calendarAsInput(settings.calendar) };
    await auditSiteChange(trx, ctx, input.site, 'project.sla.changed', {
      projectKey: desk.projectKey,
      from: { goals: goalsInMinutes(before.goals), calendar: calendarAsInput(before.calendar) },
      to: view,
    });
    return { serviceDeskId: desk.id, projectKey: desk.projectKey, projectName: desk.projectName, ...view };
  });
}
