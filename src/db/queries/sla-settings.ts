import type { Transaction } from 'kysely';
import type { Db } from '../connection.js';
import type { Database } from '../schema.js';
import type { BusinessCalendar } from '../../domain/business-calendar.js';
import { DEFAULT_SLA_SETTINGS, type SlaSettings } from '../../domain/sla-settings.js';
import type { SlaGoals, SlaMetricId } from '../../domain/sla.js';

type Executor = Transaction<Database> | Db;

// A project's SLA settings (docs/product.md#slas): one row a project once they are changed; none,
// the default goals and no calendar.

/** The project's SLA settings, or the defaults when it has none stored. */
export async function loadSlaSettings(db: Executor, projectId: string): Promise<SlaSettings> {
  const row = await db.selectFrom('project_sla_settings').select(['goals', 'calendar']).where('project_id', '=', projectId).executeTakeFirst();
  if (!row) return DEFAULT_SLA_SETTINGS;
  return {
    goals: { ...DEFAULT_SLA_SETTINGS.goals, ...(JSON.parse(row.goals) as Record<SlaMetricId, SlaGoals>) },
    calendar: row.calendar === null ? null : (JSON.parse(row.calendar) as BusinessCalendar),
  };
}

export async function saveSlaSettings(db: Executor, projectId: string, settings: SlaSettings): Promise<void> {
  const values = { goals: JSON.stringify(settings.goals), calendar: settings.calendar === null ? null : JSON.stringify(settings.calendar), updated_at: new Date() };
  await db.insertInto('project_sla_settings').values({ project_id: projectId, ...values }).onConflict((oc) => oc.column('project_id').doUpdateSet(values)).execute();
}
