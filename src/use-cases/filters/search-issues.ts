import { sql } from 'kysely';
import type { Priority, RequestStatus } from '../../db/schema.js';
import { badRequest } from '../../domain/errors.js';
import { decideSiteStanding, mayReadEmailOf, type SiteRef } from '../../domain/policies.js';
import { loadAccounts, type AccountView } from '../../db/queries/accounts.js';
import { enforce } from '../authorize.js';
import type { ActorContext } from '../context.js';
import { JqlError } from '../../domain/jql/errors.js';
import { pageWithPlaces, runJqlPage, type JqlPagePlan } from './jql-search.js';

/** A request as a search result, with every field the REST presenter may be asked for. */
export interface IssueRecord {
  id: string;
  key: string;
  summary: string;
  description: string;
  status: RequestStatus;
  created: Date;
  updated: Date;
  project: { id: string; key: string; name: string };
  requestType: { id: string; name: string };
  reporter: { account: AccountView; emailVisible: boolean };
  /** null: unassigned */
  assignee: { account: AccountView; emailVisible: boolean } | null;
  priority: Priority;
  participants: Array<{ account: AccountView; emailVisible: boolean }>;
  /** custom field id → its values in order (one for a single picker) */
  userFields: Map<string, Array<{ account: AccountView; emailVisible: boolean }>>;
}

export interface CustomFieldDef {
  id: string;
  name: string;
  type: 'user' | 'multiuser';
}

export interface SearchIssuesInput {
  site: SiteRef;
  jql: string;
  startAt: number;
  maxResults: number;
  /**
   * Which of the costly parts the caller will present, decided once the site's custom fields are
   * known (a REST search names fields by id or by a custom field's name). Participants and
   * user-picker values are read only when asked for; by default both are.
   */
  parts?: (customFields: CustomFieldDef[]) => { participants: boolean; userFields: boolean };
  /** only this project's requests (a queue's issues) */
  projectId?: string;
}

export interface SearchIssuesResult {
  issues: IssueRecord[];
  isLast: boolean;
  customFields: CustomFieldDef[];
}

/**
 * POST|GET /rest/api/3/search/jql: one page of the requests of the site the caller may see (agents
 * their projects, admins the site, customers their own and shared requests), in the query's order.
 * A malformed query is a 400 that says where and why.
 */
export async function searchIssues(ctx: ActorContext, input: SearchIssuesInput): Promise<SearchIssuesResult> {
  const actor = ctx.actor;
  enforce(decideSiteStanding(actor, input.site), { notFound: 'Site not found.' });
  const planOptions = {
    siteId: input.site.id,
    jql: input.jql,
    viewer: { accountId: actor.accountId, kind: actor.kind },
    startAt: input.startAt,
    maxResults: input.maxResults,
    projectId: input.projectId,
  };
  // The page's rows in ONE statement with the search: its ids (one more than the page, so the page
  // knows whether another follows) in the query's order, unnested with their position, each joined
  // to its row, its project and request type, and its reporter (every issue presents one). With a
  // kept look-up the same statement checks it (runJqlPage), else the look-up was one before.
  const rowsOf = (p: JqlPagePlan) =>
    ctx.db
      .selectFrom(pageWithPlaces(p))
      .innerJoin('requests as r', 'r.id', 'page.id')
      .innerJoin('projects as p', 'p.id', 'r.project_id')
      .innerJoin('request_types as t', 't.id', 'r.request_type_id')
      .leftJoin('accounts as ra', 'ra.account_id', 'r.reporter_id')
      .select([
        'page.n', 'r.id', 'r.key', 'r.summary', 'r.description', 'r.status', 'r.created_at', 'r.updated_at', 'r.reporter_id', 'r.assignee_id', 'r.priority',
        'p.id as project_id', 'p.key as project_key', 'p.name as project_name', 't.id as type_id', 't.name as type_name',
        'ra.kind as reporter_kind', 'ra.site_id as reporter_site_id', 'ra.email as reporter_email',
        'ra.display_name as reporter_display_name', 'ra.status as reporter_status',
      ])
      .where('r.site_id', '=', input.site.id)
      .orderBy('page.n');
  const planned = await runJqlPage(ctx.db, planOptions, 'issue rows', rowsOf).catch((err: unknown) => {
    throw err instanceof JqlError ? badRequest(err.message, { jql: err.message }) : err;
  });
  const found = planned.rows;
  // read once, by the search itself
  const customFields = planned.customFields;
  const parts = input.parts?.(customFields) ?? { participants: true, userFields: true };

  const isLast = found.length <= planned.maxResults;
  const rows = found.slice(0, planned.maxResults);
  const ids = rows.map((r) => String(r.id));
  if (ids.length === 0) return { issues: [], isLast, customFields };

  const none = Promise.resolve([]);
  // one array parameter, not one per id: the same statement text for every page, and a page of
  // 5,000 ids is not 5,000 parameters to send and parse
  const idIn = (column: string) => sql<boolean>`${sql.ref(column)} = any(${sql.val(ids)}::bigint[])`;
  const [participants, values] = await Promise.all([
    parts.participants
      ? ctx.db.selectFrom('request_participants').select(['request_id', 'account_id', 'added_at'])
          .where(idIn('request_id')).orderBy('added_at').orderBy('account_id').execute()
      : none,
    parts.userFields
      ? ctx.db.selectFrom('request_user_values').select(['request_id', 'custom_field_id', 'account_id', 'position'])
          .where(idIn('request_id')).orderBy('position').orderBy('account_id').execute()
      : none,
  ]);
  const accounts = await loadAccounts(ctx.db, [
    ...participants.map((p) => p.account_id),
    ...values.map((v) => v.account_id),
    ...rows.flatMap((r) => (r.assignee_id === null ? [] : [r.assignee_id])),
  ]);
  for (const r of rows) {
    if (r.reporter_kind === null || r.reporter_status === null) continue; // no such account any more
    accounts.set(r.reporter_id, {
      accountId: r.reporter_id,
      kind: r.reporter_kind,
      siteId: r.reporter_site_id,
      email: r.reporter_email,
      displayName: r.reporter_display_name,
      status: r.reporter_status,
    });
  }
  const person = (accountId: string) => {
    const account = accounts.get(accountId);
    return account ? { account, emailVisible: mayReadEmailOf(actor, accountId) } : null;
  };
  type Person = { account: AccountView; emailVisible: boolean };
  const byId = new Map(rows.map((r) => [String(r.id), r]));
  // group once: a page may hold 5,000 requests
  const participantsOf = new Map<string, Person[]>();
  for (const p of participants) {
    const who = person(p.account_id);
    const key = String(p.request_id);
    if (who) participantsOf.set(key, [...(participantsOf.get(key) ?? []), who]);
  }
  const userFieldsOf = new Map<string, Map<string, Person[]>>();
  for (const v of values) {
    const who = person(v.account_id);
    if (!who) continue;
    const fields = userFieldsOf.get(String(v.request_id)) ?? new Map<string, Person[]>();
    const key = String(v.custom_field_id);
    fields.set(key, [...(fields.get(key) ?? []), who]);
    userFieldsOf.set(String(v.request_id), fields);
  }
  const issues: IssueRecord[] = [];
  for (const id of ids) {
    const r = byId.get(id);
    const reporter = r && person(r.reporter_id);
    if (!r || !reporter) continue;
    issues.push({
      id,
      key: r.key,
      summary: r.summary,
      description: r.description,
      status: r.status,
      created: new Date(r.created_at),
      updated: new Date(r.updated_at),
      project: { id: String(r.project_id), key: r.project_key, name: r.project_name },
      requestType: { id: String(r.type_id), name: r.type_name },
      reporter,
      assignee: r.assignee_id === null ? null : person(r.assignee_id),
      priority: r.priority,
      participants: participantsOf.get(id) ?? [],
      userFields: userFieldsOf.get(id) ?? new Map(),
    });
  }
  return { issues, isLast, customFields };
}
