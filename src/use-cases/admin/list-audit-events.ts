import { sql } from 'kysely';
import type { ActorContext } from '../context.js';
import { displayLabel } from '../../domain/display.js';
import { scimActorLabel } from '../../domain/scim.js';
import { ACCESS_REVIEW_DUE, ACCESS_REVIEW_DUE_LABEL, AUTOMATIC_POLICY_LABEL } from '../audit.js';
import { badRequest } from '../../domain/errors.js';
import { authorizeOrgAdmin } from './org-admin.js';
import { pageOffset } from '../../domain/limits.js';
import { csvRecord } from '../../domain/spreadsheet-cells.js';
import type { Db } from '../../db/connection.js';

export interface AuditEntry {
  id: string;
  action: string;
  /** who did it: a person, a SCIM token (no account: "SCIM ({label})") or a site's policy ("Automatic policy"); null for the system */
  actor: { accountId: string | null; label: string } | null;
  target: { accountId: string; label: string; email: string | null } | null;
  site: { slug: string; name: string } | null;
  createdAt: Date;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
}

export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_PAGE_MAX = 200;
const EXPORT_BATCH = 1000;

/** The audit log's filters as the admin console and its CSV export take them (all optional). */
export interface AuditFilterInput {
  action?: string;
  /** who did it: an email (any of the org's staff or its sites' customers) or an account id */
  actor?: string;
  /** to whom: likewise */
  target?: string;
  /** first day shown, YYYY-MM-DD (UTC) */
  from?: string;
  /** last day shown, YYYY-MM-DD (UTC), inclusive */
  to?: string;
}

interface AuditFilter {
  orgId: string;
  action?: string;
  actor?: string;
  target?: string;
  fromTime?: Date;
  beforeTime?: Date;
}

function refuse(field: string, message: string): never {
  throw badRequest(message, { [field]: message });
}

function day(value: string | undefined, field: 'from' | 'to'): Date | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  const d = /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00Z`) : new Date(NaN);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) refuse(field, `'${field}' must be a date such as 2026-12-31.`);
  return d;
}

function person(value: string | undefined, field: 'actor' | 'target'): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (v.length > 320) refuse(field, `'${field}' must be an email address or an account id of at most 320 characters.`);
  return v;
}

/** Checks the filters and turns them into what the query needs (400 in plain words otherwise). */
function auditFilter(orgId: string, input: AuditFilterInput): AuditFilter {
  const action = input.action?.trim() || undefined;
  if (action && (action.length > 100 || !/^[a-z0-9_.]+$/.test(action))) refuse('action', "'action' is not a valid audit action.");
  const fromTime = day(input.from, 'from');
  const toDay = day(input.to, 'to');
  if (fromTime && toDay && fromTime > toDay) refuse('to', "'to' must be on or after 'from'.");
  const beforeTime = toDay ? new Date(toDay.getTime() + 24 * 3600 * 1000) : undefined;
  return { orgId, action, actor: person(input.actor, 'actor'), target: person(input.target, 'target'), fromTime, beforeTime };
}

/**
 * The org's audit events matching the filters, newest first. A person filter is an email (case-
 * insensitive: the org's staff, or customers of its sites — a customer has one account per site) or
 * an account id; it is resolved to account ids first, then audit_events_org_actor_idx /
 * audit_events_org_target_idx (migration 20261204T0320) give that person's events in time order.
 */
function auditQuery(db: Db, f: AuditFilter) {
  const ids = (value: string) =>
    db
      .selectFrom('accounts as p')
      .select('p.account_id')
      .where((eb) =>
        eb.or([
          eb('p.account_id', '=', value),
          eb.and([eb('p.email_lower', '=', value.toLowerCase()), eb.or([eb('p.kind', '=', 'staff'), eb('p.site_id', 'in', eb.selectFrom('sites').select('id').where('org_id', '=', f.orgId))])]),
        ]),
      );
  let q = db
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
      // the exact time (microseconds), for the export's keyset: a JS Date keeps only milliseconds
      sql<string>`e.created_at::text`.as('created_at_exact'),
    ])
    .where('e.org_id', '=', f.orgId);
  if (f.action) q = q.where('e.action', '=', f.action);
  if (f.actor) q = q.where('e.actor_id', 'in', ids(f.actor));
  if (f.target) q = q.where('e.target_id', 'in', ids(f.target));
  if (f.fromTime) q = q.where('e.created_at', '>=', f.fromTime);
  if (f.beforeTime) q = q.where('e.created_at', '<', f.beforeTime);
  return q.orderBy('e.created_at', 'desc').orderBy('e.id', 'desc');
}

type AuditRow = Awaited<ReturnType<ReturnType<typeof auditQuery>['execute']>>[number];

/**
 * The actor of an event no account made: a SCIM token names itself in the event's details, a site's
 * automatic policy says so (use-cases/audit.ts).
 */
function scimActor(details: Record<string, unknown>): { accountId: null; label: string } | null {
  if (details.via === 'policy') return { accountId: null, label: details.policy === ACCESS_REVIEW_DUE.policy ? ACCESS_REVIEW_DUE_LABEL : AUTOMATIC_POLICY_LABEL };
  const token = details.via === 'scim' ? (details.scimToken as { label?: unknown } | undefined) : undefined;
  return token ? { accountId: null, label: scimActorLabel(typeof token.label === 'string' ? token.label : '') } : null;
}

function toEntry(r: AuditRow): AuditEntry {
  const details: Record<string, unknown> = (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) ?? {};
  return {
    id: String(r.id),
    action: r.action,
    actor: r.actor_id ? { accountId: r.actor_id, label: displayLabel({ display_name: r.actor_name, status: r.actor_status ?? 'deleted' }) } : scimActor(details),
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
    details,
  };
}

/**
 * The organization's audit log, newest first (org admins only), filtered by action, actor, target
 * and date range. People are shown through displayLabel: a revoked target reads "Name
 * (Deactivated)", a deleted one "Former user (Deactivated)" with no email. Paged by offset over
 * audit_events_org(_action/_actor/_target)_idx.
 */
export async function listAuditEvents(
  ctx: ActorContext,
  input: AuditFilterInput & { orgId: string; start?: number; limit?: number },
): Promise<{ start: number; limit: number; isLastPage: boolean; values: AuditEntry[] }> {
  await authorizeOrgAdmin(ctx, input.orgId);
  const filter = auditFilter(input.orgId, input);
  const start = pageOffset(input.start);
  const limit = Math.max(1, Math.min(AUDIT_PAGE_MAX, Math.floor(input.limit ?? AUDIT_PAGE_SIZE)));
  const rows = await auditQuery(ctx.db, filter).limit(limit + 1).offset(start).execute();
  return { start, limit, isLastPage: rows.length <= limit, values: rows.slice(0, limit).map(toEntry) };
}

/**
 * The filtered audit log as CSV (org admins only): Time, Action, Actor, Target, Target email, Site,
 * IP address, User agent, Details — every cell neutralized against formulas (T5). Read in keyset
 * batches of 1,000 on (created_at, id), so a long log never sits in memory.
 */
export async function exportAuditEvents(ctx: ActorContext, input: AuditFilterInput & { orgId: string }): Promise<{ filename: string; lines: AsyncIterable<string> }> {
  await authorizeOrgAdmin(ctx, input.orgId);
  const filter = auditFilter(input.orgId, input);
  const db = ctx.db;
  async function* lines() {
    yield csvRecord(['Time', 'Action', 'Actor', 'Target', 'Target email', 'Site', 'IP address', 'User agent', 'Details']);
    let after: { at: string; id: string } | undefined;
    for (;;) {
      let q = auditQuery(db, filter);
      if (after) {
        const { at, id } = after;
        q = q.where((eb) => eb.or([eb('e.created_at', '<', sql<Date>`${at}::timestamptz`), eb.and([eb('e.created_at', '=', sql<Date>`${at}::timestamptz`), eb('e.id', '<', id)])]));
      }
      const batch = await q.limit(EXPORT_BATCH).execute();
      for (const r of batch) {
        const e = toEntry(r);
        yield csvRecord([
          e.createdAt.toISOString(),
          e.action,
          e.actor?.label ?? 'System',
          e.target?.label ?? '',
          e.target?.email ?? '',
          e.site?.name ?? '',
          e.ip ?? '',
          e.userAgent ?? '',
          Object.keys(e.details).length ? JSON.stringify(e.details) : '',
        ]);
      }
      if (batch.length < EXPORT_BATCH) return;
      const last = batch[batch.length - 1]!;
      after = { at: last.created_at_exact, id: String(last.id) };
    }
  }
  return { filename: 'audit-log.csv', lines: lines() };
}
