import { sql, type Transaction } from 'kysely';
import type { Db } from '../connection.js';
import type { Database } from '../schema.js';
import type { HistoryEntry, HistoryValue } from '../../domain/requests.js';
import { accountOrFormer, loadAccounts } from './accounts.js';

type Executor = Transaction<Database> | Db;

/** A stored value: a string (status, comment text), account ids (people), or nothing. */
export type StoredHistoryValue = string | string[] | null;

export interface NewHistoryEntry {
  siteId: string;
  requestId: string;
  actorId: string;
  field: string;
  fieldName: string;
  change: 'changed' | 'edited' | 'deleted';
  from: StoredHistoryValue;
  to: StoredHistoryValue;
  commentId?: string | null;
  at?: Date;
}

// jsonb refuses lone surrogates that JSON.stringify keeps (as in audit.ts): make text well-formed.
const json = (v: StoredHistoryValue) => (v === null ? null : JSON.stringify(v, (_k, x) => (typeof x === 'string' ? x.toWellFormed() : x)));

/** Records changes of a request in the caller's transaction: the change and its history commit or roll back together. */
export async function appendRequestHistory(trx: Transaction<Database>, entries: NewHistoryEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await trx
    .insertInto('request_history')
    .values(entries.map((e) => ({
      site_id: e.siteId,
      request_id: e.requestId,
      actor_id: e.actorId,
      field: e.field,
      field_name: e.fieldName,
      change: e.change,
      from_value: json(e.from),
      to_value: json(e.to),
      comment_id: e.commentId ?? null,
      ...(e.at ? { created_at: e.at } : {}),
    })))
    .execute();
}

function parse(v: string | null): StoredHistoryValue {
  if (v === null) return null;
  const value = JSON.parse(v) as unknown;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((x): x is string => typeof x === 'string');
  return null;
}

/**
 * A request's history, oldest first, with every person (actor and values) as a stored account: its
 * newest `limit` changes (1,000 unless told; docs/limits.md).
 */
export async function listRequestHistory(db: Executor, requestId: string, options: { limit?: number } = {}): Promise<HistoryEntry[]> {
  const rows = await db
    .selectFrom('request_history')
    .select(['id', 'created_at', 'actor_id', 'field', 'field_name', 'change', 'comment_id'])
    // as JSON text: drivers differ in whether a jsonb string arrives parsed
    .select([sql<string | null>`from_value::text`.as('from_value'), sql<string | null>`to_value::text`.as('to_value')])
    .where('request_id', '=', requestId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit ?? 1000)
    .execute();
  const parsed = rows.reverse().map((r) => ({ ...r, from: parse(r.from_value), to: parse(r.to_value) }));
  const ids = new Set<string>();
  for (const r of parsed) {
    ids.add(r.actor_id);
    for (const v of [r.from, r.to]) if (Array.isArray(v)) v.forEach((id) => ids.add(id));
  }
  const accounts = await loadAccounts(db, [...ids]);
  const value = (v: StoredHistoryValue): HistoryValue =>
    v === null ? null : Array.isArray(v) ? { people: v.map((id) => accountOrFormer(accounts, id)) } : { text: v };
  return parsed.map((r) => ({
    id: String(r.id),
    at: new Date(r.created_at),
    actor: accountOrFormer(accounts, r.actor_id),
    field: r.field,
    fieldName: r.field_name,
    change: r.change,
    from: value(r.from),
    to: value(r.to),
    commentId: r.comment_id === null ? null : String(r.comment_id),
  }));
}

/** A request's status changes, oldest first: what it moved from and to, and when. */
export async function listStatusChanges(db: Executor, requestId: string): Promise<Array<{ from: string | null; to: string | null; at: Date }>> {
  const rows = await db
    .selectFrom('request_history')
    .select(['created_at', sql<string | null>`from_value::text`.as('from_value'), sql<string | null>`to_value::text`.as('to_value')])
    .where('request_id', '=', requestId)
    .where('field', '=', 'status')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const text = (v: string | null) => {
    const p = parse(v);
    return typeof p === 'string' ? p : null;
  };
  return rows.map((r) => ({ from: text(r.from_value), to: text(r.to_value), at: new Date(r.created_at) }));
}

/** What a request's SLAs are worked out from (docs/product.md#slas), as stored. */
export interface StoredSlaHistory {
  /** its status and priority changes, oldest first */
  changes: Array<{ field: 'status' | 'priority'; from: string | null; to: string | null; at: Date }>;
  /** when a staff account first commented in public (only staff comment as support; a customer is never staff); null if none has */
  firstSupportReplyAt: Date | null;
  /** the request's priority now */
  priority: string | null;
}

/** A request's SLA history in one statement: its status and priority changes, support's first public answer, its priority now. */
export async function loadSlaHistory(db: Executor, requestId: string): Promise<StoredSlaHistory> {
  return (await loadSlaHistories(db, [requestId])).get(requestId) ?? { changes: [], firstSupportReplyAt: null, priority: null };
}

/** loadSlaHistory for several requests (a queue's page) in one statement, by request id. */
export async function loadSlaHistories(db: Executor, requestIds: readonly string[]): Promise<Map<string, StoredSlaHistory>> {
  const out = new Map<string, StoredSlaHistory>();
  if (requestIds.length === 0) return out;
  const ids = sql.join(requestIds.map((id) => sql`${id}::bigint`));
  const { rows } = await sql<{ request_id: string; field: string; from_value: string | null; to_value: string | null; at: Date | null }>`
    SELECT h.request_id::text AS request_id, h.field, h.from_value::text AS from_value, h.to_value::text AS to_value, h.created_at AS at, h.id
    FROM request_history h
    WHERE h.request_id IN (${ids}) AND h.field IN ('status', 'priority')
    UNION ALL
    SELECT c.request_id::text, 'reply', NULL, NULL, min(c.created_at), NULL
    FROM comments c JOIN accounts a ON a.account_id = c.author_id
    WHERE c.request_id IN (${ids}) AND c.public AND a.kind = 'staff'
    GROUP BY c.request_id
    UNION ALL
    SELECT r.id::text, 'now', NULL, to_jsonb(r.priority)::text, r.created_at, NULL FROM requests r WHERE r.id IN (${ids})
    ORDER BY 5, 6`.execute(db);
  const text = (v: string | null) => {
    const p = parse(v);
    return typeof p === 'string' ? p : null;
  };
  for (const id of requestIds) out.set(String(id), { changes: [], firstSupportReplyAt: null, priority: null });
  for (const r of rows) {
    const history = out.get(r.request_id);
    if (!history) continue;
    if (r.field === 'now') history.priority = text(r.to_value);
    else if (r.field === 'reply') history.firstSupportReplyAt = r.at === null ? null : new Date(r.at);
    else history.changes.push({ field: r.field as 'status' | 'priority', from: text(r.from_value), to: text(r.to_value), at: new Date(r.at!) });
  }
  return out;
}
