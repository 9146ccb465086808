import type { ActorContext } from '../context.js';
import { displayLabel } from '../../domain/display.js';
import { badRequest } from '../../domain/errors.js';
import { authorizeOrgAdmin } from './org-admin.js';
import { pageOffset } from '../../domain/limits.js';

export interface AuditEntry {
  id: string;
  action: string;
  actor: { accountId: string; label: string } | null;
  target: { accountId: string; label: string; email: string | null } | null;
  site: { slug: string; name: string } | null;
  createdAt: Date;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
}

export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_PAGE_MAX = 200;

/**
 * The organization's audit log, newest first (org admins only), optionally one action. People are
 * shown through displayLabel: a revoked target reads "Name (Deactivated)", a deleted one
 * "Former user (Deactivated)" with no email. Paged by offset over audit_events_org(_action)_idx.
 */
export async function listAuditEvents(
  ctx: ActorContext,
  input: { orgId: string; action?: string; start?: number; limit?: number },
): Promise<{ start: number; limit: number; isLastPage: boolean; values: AuditEntry[] }> {
  await authorizeOrgAdmin(ctx, input.orgId);
  const action = input.action?.trim() || undefined;
  if (action && (action.length > 100 || !/^[a-z0-9_.]+$/.test(action))) {
    throw badRequest("'action' is not a valid audit action.", { action: "'action' is not a valid audit action." });
  }
  const start = pageOffset(input.start);
  const limit = Math.max(1, Math.min(AUDIT_PAGE_MAX, Math.floor(input.limit ?? AUDIT_PAGE_SIZE)));
  let q = ctx.db
    .selectFrom('audit_events as e')
    .leftJoin('accounts as actor', 'actor.account_id', 'e.actor_id')
    .leftJoin('accounts as target', 'target.account_id', 'e.target_id')
    .leftJoin('sites as s', 's.id', 'e.site_id')
    .select([
      'e.id',
      'e.action',
      'e.created_at',
      'e.ip',
      'e.user_agent',
      'e.details',
      'e.actor_id',
      'actor.display_name as actor_name',
      'actor.status as actor_status',
      'e.target_id',
      'target.display_name as target_name',
      'target.status as target_status',
      'target.email as target_email',
      's.slug as site_slug',
      's.name as site_name',
    ])
    .where('e.org_id', '=', input.orgId);
  if (action) q = q.where('e.action', '=', action);
  const rows = await q.orderBy('e.created_at', 'desc').orderBy('e.id', 'desc').limit(limit + 1).offset(start).execute();
  const values = rows.slice(0, limit).map((r) => ({
    id: String(r.id),
    action: r.action,
    actor: r.actor_id ? { accountId: r.actor_id, label: displayLabel({ display_name: r.actor_name, status: r.actor_status ?? 'deleted' }) } : null,
    target: r.target_id
      ? {
          accountId: r.target_id,
          label: displayLabel({ display_name: r.target_name, status: r.target_status ?? 'deleted' }),
          email: r.target_status === 'deleted' ? null : (r.target_email ?? null),
        }
      : null,
    site: r.site_slug ? { slug: r.site_slug, name: r.site_name! } : null,
    createdAt: new Date(r.created_at),
    ip: r.ip,
    userAgent: r.user_agent,
    details: (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) ?? {},
  }));
  return { start, limit, isLastPage: rows.length <= limit, values };
}
