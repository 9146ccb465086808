import { expressionBuilder, sql, type Expression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { ResolvedCondition, SortSpec, UserSource } from '../domain/jql/semantics.js';
import type { Database } from './schema.js';
import { requiredWords, type TextTerm } from '../domain/jql/text-search.js';
import type { CommonTextWords } from './queries/text-word-stats.js';
import { sharedThroughOrganizations } from './queries/requests.js';
import { requestIdsWhoseApprovalNames } from './queries/request-approvals.js';

// Compiles a resolved JQL condition into SQL over `requests`. Each clause becomes a predicate on the
// current row — a column test, or EXISTS on request_participants / request_user_values / comments —
// so the whole search is one query that PostgreSQL plans with the indexes, never a scan in Node.

type RequestsEb = ExpressionBuilder<Database, 'requests'>;

const TRUE = sql<SqlBool>`true`;
const FALSE = sql<SqlBool>`false`;

/**
 * How to plan what the statistics say. `commonWords`: the words PostgreSQL's statistics count as
 * common in the requests' stored words, with the share of requests holding each
 * (db/queries/text-word-stats.ts); a text test of words all among them is planned by the words
 * index's estimate, any other as a rare word (see "text" below). Without it every text test is
 * planned by the words index's estimate. `walksInOrder`: the page's order is one an index gives
 * (created or updated, either way), so PostgreSQL can walk the site's requests in it and stop after
 * a page.
 */
export interface JqlPlanHints {
  commonWords?: CommonTextWords;
  walksInOrder?: boolean;
}

/**
 * The share of requests a text test's words must reach, by the statistics (words all required:
 * the product of their shares), for the test to be written as one PostgreSQL can only walk to
 * (textTestShape): a page of 51 is then found within about 5,100 requests walked.
 */
export const WALK_MIN_SHARE = 0.01;

/**
 * How a text test is written (see "text" below): `walk` — the words test hidden from the words index
 * (a word in at least WALK_MIN_SHARE of the requests, on a page whose order an index walks), so the
 * only plans left walk the requests in the page's order, the same for every such word, and
 * PostgreSQL keeps one plan instead of planning every call again; `estimated` — planned by the words
 * index's estimate for these words; `indexed` — a word the statistics do not list, its LIKE and regex
 * in sight of the planner, which takes the words index.
 */
export function textTestShape(terms: TextTerm[], hints: JqlPlanHints): 'walk' | 'estimated' | 'indexed' {
  const common = hints.commonWords;
  if (common === undefined) return 'estimated';
  const required = requiredWords(terms);
  if (!required.every((w) => isCommon(common, w))) return 'indexed';
  if (!hints.walksInOrder || required.some((w) => w.prefix)) return 'estimated';
  const share = required.reduce((product, w) => product * (common.get(w.word) ?? 0), 1);
  return share >= WALK_MIN_SHARE ? 'walk' : 'estimated';
}

export function jqlPredicate(eb: RequestsEb, condition: ResolvedCondition, siteId: string, hints: JqlPlanHints = {}): Expression<SqlBool> {
  switch (condition.kind) {
    case 'and':
      return eb.and(condition.conditions.map((c) => jqlPredicate(eb, c, siteId, hints)));
    case 'or':
      return eb.or(condition.conditions.map((c) => jqlPredicate(eb, c, siteId, hints)));
    case 'not':
      return eb.not(jqlPredicate(eb, condition.condition, siteId, hints));
    case 'const':
      return condition.value ? TRUE : FALSE;
    case 'users': {
      const hit = usersPredicate(eb, condition.source, condition.users);
      if (condition.match === 'any') return hit;
      // `!=` / `not in`: the field has users and none of them is named (Jira never matches empty here).
      return eb.and([eb.not(usersEmpty(eb, condition.source)), eb.not(hit)]);
    }
    case 'usersEmpty':
      return usersEmpty(eb, condition.source);
    case 'project':
      return condition.projects.length ? eb('requests.project_id', 'in', condition.projects) : FALSE;
    case 'status':
      return condition.statuses.length ? eb('requests.status', 'in', condition.statuses) : FALSE;
    case 'priority':
      return condition.priorities.length ? eb('requests.priority', 'in', condition.priorities) : FALSE;
    case 'key': {
      const tests: Expression<SqlBool>[] = [];
      if (condition.keys.length) tests.push(eb('requests.key', 'in', condition.keys));
      if (condition.ids.length) tests.push(eb('requests.id', 'in', condition.ids));
      return tests.length ? eb.or(tests) : FALSE;
    }
    case 'keyRange':
      return eb.and([
        eb(
          'requests.project_id',
          'in',
          eb.selectFrom('projects').select('projects.id').where('projects.site_id', '=', siteId).where('projects.key', '=', condition.projectKey),
        ),
        eb('requests.number', condition.operator, condition.number),
      ]);
    case 'date':
      return eb(condition.column === 'created' ? 'requests.created_at' : 'requests.updated_at', condition.operator, condition.at);
    case 'text': {
      // Every term is `lower(text) LIKE '%word%' AND lower(text) ~ '<word regex>'`: the regex decides
      // (as in evaluate.ts), the LIKE (implied by it) is a cheaper first test. Before either, the
      // request's stored words (requests.text_words, migration 20261202T1600_text_words: the words of
      // its summary, description and public comments, split as JQL splits them) must hold every term,
      // a test on the request row itself that the GIN index answers. So PostgreSQL picks per query:
      // the index for a rare word, or walking the requests in the page's order for a common one,
      // stopping when a page is full. The regexes then run only on the rows that pass. On a request's
      // own columns the test is portico_text_matches (migration 20261203T0500_text_match_function):
      // the same LIKE and regex inside a function, so that PostgreSQL's estimate of the hits follows
      // the words index instead of shrinking by its guesses for the LIKE and the regex, which made
      // it sort every request holding a word in 5% of them rather than walk and stop. That estimate
      // is only as good as the statistics: for a word they do not list, PostgreSQL guesses half the
      // rarest listed word's frequency, which on a small vocabulary is thousands of requests for a
      // word in none — and it walked the whole site for a page of them. So a test of a word the
      // statistics do not list as common (hints.commonWords) keeps the LIKE and the regex in sight of
      // the planner, whose estimate then shrinks to a handful and it takes the words index.
      const matchesAll = (column: Expression<string>) =>
        condition.terms.flatMap((t) => [
          sql<SqlBool>`lower(${column}) like ${t.like}`,
          sql<SqlBool>`lower(${column}) ~ ${t.pattern}`,
        ]);
      //
      // A word in many requests (textTestShape's `walk`) has its words test written so that the index
      // cannot answer it: every plan left walks the requests in the page's order, so PostgreSQL's
      // generic plan is the one it would choose for the word anyway, and it keeps that plan rather
      // than planning the statement again for every word, which cost more than running it (0.9 of
      // 1.5 ms on the server, 2.4 of ~5 on the embedded database; docs/benchmarks.md, "A text
      // search's plan, kept").
      const shape = textTestShape(condition.terms, hints);
      const requestMatchesAll = (column: Expression<string>) =>
        shape === 'indexed' ? matchesAll(column) : condition.terms.map((t) => sql<SqlBool>`portico_text_matches(${column}, ${t.like}, ${t.pattern})`);
      const exact: Expression<SqlBool>[] = [];
      if (condition.targets.includes('summary')) exact.push(eb.and(requestMatchesAll(eb.ref('requests.summary'))));
      if (condition.targets.includes('description')) exact.push(eb.and(requestMatchesAll(eb.ref('requests.description'))));
      const words = mayHoldWords(condition.terms, shape === 'walk');
      if (condition.targets.includes('comments')) {
        // Per request, read by comments_request_idx only for the rows that pass the words and match
        // neither summary nor description. OFFSET 0 keeps PostgreSQL from turning it into a hashed
        // set of every matching comment of the site, computed in full before the first row. The
        // words test is repeated before it (it holds already, so nothing changes but the estimate):
        // PostgreSQL guesses an EXISTS true for half the rows, which made it expect a page of hits
        // for a word its statistics lack and walk the whole site; repeated, the guess scales with
        // the word's own frequency (docs/benchmarks.md, "Scale over HTTP", `text ~ "toner"`).
        exact.push(
          eb.and([words, eb.exists(
            eb
              .selectFrom('comments')
              .select(sql`1`.as('one'))
              .whereRef('comments.request_id', '=', 'requests.id')
              .where('comments.site_id', '=', siteId)
              .where('comments.public', '=', true)
              .where((inner) => inner.and(matchesAll(inner.ref('comments.body'))))
              .offset(sql.lit(0)),
          )]),
        );
      }
      if (exact.length === 0) return FALSE;
      return eb.and([words, eb.or(exact)]);
    }
  }
}

/** Whether the statistics list a word (or, for a prefix, some word it begins) as common. */
function isCommon(commonWords: CommonTextWords, required: { word: string; prefix: boolean }): boolean {
  if (!required.prefix) return commonWords.has(required.word);
  for (const word of commonWords.keys()) if (word.startsWith(required.word)) return true;
  return false;
}

/**
 * Whether a request's stored words (requests.text_words) hold every term (requiredWords: whole words,
 * or prefixes for wildcards and overlong words). A request whose words could not be stored (NULL)
 * may match. Word characters never include a quote or a backslash, so no lexeme needs escaping.
 * `hidden`: written as an expression the words index cannot answer (the same test).
 */
function mayHoldWords(terms: TextTerm[], hidden: boolean): Expression<SqlBool> {
  const query = requiredWords(terms)
    .map((w) => `'${w.word}'${w.prefix ? ':*' : ''}`)
    .join(' & ');
  if (hidden) return sql<SqlBool>`coalesce(requests.text_words @@ ${query}::tsquery, true)`;
  return sql<SqlBool>`(requests.text_words @@ ${query}::tsquery or requests.text_words is null)`;
}

function usersPredicate(eb: RequestsEb, source: UserSource, accountIds: string[]): Expression<SqlBool> {
  if (accountIds.length === 0) return FALSE;
  switch (source.kind) {
    case 'reporter':
      return eb('requests.reporter_id', 'in', accountIds);
    case 'assignee':
      // never NULL (an unassigned request is simply not a hit), so NOT around it stays two-valued
      // as in evaluate.ts: `NOT (assignee in (x) OR …)` matches the unassigned
      return eb.and([eb('requests.assignee_id', 'is not', null), eb('requests.assignee_id', 'in', accountIds)]);
    case 'participant':
      return eb.exists(
        eb
          .selectFrom('request_participants')
          .select(sql`1`.as('one'))
          .whereRef('request_participants.request_id', '=', 'requests.id')
          .where('request_participants.account_id', 'in', accountIds),
      );
    case 'customField':
      return eb.exists(
        eb
          .selectFrom('request_user_values')
          .select(sql`1`.as('one'))
          .whereRef('request_user_values.request_id', '=', 'requests.id')
          .where('request_user_values.custom_field_id', '=', source.id)
          .where('request_user_values.account_id', 'in', accountIds),
      );
  }
}

function usersEmpty(eb: RequestsEb, source: UserSource): Expression<SqlBool> {
  switch (source.kind) {
    case 'reporter':
      return FALSE; // every request has a reporter
    case 'assignee':
      return eb('requests.assignee_id', 'is', null);
    case 'participant':
      return eb.not(
        eb.exists(
          eb.selectFrom('request_participants').select(sql`1`.as('one')).whereRef('request_participants.request_id', '=', 'requests.id'),
        ),
      );
    case 'customField':
      return eb.not(
        eb.exists(
          eb
            .selectFrom('request_user_values')
            .select(sql`1`.as('one'))
            .whereRef('request_user_values.request_id', '=', 'requests.id')
            .where('request_user_values.custom_field_id', '=', source.id),
        ),
      );
  }
}

export interface JqlViewerRef {
  accountId: string;
  kind: 'staff' | 'customer';
}

/**
 * Which requests of the site the viewer may see, in SQL: org admins of the site's organization and
 * site admins see all; an agent sees the projects they are an agent of; a customer sees what they
 * reported or participate in. The viewer's own account must be active (and, for a customer, of
 * this site) — a revoked customer sees nothing even if a caller forgot to check the session.
 */
export function visibilityPredicate(eb: RequestsEb, siteId: string, viewer: JqlViewerRef): Expression<SqlBool> {
  const self = eb
    .selectFrom('accounts')
    .select(sql`1`.as('one'))
    .where('accounts.account_id', '=', viewer.accountId)
    .where('accounts.kind', '=', viewer.kind)
    .where('accounts.status', '=', 'active');
  if (viewer.kind === 'customer') {
    // The customer's requests as one set of ids (reported UNION participating UNION shared with
    // one of their customer organizations UNION those whose approval names them, each indexed by
    // account), so that the search is driven by those few requests rather than by testing every
    // request of the site against an OR that no index can answer. The same set as
    // policies/requests.ts canViewRequest (isSharedWith).
    return eb.and([
      eb.exists(self.where('accounts.site_id', '=', siteId)),
      eb(
        'requests.id',
        'in',
        eb
          .selectFrom('requests as own')
          .select('own.id as request_id')
          .where('own.reporter_id', '=', viewer.accountId)
          .unionAll(
            eb
              .selectFrom('request_participants')
              .select('request_participants.request_id')
              .where('request_participants.account_id', '=', viewer.accountId),
          )
          .unionAll(sharedThroughOrganizations(expressionBuilder<Database, never>(), viewer.accountId).select('ro.request_id'))
          .unionAll(requestIdsWhoseApprovalNames(expressionBuilder<Database, never>(), viewer.accountId)),
      ),
    ]);
  }
  return eb.and([
    eb.exists(self),
    eb.or([
      eb.exists(
        eb
          .selectFrom('site_admins')
          .select(sql`1`.as('one'))
          .where('site_admins.site_id', '=', siteId)
          .where('site_admins.account_id', '=', viewer.accountId),
      ),
      eb.exists(
        eb
          .selectFrom('org_admins')
          .innerJoin('sites', 'sites.org_id', 'org_admins.org_id')
          .select(sql`1`.as('one'))
          .where('sites.id', '=', siteId)
          .where('org_admins.account_id', '=', viewer.accountId),
      ),
      eb(
        'requests.project_id',
        'in',
        eb
          .selectFrom('project_agents')
          .select('project_agents.project_id')
          .where('project_agents.site_id', '=', siteId)
          .where('project_agents.account_id', '=', viewer.accountId),
      ),
    ]),
  ]);
}

const STATUS_RANK = sql<number>`case requests.status when 'Waiting for approval' then 0 when 'Open' then 1 when 'Waiting for support' then 2 when 'Waiting for customer' then 3 when 'In progress' then 4 when 'Resolved' then 5 when 'Declined' then 6 else 7 end`;
const PROJECT_KEY = sql<string>`(select projects.key from projects where projects.id = requests.project_id) collate "C"`;
const REPORTER_NAME = sql<string>`(select lower(accounts.display_name) from accounts where accounts.account_id = requests.reporter_id) collate "C"`;
const ASSIGNEE_NAME = sql<string>`(select lower(accounts.display_name) from accounts where accounts.account_id = requests.assignee_id) collate "C"`;
const PRIORITY_RANK_SQL = sql<number>`case requests.priority when 'Lowest' then 1 when 'Low' then 2 when 'Medium' then 3 when 'High' then 4 else 5 end`;

/** A query's order: its own, or newest first. */
function orderOf(orderBy: SortSpec[]): SortSpec[] {
  return orderBy.length > 0 ? orderBy : [{ key: 'created', direction: 'desc' }];
}

/**
 * Whether an index gives the page's order (applyJqlOrder's first key, created or updated, either way:
 * requests_site_created_idx, requests_site_updated_idx), so a search may walk the site's requests in
 * it and stop after a page (JqlPlanHints).
 */
export function walksInOrder(orderBy: SortSpec[]): boolean {
  const specs = orderOf(orderBy);
  return specs.length === 1 && (specs[0].key === 'created' || specs[0].key === 'updated');
}

/**
 * ORDER BY in the same terms as evaluate.ts: text by lower-cased code point order (COLLATE "C", so
 * the server's locale cannot change it), status in workflow order, key by project then number,
 * empty last; always ending with id DESC so that pages never overlap or skip.
 */
export function applyJqlOrder<O>(
  query: SelectQueryBuilder<Database, 'requests', O>,
  orderBy: SortSpec[],
): SelectQueryBuilder<Database, 'requests', O> {
  const specs = orderOf(orderBy);
  let q = query;
  for (const spec of specs) {
    const dir = spec.direction;
    switch (spec.key) {
      case 'project':
        q = q.orderBy(PROJECT_KEY, dir);
        break;
      case 'key':
        q = q.orderBy(PROJECT_KEY, dir).orderBy('requests.number', dir);
        break;
      case 'status':
        q = q.orderBy(STATUS_RANK, dir);
        break;
      case 'reporter':
        q = q.orderBy(REPORTER_NAME, (ob) => (dir === 'asc' ? ob.asc() : ob.desc()).nullsLast());
        break;
      case 'assignee':
        q = q.orderBy(ASSIGNEE_NAME, (ob) => (dir === 'asc' ? ob.asc() : ob.desc()).nullsLast());
        break;
      case 'priority':
        q = q.orderBy(PRIORITY_RANK_SQL, dir);
        break;
      case 'summary':
        q = q.orderBy(sql`lower(requests.summary) collate "C"`, dir);
        break;
      case 'created':
        q = q.orderBy('requests.created_at', dir);
        break;
      case 'updated':
        q = q.orderBy('requests.updated_at', dir);
        break;
    }
  }
  return q.orderBy('requests.id', 'desc');
}
