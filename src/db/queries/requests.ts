import { sql, type QueryCreator, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { Db } from '../connection.js';
import type { Database, RequestStatus } from '../schema.js';
import type { AccountRef } from './accounts.js';
import { isBigintId } from './projects.js';
import { approvalsNaming } from './request-approvals.js';
import type { RequestRow, MyRequestRow } from '../../domain/requests.js';

type Executor = Transaction<Database> | Db;


function requestSelect(db: Executor) {
  return db
    .selectFrom('requests as r')
    .innerJoin('projects as p', 'p.id', 'r.project_id')
    .innerJoin('request_types as rt', 'rt.id', 'r.request_type_id')
    .select([
      'r.id', 'r.site_id', 'r.project_id', 'p.key as project_key', 'p.name as project_name', 'p.portal_name',
      'r.request_type_id', 'rt.name as request_type_name', 'r.number', 'r.key', 'r.summary', 'r.description',
      'r.status', 'r.reporter_id', 'r.created_at', 'r.updated_at', 'r.status_changed_at',
    ]);
}

type RequestSelectRow = Awaited<ReturnType<ReturnType<typeof requestSelect>['executeTakeFirstOrThrow']>>;

function toRequest(r: RequestSelectRow): RequestRow {
  return {
    id: String(r.id),
    siteId: r.site_id,
    projectId: String(r.project_id),
    projectKey: r.project_key,
    projectName: r.project_name,
    portalName: r.portal_name,
    requestTypeId: String(r.request_type_id),
    requestTypeName: r.request_type_name,
    number: r.number,
    key: r.key,
    summary: r.summary,
    description: r.description,
    status: r.status,
    reporterId: r.reporter_id,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
    statusChangedAt: new Date(r.status_changed_at),
  };
}

/** A request of the site by key (HELP-1, case-insensitive) or numeric issue id (10001). */
export async function findRequest(db: Executor, siteId: string, keyOrId: string): Promise<RequestRow | undefined> {
  const text = keyOrId.trim();
  let q = requestSelect(db).where('r.site_id', '=', siteId);
  if (isBigintId(text)) q = q.where('r.id', '=', text);
  else if (/^[A-Za-z][A-Za-z0-9]{1,9}-[1-9][0-9]{0,9}$/.test(text)) q = q.where('r.key', '=', text.toUpperCase());
  else return undefined;
  const row = await q.executeTakeFirst();
  return row && toRequest(row);
}

/** The facts the agent workspace needs of a request, by exact key (HELP-1); `forUpdate` locks the row. */
export async function findRequestByKey(db: Executor, siteId: string, key: string, options: { forUpdate?: boolean } = {}) {
  let q = db
    .selectFrom('requests as r')
    .innerJoin('projects as p', 'p.id', 'r.project_id')
    .select(['r.id', 'r.key', 'r.project_id', 'p.key as project_key', 'r.request_type_id', 'r.status', 'r.reporter_id'])
    .where('r.site_id', '=', siteId)
    .where('r.key', '=', key.trim().toUpperCase());
  if (options.forUpdate) q = q.forUpdate('r');
  const row = await q.executeTakeFirst();
  return (
    row && {
      id: String(row.id),
      key: row.key,
      projectId: String(row.project_id),
      projectKey: row.project_key,
      requestTypeId: String(row.request_type_id),
      status: row.status,
      reporterId: row.reporter_id,
    }
  );
}

/** Whether the account participates in the request (was shared with). */
export async function isParticipant(db: Executor, requestId: string, accountId: string): Promise<boolean> {
  const row = await db
    .selectFrom('request_participants')
    .select('account_id')
    .where('request_id', '=', requestId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The requests shared with `accountId` through a customer organization they belong to
 * (docs/product.md#customer-organizations), as a FROM clause its callers select from: the one
 * definition the policy check (isSharedWith), "Shared with me" (listMyRequests) and a customer's
 * JQL visibility set (db/jql-plan.ts) all use. `ro.request_id` is the request.
 */
export function sharedThroughOrganizations(qc: Pick<QueryCreator<Database>, 'selectFrom'>, accountId: string) {
  return qc
    .selectFrom('request_organizations as ro')
    .innerJoin('customer_organization_members as com', 'com.organization_id', 'ro.organization_id')
    .where('com.account_id', '=', accountId);
}

/**
 * Whether the request is shared with the account: it is a participant, a member of a customer
 * organization the request is shared with, or an approver its approval names (docs/product.md#approvals).
 * What domain/policies/requests.ts calls `isParticipant`.
 */
export async function isSharedWith(db: Executor, requestId: string, accountId: string): Promise<boolean> {
  const row = await db
    .selectNoFrom((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('request_participants').select(sql.lit(1).as('one')).where('request_id', '=', requestId).where('account_id', '=', accountId)),
        eb.exists(sharedThroughOrganizations(eb, accountId).select(sql.lit(1).as('one')).where('ro.request_id', '=', requestId)),
        eb.exists(approvalsNaming(eb, accountId).select(sql.lit(1).as('one')).where('ap.request_id', '=', requestId)),
      ]).as('shared'),
    )
    .executeTakeFirstOrThrow();
  return Boolean(row.shared);
}

export type MyRequestsFilter = 'created' | 'shared' | 'all';


/**
 * The requests an account reported and/or participates in, on one site, newest first. Each branch
 * walks an index: requests_reporter_idx (reporter_id, created_at DESC) and
 * request_participants_account_idx (account_id, request_id).
 */
export async function listMyRequests(
  db: Executor,
  input: { siteId: string; accountId: string; filter: MyRequestsFilter; start: number; limit: number; projectId?: string },
): Promise<{ rows: MyRequestRow[]; total: number }> {
  const created = () => db.selectFrom('requests').select('id').where('reporter_id', '=', input.accountId).where('site_id', '=', input.siteId);
  // shared with them: as a participant, or as a member of an organization the request is shared with
  const shared = () =>
    db.selectFrom('request_participants').select('request_id as id').where('account_id', '=', input.accountId).where('site_id', '=', input.siteId)
      .union(sharedThroughOrganizations(db, input.accountId).select('ro.request_id as id').where('ro.site_id', '=', input.siteId));
  const ids =
    input.filter === 'created' ? created() : input.filter === 'shared' ? shared() : created().union(shared());

  let q = requestsWithReporters(db, ids, input.siteId);
  if (input.filter === 'shared') q = q.where('r.reporter_id', '!=', input.accountId);
  if (input.projectId) q = q.where('r.project_id', '=', input.projectId);
  return pageWithReporters(q, 'r.created_at', input);
}

/** The site's requests among `ids`, joined to their reporters, for pageWithReporters. */
function requestsWithReporters(db: Executor, ids: SelectQueryBuilder<Database, any, { id: string }>, siteId: string) {
  return requestSelect(db)
    .innerJoin('accounts as rep', 'rep.account_id', 'r.reporter_id')
    .where('r.id', 'in', ids)
    .where('r.site_id', '=', siteId);
}

/** One page of them, newest first by `order`, each with its reporter, and how many there are in all. */
async function pageWithReporters(
  q: ReturnType<typeof requestsWithReporters>,
  order: 'r.created_at' | 'r.updated_at',
  page: { start: number; limit: number },
): Promise<{ rows: MyRequestRow[]; total: number }> {
  const [rows, count] = await Promise.all([
    q.select(['rep.kind as rep_kind', 'rep.display_name as rep_display_name', 'rep.email as rep_email', 'rep.status as rep_status'])
      .orderBy(order, 'desc')
      .orderBy('r.id', 'desc')
      .offset(page.start)
      .limit(page.limit)
      .execute(),
    q.clearSelect().select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    rows: rows.map((r) => ({
      ...toRequest(r),
      reporter: { accountId: r.reporter_id, kind: r.rep_kind, displayName: r.rep_display_name, email: r.rep_email, status: r.rep_status },
    })),
    total: Number(count.n),
  };
}

/** Which of an account's requests GET /rest/servicedeskapi/request lists (docs/product.md#rest-customer-requests). */
export interface CustomerRequestScope {
  /** requests they reported */
  owned: boolean;
  /** requests they were added to as a participant */
  participated: boolean;
  /** requests shared with one organization of theirs, or with any (`'all'`) */
  organizations: string | 'all' | null;
  /** every request of these projects (agents' projects), or of the whole site (`'all'`) */
  projects: readonly string[] | 'all' | null;
  /** requests whose approval names them: still pending, already decided, or both */
  approvals?: 'pending' | 'decided' | 'all' | null;
}

export interface CustomerRequestFilter {
  open?: boolean;
  projectId?: string;
  requestTypeId?: string;
  /** lower-cased words that must all occur in the summary */
  words: string[];
}

const likeContaining = (word: string) => '%' + word.replace(/[\\%_]/g, (c) => '\\' + c) + '%';

/**
 * The requests of one site in an account's scope, most recently changed first (Atlassian orders them
 * by their latest activity), paged, with the total. Each part of the scope walks an index of its own
 * (reporter, participant, organization share, project); an empty scope finds nothing.
 */
export async function listCustomerRequests(
  db: Executor,
  input: { siteId: string; accountId: string; scope: CustomerRequestScope; filter: CustomerRequestFilter; start: number; limit: number },
): Promise<{ rows: MyRequestRow[]; total: number }> {
  const { scope } = input;
  // each part selects one `id` column, from a table of its own
  const parts: Array<SelectQueryBuilder<Database, any, { id: string }>> = [];
  if (scope.projects === 'all') parts.push(db.selectFrom('requests').select('id').where('site_id', '=', input.siteId));
  else if (scope.projects && scope.projects.length > 0) parts.push(db.selectFrom('requests').select('id').where('site_id', '=', input.siteId).where('project_id', 'in', [...scope.projects]));
  if (scope.owned) parts.push(db.selectFrom('requests').select('id').where('reporter_id', '=', input.accountId).where('site_id', '=', input.siteId));
  if (scope.participated) parts.push(db.selectFrom('request_participants').select('request_id as id').where('account_id', '=', input.accountId).where('site_id', '=', input.siteId));
  if (scope.organizations !== null) {
    let shared = sharedThroughOrganizations(db, input.accountId).select('ro.request_id as id').where('ro.site_id', '=', input.siteId);
    if (scope.organizations !== 'all') shared = shared.where('ro.organization_id', '=', scope.organizations);
    parts.push(shared);
  }
  if (scope.approvals) {
    let named = approvalsNaming(db, input.accountId).select('ap.request_id as id').where('ap.site_id', '=', input.siteId);
    if (scope.approvals !== 'all') named = named.where('ap.status', scope.approvals === 'pending' ? '=' : '!=', 'pending');
    parts.push(named);
  }
  if (parts.length === 0) return { rows: [], total: 0 };
  const ids = parts.slice(1).reduce((all, part) => all.union(part), parts[0]);

  let q = requestsWithReporters(db, ids, input.siteId);
  const f = input.filter;
  if (f.open !== undefined) q = q.where('r.status', f.open ? 'not in' : 'in', ['Resolved', 'Declined', 'Closed']);
  if (f.projectId !== undefined) q = q.where('r.project_id', '=', f.projectId);
  if (f.requestTypeId !== undefined) q = q.where('r.request_type_id', '=', f.requestTypeId);
  for (const word of f.words) q = q.where(sql`lower(r.summary)`, 'like', likeContaining(word));
  return pageWithReporters(q, 'r.updated_at', input);
}

/** Marks a request as changed (participants, comments, fields). */
export async function touchRequest(trx: Executor, requestId: string): Promise<void> {
  await trx.updateTable('requests').set({ updated_at: sql<Date>`now()` }).where('id', '=', requestId).execute();
}

/**
 * A new request of a project, numbered by the project's counter in the caller's transaction (the
 * counter's row lock orders concurrent raises: keys never repeat or skip): its id and key.
 */
export async function insertNumberedRequest(
  trx: Executor,
  r: {
    siteId: string;
    projectId: string;
    projectKey: string;
    requestTypeId: string;
    summary: string;
    description: string;
    reporterId: string;
    /** the demo data's requests start in other statuses, at other times; a raised one is Open, now */
    status?: RequestStatus;
    createdAt?: Date;
  },
): Promise<{ id: string; key: string }> {
  const numbered = await trx
    .updateTable('projects')
    .set((eb) => ({ next_request_number: eb('next_request_number', '+', 1) }))
    .where('id', '=', r.projectId)
    .returning('next_request_number')
    .executeTakeFirstOrThrow();
  const number = numbered.next_request_number - 1;
  const key = `${r.projectKey}-${number}`;
  const row = await trx
    .insertInto('requests')
    .values({
      site_id: r.siteId,
      project_id: r.projectId,
      request_type_id: r.requestTypeId,
      number,
      key,
      summary: r.summary,
      description: r.description,
      reporter_id: r.reporterId,
      ...(r.status ? { status: r.status } : {}),
      ...(r.createdAt ? { created_at: r.createdAt, updated_at: r.createdAt, status_changed_at: r.createdAt } : {}),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: String(row.id), key };
}

export type { RequestRow, MyRequestRow };
