import { sql, type Transaction } from 'kysely';
import type { Db } from '../connection.js';
import type { AccountKind, CustomerAccess, Database } from '../schema.js';
import type {
  AccountRef,
  CommentRow,
  MyRequestRow,
  ProjectRow,
  RequestDetail,
  RequestFieldValue,
  RequestRow,
  RequestTypeField,
  RequestTypeRow,
} from '../../domain/requests.js';
import type { SiteRow } from './sites.js';
import { belongsToSite, canWorkProject, type Actor, type SiteRef } from '../../domain/policies.js';
import { staffOfSiteOrganization } from './organization-staff.js';
import { notFound, unauthenticated } from '../../domain/errors.js';

type Executor = Transaction<Database> | Db;

/**
 * Shared request queries and THE visibility rules of requests and portals, used by
 * the help center, the agent workspace and the REST API alike:
 * - a customer sees a request only as its reporter or a participant (404 otherwise);
 * - an agent of the project or an admin of the site sees every request of the project;
 * - anyone else: 404.
 * Portals: restricted projects only for their project customers; open projects for every active
 * customer of the site; staff who work the project may use its portal too.
 */

// ---------------------------------------------------------------------------------------------
// People

export async function loadAccounts(db: Executor, ids: readonly string[]): Promise<Map<string, AccountRef>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .selectFrom('accounts')
    .select(['account_id', 'kind', 'display_name', 'email', 'status'])
    .where('account_id', 'in', unique)
    .execute();
  return new Map(rows.map((r) => [r.account_id, { accountId: r.account_id, kind: r.kind, displayName: r.display_name, email: r.email, status: r.status }]));
}

function accountOrFormer(map: Map<string, AccountRef>, id: string): AccountRef {
  return map.get(id) ?? { accountId: id, kind: 'customer', displayName: null, email: null, status: 'deleted' };
}

// ---------------------------------------------------------------------------------------------
// Visibility

/** The caller of a help-center / agent / REST request as an Actor, or 401 (anonymous). */
export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw unauthenticated();
  return actor;
}

/**
 * A customer acts only on their own site, staff only on the sites of their organization (their
 * roles decide per project): staff of another organization read nothing here, even where a request
 * names them.
 */
function onSite(actor: Actor, site: SiteRef): boolean {
  return belongsToSite(actor, site);
}

export async function isReporterOrParticipant(db: Executor, request: { id: string; reporterId: string }, accountId: string): Promise<boolean> {
  if (request.reporterId === accountId) return true;
  const row = await db
    .selectFrom('request_participants')
    .select('account_id')
    .where('request_id', '=', request.id)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The one rule of who sees a request. */
export async function canViewRequest(db: Executor, actor: Actor, site: SiteRef, request: RequestRow): Promise<boolean> {
  if (request.siteId !== site.id || !onSite(actor, site)) return false;
  if (canWorkProject(actor, site, request.projectId)) return true;
  return isReporterOrParticipant(db, request, actor.accountId);
}

/** A customer may use the portal of a project: open → every active customer of the site; restricted → its customers. */
export async function mayUsePortal(db: Executor, actor: Actor, site: SiteRef, project: ProjectRow): Promise<boolean> {
  if (project.siteId !== site.id || !onSite(actor, site)) return false;
  if (actor.kind === 'staff') return canWorkProject(actor, site, project.id);
  if (project.customerAccess === 'open') return true;
  const row = await db
    .selectFrom('project_customers')
    .select('account_id')
    .where('project_id', '=', project.id)
    .where('account_id', '=', actor.accountId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Whether an account may be the reporter of a request in the project's portal (a reporter named by
 * an agent): staff of the site's organization, or a customer of the site who may use the portal.
 */
export async function accountMayUsePortal(db: Executor, account: { accountId: string; kind: AccountKind; siteId: string | null }, project: ProjectRow): Promise<boolean> {
  if (account.kind === 'staff') return (await staffOfSiteOrganization(db, project.siteId, [account.accountId])).has(account.accountId);
  if (account.siteId !== project.siteId) return false;
  if (project.customerAccess === 'open') return true;
  const row = await db
    .selectFrom('project_customers')
    .select('account_id')
    .where('project_id', '=', project.id)
    .where('account_id', '=', account.accountId)
    .executeTakeFirst();
  return row !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Projects and portals

const BIGINT_ID = /^[1-9][0-9]{0,17}$/;
export function isBigintId(value: string): boolean {
  return BIGINT_ID.test(value);
}

function projectSelect(db: Executor) {
  return db
    .selectFrom('projects as p')
    .select(['p.id', 'p.site_id', 'p.key', 'p.name', 'p.portal_name', 'p.portal_description', 'p.customer_access']);
}

function toProject(r: { id: string; site_id: string; key: string; name: string; portal_name: string; portal_description: string; customer_access: CustomerAccess }): ProjectRow {
  return {
    id: String(r.id),
    siteId: r.site_id,
    key: r.key,
    name: r.name,
    portalName: r.portal_name,
    portalDescription: r.portal_description,
    customerAccess: r.customer_access,
  };
}

export async function findProject(db: Executor, siteId: string, projectId: string): Promise<ProjectRow | undefined> {
  if (!isBigintId(projectId)) return undefined;
  const row = await projectSelect(db).where('p.site_id', '=', siteId).where('p.id', '=', projectId).executeTakeFirst();
  return row && toProject(row);
}

/** The portals an actor may use on a site, by portal name. */
export async function listUsablePortals(db: Executor, actor: Actor, site: SiteRef): Promise<ProjectRow[]> {
  if (!onSite(actor, site)) return [];
  let q = projectSelect(db).where('p.site_id', '=', site.id);
  if (actor.kind === 'customer') {
    q = q.where((eb) =>
      eb.or([
        eb('p.customer_access', '=', 'open'),
        eb.exists(
          eb.selectFrom('project_customers as pc').select(sql.lit(1).as('one'))
            .whereRef('pc.project_id', '=', 'p.id').where('pc.account_id', '=', actor.accountId),
        ),
      ]),
    );
  }
  const rows = await q.orderBy('p.portal_name').orderBy('p.id').execute();
  const projects = rows.map(toProject);
  return actor.kind === 'staff' ? projects.filter((p) => canWorkProject(actor, site, p.id)) : projects;
}

/** The portal a caller may use, or 404 (a portal the caller may not use does not exist for them). */
export async function requireUsablePortal(db: Executor, actor: Actor, site: SiteRef, projectId: string): Promise<ProjectRow> {
  const project = await findProject(db, site.id, projectId);
  if (!project || !(await mayUsePortal(db, actor, site, project))) throw notFound('Portal not found.');
  return project;
}

// ---------------------------------------------------------------------------------------------
// Request types and their fields

export async function listRequestTypes(db: Executor, projectId: string): Promise<RequestTypeRow[]> {
  const rows = await db
    .selectFrom('request_types')
    .select(['id', 'project_id', 'name', 'description', 'help_text', 'position'])
    .where('project_id', '=', projectId)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: String(r.id), projectId: String(r.project_id), name: r.name, description: r.description, helpText: r.help_text, position: r.position }));
}

export async function findRequestType(db: Executor, projectId: string, requestTypeId: string): Promise<RequestTypeRow | undefined> {
  if (!isBigintId(requestTypeId)) return undefined;
  const r = await db
    .selectFrom('request_types')
    .select(['id', 'project_id', 'name', 'description', 'help_text', 'position'])
    .where('project_id', '=', projectId)
    .where('id', '=', requestTypeId)
    .executeTakeFirst();
  return r && { id: String(r.id), projectId: String(r.project_id), name: r.name, description: r.description, helpText: r.help_text, position: r.position };
}

export async function listRequestTypeFields(db: Executor, requestTypeId: string): Promise<RequestTypeField[]> {
  const rows = await db
    .selectFrom('request_type_fields as f')
    .leftJoin('custom_fields as cf', 'cf.id', 'f.custom_field_id')
    .select(['f.field_key', 'f.label', 'f.required', 'f.position', 'f.custom_field_id', 'cf.type', 'cf.audience', 'cf.name'])
    .where('f.request_type_id', '=', requestTypeId)
    .orderBy('f.position')
    .execute();
  return rows.map((r) => ({
    fieldKey: r.field_key,
    label: r.label,
    required: r.required,
    position: r.position,
    customFieldId: r.custom_field_id === null ? null : String(r.custom_field_id),
    type: r.type ?? 'text',
    audience: r.audience ?? null,
    fieldName: r.name ?? r.label,
  }));
}

/** A custom field of the site by key `customfield_<id>`; undefined for other keys or other sites. */
export async function findCustomFieldByKey(db: Executor, siteId: string, fieldKey: string) {
  const m = /^customfield_([1-9][0-9]{0,17})$/.exec(fieldKey);
  if (!m) return undefined;
  const r = await db
    .selectFrom('custom_fields')
    .select(['id', 'name', 'type', 'audience'])
    .where('site_id', '=', siteId)
    .where('id', '=', m[1])
    .executeTakeFirst();
  return r && { id: String(r.id), name: r.name, type: r.type, audience: r.audience };
}

// ---------------------------------------------------------------------------------------------
// Requests

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

/** The request, if the actor may see it; otherwise 404 — the request does not exist for them. */
export async function requireVisibleRequest(db: Executor, actor: Actor, site: SiteRef, keyOrId: string): Promise<RequestRow> {
  const request = await findRequest(db, site.id, keyOrId);
  if (!request || !(await canViewRequest(db, actor, site, request))) throw notFound(`Request '${keyOrId.slice(0, 40)}' does not exist or you do not have permission to see it.`);
  return request;
}

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
  const fields = (await listRequestTypeFields(db, request.requestTypeId)).filter((f) => f.customFieldId !== null);
  const rows = await db
    .selectFrom('request_user_values as v')
    .innerJoin('custom_fields as cf', 'cf.id', 'v.custom_field_id')
    .innerJoin('accounts as a', 'a.account_id', 'v.account_id')
    .select(['v.custom_field_id', 'cf.name', 'cf.type', 'v.position', 'a.account_id', 'a.kind', 'a.display_name', 'a.email', 'a.status'])
    .where('v.request_id', '=', request.id)
    .orderBy('v.custom_field_id')
    .orderBy('v.position')
    .orderBy('a.account_id')
    .execute();
  const result: RequestFieldValue[] = fields.map((f) => ({
    fieldKey: f.fieldKey,
    customFieldId: f.customFieldId!,
    label: f.label,
    fieldName: f.fieldName,
    type: f.type === 'multiuser' ? 'multiuser' : 'user',
    values: [],
  }));
  const byField = new Map(result.map((f) => [f.customFieldId, f]));
  for (const r of rows) {
    const id = String(r.custom_field_id);
    let f = byField.get(id);
    if (!f) {
      // a value of a field no longer on the form stays visible rather than silently hidden
      f = { fieldKey: `customfield_${id}`, customFieldId: id, label: r.name, fieldName: r.name, type: r.type, values: [] };
      byField.set(id, f);
      result.push(f);
    }
    f.values.push({ accountId: r.account_id, kind: r.kind, displayName: r.display_name, email: r.email, status: r.status });
  }
  return result;
}

export async function listComments(
  db: Executor,
  requestId: string,
  options: { publicOnly: boolean; includePublic?: boolean; start?: number; limit?: number },
): Promise<{ comments: CommentRow[]; total: number }> {
  let q = db.selectFrom('comments as c').where('c.request_id', '=', requestId);
  if (options.publicOnly) q = q.where('c.public', '=', true);
  else if (options.includePublic === false) q = q.where('c.public', '=', false);
  const [rows, count] = await Promise.all([
    q.innerJoin('accounts as a', 'a.account_id', 'c.author_id')
      .select(['c.id', 'c.body', 'c.public', 'c.created_at', 'a.account_id', 'a.kind', 'a.display_name', 'a.email', 'a.status'])
      .orderBy('c.created_at')
      .orderBy('c.id')
      .offset(options.start ?? 0)
      .limit(options.limit ?? 1000)
      .execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    comments: rows.map((r) => ({
      id: String(r.id),
      body: r.body,
      public: r.public,
      createdAt: new Date(r.created_at),
      author: { accountId: r.account_id, kind: r.kind, displayName: r.display_name, email: r.email, status: r.status },
    })),
    total: Number(count.n),
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

// ---------------------------------------------------------------------------------------------
// My requests

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
  const shared = () =>
    db.selectFrom('request_participants').select('request_id as id').where('account_id', '=', input.accountId).where('site_id', '=', input.siteId);
  const ids =
    input.filter === 'created' ? created() : input.filter === 'shared' ? shared() : created().union(shared());

  let q = requestSelect(db)
    .innerJoin('accounts as rep', 'rep.account_id', 'r.reporter_id')
    .where('r.id', 'in', ids)
    .where('r.site_id', '=', input.siteId);
  if (input.filter === 'shared') q = q.where('r.reporter_id', '!=', input.accountId);
  if (input.projectId) q = q.where('r.project_id', '=', input.projectId);

  const [rows, count] = await Promise.all([
    q.select(['rep.kind as rep_kind', 'rep.display_name as rep_display_name', 'rep.email as rep_email', 'rep.status as rep_status'])
      .orderBy('r.created_at', 'desc')
      .orderBy('r.id', 'desc')
      .offset(input.start)
      .limit(input.limit)
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

/** Marks a request as changed (participants, comments, fields). */
export async function touchRequest(trx: Executor, requestId: string): Promise<void> {
  await trx.updateTable('requests').set({ updated_at: sql<Date>`now()` }).where('id', '=', requestId).execute();
}

export type { SiteRow };
export type { AccountRef, CommentRow, MyRequestRow, ProjectRow, RequestDetail, RequestFieldValue, RequestRow, RequestTypeField, RequestTypeRow };
