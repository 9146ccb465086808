import type { ActorContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import { canWorkProject } from '../../domain/policies/projects.js';
import { forbidden, notFound } from '../../domain/errors.js';
import { DEFAULT_PRIORITY, priorityNamed } from '../../domain/priority.js';
import { computeSla, DEFAULT_SLA_GOALS, SLA_METRICS, type SlaEvent, type SlaState } from '../../domain/sla.js';
import { loadSlaHistory, type StoredSlaHistory } from '../../db/queries/request-history.js';
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
  const events = slaEventsOf(request, await loadSlaHistory(ctx.db, request.id));
  const now = input.now ?? new Date();
  return metrics.map((metric) => computeSla(metric, events, DEFAULT_SLA_GOALS[metric.id], null, now));
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
