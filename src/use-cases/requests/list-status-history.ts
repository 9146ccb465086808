import type { ActorContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import type { RequestStatus } from '../../domain/request-workflow.js';
import { REQUEST_STATUSES } from '../../domain/request-workflow.js';
import { listStatusChanges } from '../../db/queries/request-history.js';
import { pageOffset } from '../../domain/limits.js';
import { loadVisibleRequest } from './visible-request.js';
import type { Db } from '../../db/connection.js';
import type { RequestRow } from '../../db/queries/requests.js';

export interface StatusEntry {
  status: RequestStatus;
  since: Date;
}

const isStatus = (v: string | null): v is RequestStatus => v !== null && (REQUEST_STATUSES as readonly string[]).includes(v);

/**
 * GET …/request/{key}/status: every status the request has had, most recent (current) first, from
 * its history (docs/product.md#history) — the first one since it was raised. A request older than
 * its history starts from the status its first recorded change left, or its current one.
 */
export async function listStatusHistory(
  ctx: ActorContext,
  input: { site: SiteRef; key: string; start?: number; limit?: number },
): Promise<{ start: number; limit: number; isLastPage: boolean; values: StatusEntry[] }> {
  const request = await loadVisibleRequest(ctx.db, ctx.actor, input.site, input.key);
  const start = pageOffset(input.start);
  const limit = Math.max(1, Math.min(100, Math.floor(input.limit ?? 50)));
  const entries = (await statusHistoryOf(ctx.db, request)).reverse();
  return { start, limit, isLastPage: start + limit >= entries.length, values: entries.slice(start, start + limit) };
}

/** The statuses a request has had, oldest first (what `expand=status` of a request lists). */
export async function statusHistoryOf(db: Db, request: RequestRow): Promise<StatusEntry[]> {
  return statusesFrom(request, await listStatusChanges(db, request.id));
}

/**
 * The statuses a request has had, oldest first, from its recorded status changes: the first one since
 * it was raised — the status its first change left (Open if that is unknown), or its status now if
 * none is recorded — then each change.
 */
export function statusesFrom(request: { createdAt: Date; status: RequestStatus }, statusChanges: Array<{ from: string | null; to: string | null; at: Date }>): StatusEntry[] {
  const changes = statusChanges.filter((c) => isStatus(c.to));
  const first = changes.length > 0 && isStatus(changes[0].from) ? (changes[0].from as RequestStatus) : changes.length > 0 ? 'Open' : request.status;
  return [{ status: first, since: request.createdAt }, ...changes.map((c) => ({ status: c.to as RequestStatus, since: c.at }))];
}
