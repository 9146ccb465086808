import type { ActorContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import { canWorkProject } from '../../domain/policies/projects.js';
import { forbidden, notFound } from '../../domain/errors.js';
import { DEFAULT_PRIORITY, priorityNamed } from '../../domain/priority.js';
import { computeSla, SLA_METRICS, type SlaEvent, type SlaState } from '../../domain/sla.js';
import type { SlaSettings } from '../../domain/sla-settings.js';
import { loadSlaSettings } from '../../db/queries/sla-settings.js';
import type { Db } from '../../db/connection.js';
import { loadSlaHistories, loadSlaHistory, type StoredSlaHistory } from '../../db/queries/request-history.js';
import type { RequestStatus } from '../../domain/request-workflow.js';
import { loadVisibleRequest } from './visible-request.js';
import { statusesFrom } from './list-status-history.js';

/**
 * GET …/request/{key}/sla (and one metric by its id): a request's SLAs now, worked out from its
 * history (docs/product.md#slas). Only those who work its project see them, as in Jira Service
 * Management; anyone else who may see the request is refused, anyone who may not finds nothing.
 */
export async function getRequestSlas(
  ctx: ActorContext,
  input: { site: SiteRef; key: string; metricId?: string; now?: Date },
): Promise<SlaState[]> {
  const request = await loadVisibleRequest(ctx.db, ctx.actor, input.site, input.key);
  if (!canWorkProject(ctx.actor, input.site, request.projectId)) throw forbidden("Only the project's agents can see a request's SLAs.");
  const metrics = input.metricId === undefined ? SLA_METRICS : SLA_METRICS.filter((m) => m.restId === input.metricId);
  if (metrics.length === 0) throw notFound(`There is no SLA '${input.metricId!.slice(0, 40)}' on this request.`);
  const settings = await loadSlaSettings(ctx.db, request.projectId);
  return slasOf(request, await loadSlaHistory(ctx.db, request.id), settings, input.now ?? new Date(), metrics);
}

/** Each metric of a request in its project's settings (goals, calendar) at `now`. */
function slasOf(request: { createdAt: Date; status: RequestStatus }, history: StoredSlaHistory, settings: SlaSettings, now: Date, metrics = SLA_METRICS): SlaState[] {
  const events = slaEventsOf(request, history);
  return metrics.map((metric) => computeSla(metric, events, settings.goals[metric.id], settings.calendar, now));
}

/**
 * The SLAs of requests of one project (a queue's page), by request id: the project's settings read
 * once, their histories in one statement. The caller has
 * checked that the viewer works the project.
 */
export async function slasOfProjectRequests(
  db: Db,
  projectId: string,
  requests: ReadonlyArray<{ id: string; createdAt: Date; status: RequestStatus }>,
  now = new Date(),
): Promise<Map<string, SlaState[]>> {
  const settings = await loadSlaSettings(db, projectId);
  const out = new Map<string, SlaState[]>();
  const histories = await loadSlaHistories(db, requests.map((r) => r.id));
  for (const r of requests) out.set(r.id, slasOf(r, histories.get(r.id)!, settings, now));
  return out;
}

/**
 * The request's history as the SLA rules read it: created in its first status (statusesFrom) with
 * the priority its first priority change left (or its priority now), then each change, then
 * support's first public answer.
 */
function slaEventsOf(request: { createdAt: Date; status: RequestStatus }, history: StoredSlaHistory): SlaEvent[] {
  const [first, ...statuses] = statusesFrom(request, history.changes.filter((c) => c.field === 'status'));
  const priorityChanges = history.changes.flatMap((c) => {
    const to = c.field === 'priority' && c.to !== null ? priorityNamed(c.to) : undefined;
    return to ? [{ from: c.from, to, at: c.at }] : [];
  });
  const firstPriority = (priorityChanges.length > 0 ? priorityNamed(priorityChanges[0].from ?? '') : priorityNamed(history.priority ?? '')) ?? DEFAULT_PRIORITY;
  return [
    { at: first.since, kind: 'created', status: first.status, priority: firstPriority },
    ...statuses.map((s): SlaEvent => ({ at: s.since, kind: 'status', to: s.status })),
    ...priorityChanges.map((c): SlaEvent => ({ at: c.at, kind: 'priority', to: c.to })),
    ...(history.firstSupportReplyAt ? [{ at: history.firstSupportReplyAt, kind: 'supportReply' } as SlaEvent] : []),
  ];
}

/**
 * `expand=sla` on a request the caller sees: its SLAs for those who work its project, none for
 * anyone else (its customers never see them, as in Jira Service Management).
 */
export async function slasSeenBy(ctx: ActorContext, site: SiteRef, request: { id: string; projectId: string; createdAt: Date; status: RequestStatus }, now = new Date()): Promise<SlaState[]> {
  if (!canWorkProject(ctx.actor, site, request.projectId)) return [];
  return (await slasOfProjectRequests(ctx.db, request.projectId, [request], now)).get(request.id) ?? [];
}
