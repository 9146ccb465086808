import type { Transaction } from 'kysely';
import type { Db } from '../connection.js';
import type { Database } from '../schema.js';
import { accountOrFormer, loadAccounts, type AccountRef } from './accounts.js';
import type { RequestRow } from './requests.js';
import type { RequestFieldValue, CommentRow, RequestDetail } from '../../domain/requests.js';

type Executor = Transaction<Database> | Db;




export async function listParticipants(db: Executor, requestId: string): Promise<AccountRef[]> {
  const rows = await db
    .selectFrom('request_participants as rp')
    .innerJoin('accounts as a', 'a.account_id', 'rp.account_id')
    .select(['a.account_id', 'a.kind', 'a.display_name', 'a.email', 'a.status'])
    .where('rp.request_id', '=', requestId)
    .orderBy('rp.added_at')
    .orderBy('a.account_id')
    .execute();
  return rows.map((r) => ({ accountId: r.account_id, kind: r.kind, displayName: r.display_name, email: r.email, status: r.status }));
}

export async function listPickerValues(db: Executor, request: RequestRow): Promise<RequestFieldValue[]> {
  return (await listPickerValuesOfMany(db, [request])).get(request.id) ?? [];
}

/**
 * The user-picker values of several requests (a page of them) in two statements, whatever their
 * number: each request's picker fields in form order, with any stored value of a field no longer on
 * its form after them.
 */
export async function listPickerValuesOfMany(db: Executor, requests: readonly RequestRow[]): Promise<Map<string, RequestFieldValue[]>> {
  const out = new Map<string, RequestFieldValue[]>();
  if (requests.length === 0) return out;
  const typeIds = [...new Set(requests.map((r) => r.requestTypeId))];
  const [fieldRows, rows] = await Promise.all([
    db
      .selectFrom('request_type_fields as f')
      .innerJoin('custom_fields as cf', 'cf.id', 'f.custom_field_id')
      .select(['f.request_type_id', 'f.field_key', 'f.label', 'f.position', 'f.custom_field_id', 'cf.type', 'cf.name'])
      .where('f.request_type_id', 'in', typeIds)
      .orderBy('f.request_type_id')
      .orderBy('f.position')
      .execute(),
    db
      .selectFrom('request_user_values as v')
      .innerJoin('custom_fields as cf', 'cf.id', 'v.custom_field_id')
      .innerJoin('accounts as a', 'a.account_id', 'v.account_id')
      .select(['v.request_id', 'v.custom_field_id', 'cf.name', 'cf.type', 'v.position', 'a.account_id', 'a.kind', 'a.display_name', 'a.email', 'a.status'])
      .where('v.request_id', 'in', requests.map((r) => r.id))
      .orderBy('v.request_id')
      .orderBy('v.custom_field_id')
      .orderBy('v.position')
      .orderBy('a.account_id')
      .execute(),
  ]);
  const fieldsOf = new Map<string, typeof fieldRows>();
  for (const f of fieldRows) {
    const id = String(f.request_type_id);
    fieldsOf.set(id, [...(fieldsOf.get(id) ?? []), f]);
  }
  const byRequest = new Map<string, Map<string, RequestFieldValue>>();
  for (const request of requests) {
    const result: RequestFieldValue[] = (fieldsOf.get(request.requestTypeId) ?? []).map((f) => ({
      fieldKey: f.field_key,
      customFieldId: String(f.custom_field_id),
      label: f.label,
      fieldName: f.name ?? f.label,
      type: f.type === 'multiuser' ? 'multiuser' : 'user',
      values: [],
    }));
    out.set(request.id, result);
    byRequest.set(request.id, new Map(result.map((f) => [f.customFieldId, f])));
  }
  for (const r of rows) {
    const requestId = String(r.request_id);
    const byField = byRequest.get(requestId)!;
    const id = String(r.custom_field_id);
    let f = byField.get(id);
    if (!f) {
      // a value of a field no longer on the form stays visible rather than silently hidden
      f = { fieldKey: `customfield_${id}`, customFieldId: id, label: r.name, fieldName: r.name, type: r.type, values: [] };
      byField.set(id, f);
      out.get(requestId)!.push(f);
    }
    f.values.push({ accountId: r.account_id, kind: r.kind, displayName: r.display_name, email: r.email, status: r.status });
  }
  return out;
}

export async function listComments(
  db: Executor,
  requestId: string,
  options: { publicOnly: boolean; includePublic?: boolean; start?: number; limit?: number },
): Promise<{ comments: CommentRow[]; total: number }> {
  let q = db.selectFrom('comments as c').where('c.request_id', '=', requestId).where('c.deleted_at', 'is', null);
  if (options.publicOnly) q = q.where('c.public', '=', true);
  else if (options.includePublic === false) q = q.where('c.public', '=', false);
  const [rows, count] = await Promise.all([
    q.innerJoin('accounts as a', 'a.account_id', 'c.author_id')
      .select(COMMENT_COLUMNS)
      .orderBy('c.created_at')
      .orderBy('c.id')
      .offset(options.start ?? 0)
      .limit(options.limit ?? 1000)
      .execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { comments: rows.map(commentRow), total: Number(count.n) };
}

/** The columns a comment is read with, its author's among them (listComments, findComment). */
const COMMENT_COLUMNS = ['c.id', 'c.body', 'c.public', 'c.created_at', 'c.edited_at', 'a.account_id', 'a.kind', 'a.display_name', 'a.email', 'a.status'] as const;

function commentRow(r: {
  id: string | number;
  body: string;
  public: boolean;
  created_at: Date | string;
  edited_at: Date | string | null;
  account_id: string;
  kind: CommentRow['author']['kind'];
  display_name: string | null;
  email: string | null;
  status: CommentRow['author']['status'];
}): CommentRow {
  return {
    id: String(r.id),
    body: r.body,
    public: r.public,
    createdAt: new Date(r.created_at),
    editedAt: r.edited_at ? new Date(r.edited_at) : null,
    author: { accountId: r.account_id, kind: r.kind, displayName: r.display_name, email: r.email, status: r.status },
  };
}

/** Everything a request page shows, with every person as a stored account (labels are the presenter's job). */
export async function loadRequestDetail(db: Executor, request: RequestRow, options: { publicCommentsOnly: boolean }): Promise<RequestDetail> {
  const reporter = accountOrFormer(await loadAccounts(db, [request.reporterId]), request.reporterId);
  const participants = await listParticipants(db, request.id);
  const pickerValues = await listPickerValues(db, request);
  const { comments } = await listComments(db, request.id, { publicOnly: options.publicCommentsOnly });
  return { request, reporter, participants, pickerValues, comments };
}

export type { RequestFieldValue, CommentRow, RequestDetail };

/** One comment of a request by id, unless deleted; `publicOnly` leaves internal notes out (as if they did not exist). */
export async function findComment(db: Executor, requestId: string, commentId: string, options: { publicOnly: boolean }): Promise<CommentRow | undefined> {
  if (!/^[1-9][0-9]{0,17}$/.test(commentId)) return undefined;
  let q = db
    .selectFrom('comments as c')
    .innerJoin('accounts as a', 'a.account_id', 'c.author_id')
    .select(COMMENT_COLUMNS)
    .where('c.request_id', '=', requestId)
    .where('c.id', '=', commentId)
    .where('c.deleted_at', 'is', null);
  if (options.publicOnly) q = q.where('c.public', '=', true);
  const r = await q.executeTakeFirst();
  return r && commentRow(r);
}
