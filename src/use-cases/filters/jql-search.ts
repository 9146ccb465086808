import { sql, type Kysely, type Selectable, type SelectQueryBuilder } from 'kysely';
import { applyJqlOrder, jqlPredicate, visibilityPredicate } from '../../db/jql-plan.js';
import type { Database } from '../../db/schema.js';
import type { Query } from '../../domain/jql/ast.js';
import { normalizeForSearch } from '../../domain/search-terms.js';
import { parseJql } from '../../domain/jql/parser.js';
import { namesProjectField, possibleUserTexts, resolveCondition } from '../../domain/jql/resolve.js';
import {
  bindQuery,
  type AccountInfo,
  type CustomFieldInfo,
  type ProjectInfo,
} from '../../domain/jql/semantics.js';
import { pageOffset } from '../../domain/limits.js';

// The JQL search library of the filters area: the query over the requests a viewer may see (the
// visibility rule in SQL is db/jql-plan.ts, visibilityPredicate), shared by the REST search, the
// agent's issue search and saved filters.

/** Who is searching. Staff: agents and admins; customer: a portal-only account of the site. */
export interface JqlViewer {
  accountId: string;
  kind: 'staff' | 'customer';
}

export interface SearchRequestsByJqlInput {
  siteId: string;
  jql: string;
  viewer: JqlViewer;
  /** offset of the first result (the REST layer wraps it into an opaque nextPageToken); default 0 */
  startAt?: number;
  /** page size, 1..MAX_RESULTS_LIMIT; default 50 */
  maxResults?: number;
  /** the instant relative dates ("-1d", now()) are measured from; default: the current time */
  now?: Date;
  /** only this project's requests (a queue runs its JQL within its project) */
  projectId?: string;
}

export interface SearchRequestsByJqlResult {
  /** request ids (bigint as string) of this page, in the query's order */
  requestIds: string[];
  /** true when no request follows this page */
  isLast: boolean;
  /** the site's custom fields, by id, as read for binding the query (a caller need not read them again) */
  customFields: CustomFieldInfo[];
}

export const DEFAULT_MAX_RESULTS = 50;
export const MAX_RESULTS_LIMIT = 5000;

/**
 * A JQL search made ready to run: the statement that yields one page of the site's request ids
 * `viewer` may see, in the query's order — one more than the page size, so whoever runs it knows
 * whether a page follows — and what it read to get there. Throws JqlError (status 400) for a
 * malformed query, an unknown field, or a value that names no user / project / status. Reads one
 * statement: the custom fields and the people and projects the query's values may name (small
 * indexed look-ups, needed to bind the query and to answer "does not exist" like Jira). The page's
 * statement is not run here: searchRequestsByJql runs it for its ids, and the REST search embeds it
 * in the statement that reads the page's rows (searchIssues), so a page is one statement.
 */
export async function planJqlPage(
  db: Kysely<Database>,
  input: SearchRequestsByJqlInput,
): Promise<{ page: SelectQueryBuilder<Database, 'requests', { id: string }>; maxResults: number; customFields: CustomFieldInfo[] }> {
  const { siteId, viewer } = input;
  const startAt = pageOffset(input.startAt, 'startAt');
  const maxResults = Math.min(MAX_RESULTS_LIMIT, Math.max(1, Math.floor(input.maxResults ?? DEFAULT_MAX_RESULTS)));
  const query: Query = parseJql(input.jql);

  // One statement for what binding and resolving need: the custom fields, the accounts the query's
  // values may name, the projects when it has a project clause.
  const { customFields, accounts, projects } = await lookUpForQuery(db, siteId, query);
  const bound = bindQuery(query, { customFields, now: input.now ?? new Date() });
  const where = bound.where
    ? resolveCondition(bound.where, {
        viewerAccountId: viewer.accountId,
        accounts,
        projects,
        siteId,
        unknownValues: viewer.kind === 'customer' ? 'matchNothing' : 'error',
      })
    : null;

  let search = db
    .selectFrom('requests')
    .select('requests.id')
    .where('requests.site_id', '=', siteId)
    .where((eb) => visibilityPredicate(eb, siteId, viewer));
  if (input.projectId !== undefined) search = search.where('requests.project_id', '=', input.projectId);
  if (where) search = search.where((eb) => jqlPredicate(eb, where, siteId));
  const page = applyJqlOrder(search, bound.orderBy)
    .limit(maxResults + 1)
    .offset(startAt);
  return { page, maxResults, customFields };
}

/**
 * Runs a JQL search over the site's requests that `viewer` may see (planJqlPage): two statements,
 * the look-up and the page of ids.
 */
export async function searchRequestsByJql(
  db: Kysely<Database>,
  input: SearchRequestsByJqlInput,
): Promise<SearchRequestsByJqlResult> {
  const { page, maxResults, customFields } = await planJqlPage(db, input);
  const rows = await page.execute();
  return { requestIds: rows.slice(0, maxResults).map((r) => r.id), isLast: rows.length <= maxResults, customFields };
}

/**
 * How many of one project's requests each query matches, as `viewer` sees them (a queue's count in
 * the agent's sidebar): ONE look-up for all the queries together and ONE statement counting each
 * with `count(*) FILTER (WHERE …)` over the project's requests. A query that no longer binds (a
 * person it names was deleted) counts null rather than failing the others.
 */
export async function countByJql(
  db: Kysely<Database>,
  input: { siteId: string; projectId: string; viewer: JqlViewer; jqls: string[]; now?: Date },
): Promise<Array<number | null>> {
  const { siteId, viewer } = input;
  const parsed = input.jqls.map((jql) => {
    try {
      return parseJql(jql);
    } catch {
      return null;
    }
  });
  const wheres = parsed.flatMap((q) => (q?.where ? [q.where] : []));
  const { customFields, accounts, projects } = await lookUpForQuery(db, siteId, { where: wheres.length ? { kind: 'or', clauses: wheres } : null, orderBy: [] });
  const conditions = parsed.map((query) => {
    if (!query) return undefined;
    try {
      const bound = bindQuery(query, { customFields, now: input.now ?? new Date() });
      return bound.where
        ? resolveCondition(bound.where, { viewerAccountId: viewer.accountId, accounts, projects, siteId, unknownValues: viewer.kind === 'customer' ? 'matchNothing' : 'error' })
        : null;
    } catch {
      return undefined;
    }
  });
  const counted = conditions.flatMap((c, i) => (c === undefined ? [] : [{ c, i }]));
  const out: Array<number | null> = input.jqls.map(() => null);
  if (counted.length === 0) return out;
  const row = await db
    .selectFrom('requests')
    .select((eb) =>
      counted.map(({ c, i }) => {
        const all = eb.fn.countAll<string>();
        return (c === null ? all : all.filterWhere((inner) => jqlPredicate(inner, c, siteId))).as(`q${i}`);
      }),
    )
    .where('requests.site_id', '=', siteId)
    .where('requests.project_id', '=', input.projectId)
    .where((eb) => visibilityPredicate(eb, siteId, viewer))
    .executeTakeFirstOrThrow();
  const counts = row as Record<string, string | number>;
  for (const { i } of counted) out[i] = Number(counts[`q${i}`]);
  return out;
}

/**
 * What a JQL query needs read before it is bound and resolved, in ONE statement (searchRequestsByJql,
 * and saving a filter): the site's custom fields (in id order), the candidate accounts of every value
 * that could name a person (possibleUserTexts: a superset of the bound query's user values, so the
 * accounts userValueMatches accepts are the same as for the user values alone), and the site's
 * projects when the query has a project clause. The statement is the database function
 * portico_jql_look_up (migration 20261203T0020_jql_look_up_function, which says how the accounts are
 * found), so its plan is kept (docs/architecture.md, "Kept plans").
 */
export async function lookUpForQuery(
  db: Kysely<Database>,
  siteId: string,
  query: Query,
): Promise<{ customFields: CustomFieldInfo[]; accounts: AccountInfo[]; projects: ProjectInfo[] }> {
  const texts = possibleUserTexts(query.where);
  // the written values as userValueMatches compares them: as written, trimmed and lower-cased, and
  // normalised as email_lower is stored (normalizeForSearch: NFKC, lower case, trimmed)
  const exact = [...new Set(texts)];
  const folded = [...new Set(texts.map((t) => t.trim().toLowerCase()).filter((t) => t !== ''))];
  const emails = [...new Set(texts.flatMap((t) => [normalizeForSearch(t), t.trim().toLowerCase()]).filter((t) => t !== ''))];
  const { rows } = await sql<{ custom_fields: CustomFieldInfo[]; accounts: AccountRow[]; projects: ProjectInfo[] }>`
    SELECT * FROM portico_jql_look_up(${siteId}::uuid, ${exact}::text[], ${emails}::text[], ${folded}::text[], ${namesProjectField(query.where)}::boolean)`.execute(db);
  const row = rows[0];
  return { customFields: row.custom_fields, accounts: row.accounts.map(accountInfo), projects: row.projects };
}

type AccountRow = Pick<Selectable<Database['accounts']>, 'account_id' | 'kind' | 'site_id' | 'email' | 'display_name' | 'status'>;

function accountInfo(r: AccountRow): AccountInfo {
  return { accountId: r.account_id, kind: r.kind, siteId: r.site_id, email: r.email, displayName: r.display_name, status: r.status };
}

