import type { Kysely, Transaction } from 'kysely';
import type { AccountStatus, Database, ErasureRequestStatus } from '../schema.js';
import type { RequestStatus } from '../../domain/request-workflow.js';

// What Portico holds about one customer of a site, read for their own export
// (docs/product.md#own-data). Rows only; what leaves the server is the use case's and presenter's.
// Requests are read in pages by id (keyset), each page's comments, attachments, people and picker
// values in one statement each, so an export of any size holds one page in memory at a time.

type Executor = Kysely<Database> | Transaction<Database>;

export interface PersonRow {
  account_id: string;
  display_name: string | null;
  status: AccountStatus;
}

export async function ownProfile(db: Executor, siteId: string, accountId: string) {
  return db
    .selectFrom('accounts')
    .select(['account_id', 'display_name', 'email', 'status', 'created_at', 'last_active_at', 'revoked_at'])
    .where('account_id', '=', accountId)
    .where('site_id', '=', siteId)
    .where('kind', '=', 'customer')
    .executeTakeFirst();
}

export async function ownOrganizations(db: Executor, siteId: string, accountId: string) {
  return db
    .selectFrom('customer_organization_members as m')
    .innerJoin('customer_organizations as o', 'o.id', 'm.organization_id')
    .select(['o.id', 'o.name', 'm.added_at'])
    .where('m.site_id', '=', siteId)
    .where('m.account_id', '=', accountId)
    .orderBy('o.name')
    .execute();
}

export interface OwnRequestRow {
  id: string;
  key: string;
  summary: string;
  description: string;
  status: RequestStatus;
  created_at: Date;
  updated_at: Date;
  status_changed_at: Date;
  portal_name: string;
  request_type_name: string;
  reporter_id: string;
  reporter_name: string | null;
  reporter_status: AccountStatus;
}

/** Up to `limit` requests of the site the customer reported or takes part in, by id after `afterId`. */
export async function ownRequestsPage(db: Executor, siteId: string, accountId: string, afterId: string | null, limit: number): Promise<OwnRequestRow[]> {
  let q = db
    .selectFrom('requests as r')
    .innerJoin('projects as p', 'p.id', 'r.project_id')
    .innerJoin('request_types as t', 't.id', 'r.request_type_id')
    .innerJoin('accounts as rep', 'rep.account_id', 'r.reporter_id')
    .select([
      'r.id', 'r.key', 'r.summary', 'r.description', 'r.status', 'r.created_at', 'r.updated_at', 'r.status_changed_at',
      'p.portal_name', 't.name as request_type_name', 'r.reporter_id', 'rep.display_name as reporter_name', 'rep.status as reporter_status',
    ])
    .where('r.site_id', '=', siteId)
    .where((eb) =>
      eb.or([
        eb('r.reporter_id', '=', accountId),
        eb.exists(eb.selectFrom('request_participants as rp').select('rp.request_id').whereRef('rp.request_id', '=', 'r.id').where('rp.account_id', '=', accountId)),
      ]),
    );
  if (afterId !== null) q = q.where('r.id', '>', afterId);
  const rows = await q.orderBy('r.id').limit(limit).execute();
  return rows.map((r) => ({ ...r, id: String(r.id) })) as OwnRequestRow[];
}

/** The public, undeleted comments of these requests (never internal notes), oldest first. */
export async function publicCommentsOf(db: Executor, siteId: string, requestIds: string[]) {
  if (requestIds.length === 0) return [];
  return db
    .selectFrom('comments as c')
    .innerJoin('accounts as a', 'a.account_id', 'c.author_id')
    .select(['c.id', 'c.request_id', 'c.author_id', 'c.body', 'c.created_at', 'c.edited_at', 'a.display_name', 'a.status'])
    .where('c.site_id', '=', siteId)
    .where('c.request_id', 'in', requestIds)
    .where('c.public', '=', true)
    .where('c.deleted_at', 'is', null)
    .orderBy('c.request_id')
    .orderBy('c.id')
    .execute();
}

/** The attachments of these requests a customer sees: on the request itself or on a public, undeleted comment. */
export async function visibleAttachmentsOf(db: Executor, siteId: string, requestIds: string[]) {
  if (requestIds.length === 0) return [];
  return db
    .selectFrom('request_attachments as f')
    .leftJoin('comments as c', 'c.id', 'f.comment_id')
    .select(['f.id', 'f.request_id', 'f.comment_id', 'f.file_name', 'f.content_type', 'f.size', 'f.created_at', 'f.uploaded_by'])
    .where('f.site_id', '=', siteId)
    .where('f.request_id', 'in', requestIds)
    .where((eb) => eb.or([eb('f.comment_id', 'is', null), eb.and([eb('c.public', '=', true), eb('c.deleted_at', 'is', null)])]))
    .orderBy('f.request_id')
    .orderBy('f.id')
    .execute();
}

export async function participantsOf(db: Executor, siteId: string, requestIds: string[]) {
  if (requestIds.length === 0) return [];
  return db
    .selectFrom('request_participants as p')
    .innerJoin('accounts as a', 'a.account_id', 'p.account_id')
    .select(['p.request_id', 'a.account_id', 'a.display_name', 'a.status'])
    .where('p.site_id', '=', siteId)
    .where('p.request_id', 'in', requestIds)
    .orderBy('p.request_id')
    .orderBy('p.added_at')
    .execute();
}

export async function pickerValuesOf(db: Executor, siteId: string, requestIds: string[]) {
  if (requestIds.length === 0) return [];
  return db
    .selectFrom('request_user_values as v')
    .innerJoin('custom_fields as cf', 'cf.id', 'v.custom_field_id')
    .innerJoin('accounts as a', 'a.account_id', 'v.account_id')
    .select(['v.request_id', 'cf.name as field_name', 'a.account_id', 'a.display_name', 'a.status'])
    .where('v.site_id', '=', siteId)
    .where('v.request_id', 'in', requestIds)
    .orderBy('v.request_id')
    .orderBy('v.custom_field_id')
    .orderBy('v.position')
    .execute();
}

export async function ownRatingsOf(db: Executor, siteId: string, accountId: string, requestIds: string[]) {
  if (requestIds.length === 0) return [];
  return db
    .selectFrom('request_ratings')
    .select(['request_id', 'rating', 'comment', 'rated_at'])
    .where('site_id', '=', siteId)
    .where('rated_by', '=', accountId)
    .where('request_id', 'in', requestIds)
    .execute();
}

/**
 * The customer's own comments on requests they no longer report or take part in (the others are in
 * their requests' conversations): written by them, public, undeleted.
 */
export async function ownCommentsElsewhere(db: Executor, siteId: string, accountId: string, limit: number) {
  return db
    .selectFrom('comments as c')
    .innerJoin('requests as r', 'r.id', 'c.request_id')
    .select(['c.id', 'r.key', 'c.body', 'c.created_at', 'c.edited_at'])
    .where('c.site_id', '=', siteId)
    .where('c.author_id', '=', accountId)
    .where('c.public', '=', true)
    .where('c.deleted_at', 'is', null)
    .where('r.reporter_id', '<>', accountId)
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('request_participants as rp').select('rp.request_id').whereRef('rp.request_id', '=', 'r.id').where('rp.account_id', '=', accountId))),
    )
    .orderBy('c.id')
    .limit(limit)
    .execute();
}

/** Requests whose notification mail the customer turned off. */
export async function ownMailMutes(db: Executor, siteId: string, accountId: string) {
  return db
    .selectFrom('request_mail_mutes as m')
    .innerJoin('requests as r', 'r.id', 'm.request_id')
    .select(['r.key', 'm.muted_at'])
    .where('m.site_id', '=', siteId)
    .where('m.account_id', '=', accountId)
    .orderBy('r.id')
    .execute();
}

export async function ownSavedFilters(db: Executor, siteId: string, accountId: string) {
  return db.selectFrom('saved_filters').select(['name', 'jql', 'created_at']).where('site_id', '=', siteId).where('owner_id', '=', accountId).orderBy('id').execute();
}

/** Labels and dates of the account's API tokens, never their hashes. */
export async function ownApiTokens(db: Executor, accountId: string) {
  return db.selectFrom('api_tokens').select(['label', 'created_at', 'last_used_at', 'revoked_at']).where('account_id', '=', accountId).orderBy('created_at').execute();
}

// ---- erasure requests ----------------------------------------------------------------------------

export interface ErasureRequestRow {
  id: string;
  site_id: string;
  account_id: string;
  status: ErasureRequestStatus;
  reason: string | null;
  requested_at: Date;
  decided_at: Date | null;
  decided_by: string | null;
  decision_note: string | null;
}

const erasureColumns = ['id', 'site_id', 'account_id', 'status', 'reason', 'requested_at', 'decided_at', 'decided_by', 'decision_note'] as const;
const asErasure = (r: Record<string, unknown> & { id: string | number }): ErasureRequestRow => ({ ...(r as unknown as ErasureRequestRow), id: String(r.id) });

/** The account's requests to be erased, newest first. */
export async function erasureRequestsOf(db: Executor, siteId: string, accountId: string): Promise<ErasureRequestRow[]> {
  const rows = await db.selectFrom('erasure_requests').select(erasureColumns).where('site_id', '=', siteId).where('account_id', '=', accountId).orderBy('id', 'desc').execute();
  return rows.map(asErasure);
}

export async function pendingErasureOf(db: Executor, siteId: string, accountId: string): Promise<ErasureRequestRow | undefined> {
  const row = await db
    .selectFrom('erasure_requests')
    .select(erasureColumns)
    .where('site_id', '=', siteId)
    .where('account_id', '=', accountId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row && asErasure(row);
}

export async function insertErasureRequest(trx: Executor, siteId: string, accountId: string, reason: string | null): Promise<ErasureRequestRow> {
  const row = await trx.insertInto('erasure_requests').values({ site_id: siteId, account_id: accountId, reason }).returning(erasureColumns).executeTakeFirstOrThrow();
  return asErasure(row);
}

/** One erasure request of the site, locked for its decision. */
export async function lockErasureRequest(trx: Executor, siteId: string, id: string): Promise<ErasureRequestRow | undefined> {
  const row = await trx.selectFrom('erasure_requests').select(erasureColumns).where('site_id', '=', siteId).where('id', '=', id).forUpdate().executeTakeFirst();
  return row && asErasure(row);
}

export async function decideErasureRequest(
  trx: Executor,
  id: string,
  change: { status: 'withdrawn' | 'approved' | 'declined'; decidedBy: string | null; note: string | null; clearReason?: boolean },
): Promise<ErasureRequestRow> {
  const row = await trx
    .updateTable('erasure_requests')
    .set({
      status: change.status,
      decided_at: new Date(),
      decided_by: change.decidedBy,
      decision_note: change.note,
      ...(change.clearReason ? { reason: null } : {}),
    })
    .where('id', '=', id)
    .returning(erasureColumns)
    .executeTakeFirstOrThrow();
  return asErasure(row);
}

export interface PendingErasureListRow extends ErasureRequestRow {
  display_name: string | null;
  email: string | null;
  account_status: AccountStatus;
}

/** A site's pending erasure requests, oldest first, a page at a time. */
export async function listPendingErasures(db: Executor, siteId: string, start: number, limit: number): Promise<{ rows: PendingErasureListRow[]; total: number }> {
  const rows = await db
    .selectFrom('erasure_requests as e')
    .innerJoin('accounts as a', 'a.account_id', 'e.account_id')
    .select(['e.id', 'e.site_id', 'e.account_id', 'e.status', 'e.reason', 'e.requested_at', 'e.decided_at', 'e.decided_by', 'e.decision_note', 'a.display_name', 'a.email', 'a.status as account_status'])
    .where('e.site_id', '=', siteId)
    .where('e.status', '=', 'pending')
    .orderBy('e.requested_at')
    .orderBy('e.id')
    .offset(start)
    .limit(limit)
    .execute();
  const total = await db
    .selectFrom('erasure_requests')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('site_id', '=', siteId)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return { rows: rows.map((r) => ({ ...(r as unknown as PendingErasureListRow), id: String(r.id) })), total: Number(total.n) };
}
