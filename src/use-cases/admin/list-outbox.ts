import type { ActorContext } from '../context.js';
import { authorizeOrgAdminOf } from './org-admin.js';
import type { OutboxStatus } from '../../db/schema.js';
import { pageOffset } from '../../domain/limits.js';

export interface OutboxPage {
  start: number;
  limit: number;
  isLastPage: boolean;
  values: Array<{
    id: string;
    to: string;
    subject: string;
    body: string;
    createdAt: string;
    site: { slug: string } | null;
    /** kept (no SMTP server configured), queued, sent, failed or cancelled (recipient revoked or deleted) */
    status: OutboxStatus;
    /** delivery attempts made so far */
    attempts: number;
    lastError: string | null;
    sentAt: string | null;
  }>;
}

/**
 * The organization's mail, newest first, with what became of each: kept (no SMTP server is
 * configured: this list is the mail), queued, sent, failed or cancelled. Only the organization's
 * admins may read it; for anyone else the organization does not exist (404).
 */
export async function listOutbox(ctx: ActorContext, input: { orgId: string; start: number; limit: number }): Promise<OutboxPage> {
  authorizeOrgAdminOf(ctx, input.orgId.toLowerCase());
  const start = pageOffset(input.start);
  const rows = await ctx.db
    .selectFrom('outbox as m')
    .leftJoin('sites as s', 's.id', 'm.site_id')
    .select(['m.id', 'm.to_address', 'm.subject', 'm.body', 'm.created_at', 's.slug', 'm.status', 'm.attempts', 'm.last_error', 'm.sent_at'])
    .where('m.org_id', '=', input.orgId.toLowerCase())
    .orderBy('m.created_at', 'desc')
    .orderBy('m.id', 'desc')
    .offset(start)
    .limit(input.limit + 1)
    .execute();
  return {
    start,
    limit: input.limit,
    isLastPage: rows.length <= input.limit,
    values: rows.slice(0, input.limit).map((r) => ({
      id: String(r.id),
      to: r.to_address,
      subject: r.subject,
      body: r.body,
      createdAt: new Date(r.created_at).toISOString(),
      site: r.slug ? { slug: r.slug } : null,
      status: r.status,
      attempts: r.attempts,
      lastError: r.last_error,
      sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null,
    })),
  };
}
