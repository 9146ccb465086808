import { sql } from 'kysely';
import type { Db } from '../connection.js';

/** What a request's SLAs are worked out from (docs/product.md#slas), as stored: changes of status and priority, and support's first public answer. */
export interface StoredSlaHistory {
  changes: Array<{ field: 'status' | 'priority'; from: string | null; to: string | null; at: Date }>;
  /** when someone who works in the site's organization first answered in public; null if nobody has */
  firstSupportReplyAt: Date | null;
  /** the request's priority now */
  priority: string | null;
}

/**
 * A request's SLA history in one statement: its status and priority changes, oldest first, and the
 * first public comment by a staff account (the only people who comment as support; a customer is
 * never staff).
 */
export async function loadSlaHistory(db: Db, requestId: string): Promise<StoredSlaHistory> {
  const { rows } = await sql<{ field: string; from_value: string | null; to_value: string | null; at: Date }>`
    SELECT h.field, h.from_value::text AS from_value, h.to_value::text AS to_value, h.created_at AS at, h.id
    FROM request_history h
    WHERE h.request_id = ${requestId} AND h.field IN ('status', 'priority')
    UNION ALL
    SELECT 'reply', NULL, NULL, min(c.created_at), NULL
    FROM comments c JOIN accounts a ON a.account_id = c.author_id
    WHERE c.request_id = ${requestId} AND c.public AND a.kind = 'staff'
    UNION ALL
    SELECT 'now', NULL, to_jsonb(r.priority)::text, r.created_at, NULL FROM requests r WHERE r.id = ${requestId}
    ORDER BY 4, 5`.execute(db);
  const text = (v: string | null) => {
    if (v === null) return null;
    const parsed = JSON.parse(v) as unknown;
    return typeof parsed === 'string' ? parsed : null;
  };
  const changes: StoredSlaHistory['changes'] = [];
  let firstSupportReplyAt: Date | null = null;
  let priority: string | null = null;
  for (const r of rows) {
    if (r.field === 'now') priority = text(r.to_value);
    else if (r.field === 'reply') firstSupportReplyAt = r.at === null ? null : new Date(r.at);
    else changes.push({ field: r.field as 'status' | 'priority', from: text(r.from_value), to: text(r.to_value), at: new Date(r.at) });
  }
  return { changes, firstSupportReplyAt, priority };
}
