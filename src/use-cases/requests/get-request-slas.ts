import type { ActorContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import { canWorkProject } from '../../domain/policies/projects.js';
import { forbidden, notFound } from '../../domain/errors.js';
import { REQUEST_STATUSES, type RequestStatus } from '../../domain/request-workflow.js';
import { computeSla, DEFAULT_SLA_GOALS, PRIORITIES, SLA_METRICS, type Priority, type SlaEvent, type SlaState } from '../../domain/sla.js';
import { loadSlaHistory } from '../../db/queries/request-sla.js';
import { DEFAULT_PRIORITY } from '../../domain/priority.js';
import { loadVisibleRequest } from './visible-request.js';

const isStatus = (v: string | null): v is RequestStatus => v !== null && (REQUEST_STATUSES as readonly string[]).includes(v);
const isPriority = (v: string | null): v is Priority => v !== null && (PRIORITIES as readonly string[]).includes(v);

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
  const history = await loadSlaHistory(ctx.db, request.id);
  const events = slaEventsOf(request, history);
  const now = input.now ?? new Date();
  return metrics.map((metric) => computeSla(metric, events, DEFAULT_SLA_GOALS[metric.id], null, now));
}

/** The request's history as the SLA rules read it: created in the status its first change left (or its status now), each change after. */
function slaEventsOf(
  request: { createdAt: Date; status: RequestStatus },
  history: Awaited<ReturnType<typeof loadSlaHistory>>,
): SlaEvent[] {
  const statusChanges = history.changes.filter((c) => c.field === 'status' && isStatus(c.to));
  const priorityChanges = history.changes.filter((c) => c.field === 'priority' && isPriority(c.to));
  const firstStatus = statusChanges.length > 0 ? (isStatus(statusChanges[0].from) ? statusChanges[0].from : 'Open') : request.status;
  const firstPriority: Priority = priorityChanges.length > 0 ? (isPriority(priorityChanges[0].from) ? priorityChanges[0].from : DEFAULT_PRIORITY) : isPriority(history.priority) ? history.priority : DEFAULT_PRIORITY;
  const events: SlaEvent[] = [{ at: request.createdAt, kind: 'created', status: firstStatus, priority: firstPriority }];
  for (const c of history.changes) {
    if (c.field === 'status' && isStatus(c.to)) events.push({ at: c.at, kind: 'status', to: c.to });
    if (c.field === 'priority' && isPriority(c.to)) events.push({ at: c.at, kind: 'priority', to: c.to });
  }
  if (history.firstSupportReplyAt) events.push({ at: history.firstSupportReplyAt, kind: 'supportReply' });
  return events;
}
