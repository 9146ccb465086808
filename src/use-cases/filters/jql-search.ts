import { sql, type CompiledQuery, type Kysely, type RawBuilder, type Selectable, type SelectQueryBuilder } from 'kysely';
import { applyJqlOrder, jqlPredicate, visibilityPredicate, walksInOrder, type JqlPlanHints } from '../../db/jql-plan.js';
import type { LookUpNotices, LookUpTicket } from '../../db/caller-cache.js';
import { lookUpNoticesOf } from '../../db/look-up-notices.js';
import { commonTextWords, type CommonTextWords } from '../../db/queries/text-word-stats.js';
import type { Database } from '../../db/schema.js';
import type { Clause, Query } from '../../domain/jql/ast.js';
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

/** A JQL search made ready to run (planJqlPage). */
export interface JqlPagePlan {
  /** the statement of one page of ids, in the query's order, one more than the page */
  page: SelectQueryBuilder<Database, 'requests', { id: string }>;
  maxResults: number;
  customFields: CustomFieldInfo[];
  /**
   * Set when the query was bound with a kept look-up (below) that this instance's notices do not
   * vouch for (LookUpNotices): the statement that runs the page must
   * select this expression too and hand its value to `confirms`; when it answers false, the page
   * rested on a look-up the database no longer gives, and the search plans again with
   * `{ keptLookUp: false }`.
   */
  lookUpCheck: { version: RawBuilder<string>; confirms(version: string | null): boolean } | null;
  /**
   * Set when the plan was bound with a kept look-up and did not read the time: everything its
   * statement rests on besides the input (runJqlPage keeps the statement by these). With no
   * `lookUpCheck`, the look-up is vouched for by the instance's notices and the page runs unchecked.
   */
  keptFrom: { lookUpKey: string; lookUp: LookUp; words: CommonTextWords | null } | null;
}

/**
 * A JQL search made ready to run: the statement that yields one page of the site's request ids
 * `viewer` may see, in the query's order — one more than the page size, so whoever runs it knows
 * whether a page follows — and what it read to get there. Throws JqlError (status 400) for a
 * malformed query, an unknown field, or a value that names no user / project / status. Binding needs
 * a look-up (the custom fields and the people and projects the query's values may name: small
 * indexed reads, needed to bind the query and to answer "does not exist" like Jira): one statement,
 * or none when `keptLookUp` is set and this instance kept the look-up of the same values from an
 * earlier search — then, unless the instance's notices vouch for it (db/look-up-notices.ts), the plan
 * carries a `lookUpCheck` for the page's statement. The page's
 * statement is not run here: searchRequestsByJql runs it for its ids, and the REST search embeds it
 * in the statement that reads the page's rows (searchIssues), so a page is one statement.
 */
export async function planJqlPage(db: Kysely<Database>, input: SearchRequestsByJqlInput, options: { keptLookUp?: boolean } = {}): Promise<JqlPagePlan> {
  const { siteId, viewer } = input;
  const startAt = pageOffset(input.startAt, 'startAt');
  const maxResults = Math.min(MAX_RESULTS_LIMIT, Math.max(1, Math.floor(input.maxResults ?? DEFAULT_MAX_RESULTS)));
  const query: Query = parseJql(input.jql);
  const values = lookUpValues(siteId, query, db);

  const words = hasText(query.where) ? await commonTextWords(db) : null;
  const now = input.now ?? new Date();
  let readTheTime = false;
  const bind = (lookUp: LookUp) => {
    const bound = bindQuery(query, {
      customFields: lookUp.customFields,
      get now() {
        readTheTime = true; // a relative date ("-1d"): the statement holds the time it was bound at
        return now;
      },
    });
    const where = bound.where
      ? resolveCondition(bound.where, {
          viewerAccountId: viewer.accountId,
          accounts: lookUp.accounts,
          projects: lookUp.projects,
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
    const hints: JqlPlanHints = words ? { commonWords: words, walksInOrder: walksInOrder(bound.orderBy) } : {};
    if (where) search = search.where((eb) => jqlPredicate(eb, where, siteId, hints));
    // The page's size and place are written into the statement, not bound: they are few (a page of
    // 1–101, an offset bounded by MAX_OFFSET) and PostgreSQL needs them to keep a good plan. Bound,
    // its generic plan guessed a tenth of the site per page and joined the rows' reporters by
    // reading every account (docs/benchmarks.md, "A text search's plan, kept").
    return applyJqlOrder(search, bound.orderBy)
      .limit(sql.lit(maxResults + 1))
      .offset(sql.lit(startAt));
  };

  const kept = options.keptLookUp ? keptLookUps.get(values.key) : undefined;
  if (kept) {
    keep(values.key, kept); // the most recently used now
    try {
      const page = bind(kept);
      const keptFrom = readTheTime ? null : { lookUpKey: values.key, lookUp: kept, words };
      const notices = lookUpNoticesOf(db);
      if (vouchedFor(notices, siteId, kept)) return { page, maxResults, customFields: kept.customFields, lookUpCheck: null, keptFrom };
      // taken before the page's statement runs: once that confirms the version, the look-up is the
      // database's as of a moment after the ticket, and the notices vouch for it from then on
      const ticket = notices?.lookUpTicket(siteId) ?? null;
      return {
        page,
        maxResults,
        customFields: kept.customFields,
        lookUpCheck: {
          version: sql<string>`portico_jql_look_up_version(${siteId}::uuid, ${values.exact}::text[], ${values.emails}::text[], ${values.folded}::text[], ${values.withProjects}::boolean)`,
          confirms: (version) => {
            if (version === kept.version) {
              kept.ticket = ticket;
              return true;
            }
            forget(values.key);
            return false;
          },
        },
        keptFrom,
      };
    } catch {
      // A query the kept look-up does not bind (a person it names was not there) is judged on what
      // the database says now: the look-up below, read afresh.
    }
  }
  const lookUp = await readLookUp(db, values);
  keep(values.key, lookUp);
  return { page: bind(lookUp), maxResults, customFields: lookUp.customFields, lookUpCheck: null, keptFrom: null };
}

/** Whether the instance's notices vouch for a kept look-up of the site now (LookUpNotices). */
function vouchedFor(notices: LookUpNotices | undefined, siteId: string, lookUp: LookUp): boolean {
  return notices !== undefined && lookUp.ticket !== null && notices.lookUpHolds(siteId, lookUp.ticket);
}

/**
 * Runs a JQL search over the site's requests that `viewer` may see (runJqlPage): one statement after
 * the caller when this instance kept its look-up, else two (the look-up and the page).
 */
export async function searchRequestsByJql(
  db: Kysely<Database>,
  input: SearchRequestsByJqlInput,
): Promise<SearchRequestsByJqlResult> {
  const { rows, maxResults, customFields } = await runJqlPage(db, input, 'ids', (plan) =>
    db.selectFrom(pageWithPlaces(plan)).select(['page.id', 'page.n']).orderBy('page.n'),
  );
  return { requestIds: rows.slice(0, maxResults).map((r) => String(r.id)), isLast: rows.length <= maxResults, customFields };
}

/** A plan's page of ids with each one's place in it (`n`, from 1), as the FROM of a statement that reads their rows. */
export function pageWithPlaces(plan: JqlPagePlan) {
  return sql<{ id: string; n: string }>`(select * from unnest(array(${plan.page})) with ordinality as ids(id, n))`.as('page');
}

/**
 * Runs one page of a JQL search (planJqlPage) as ONE statement: `rowsOf(plan)` reads the page's rows,
 * each with `n`, its place in the page, in that order (`shape` names what it reads: a statement is
 * kept by it). The answer has one more row than the page when another page follows.
 *
 * With a kept look-up that the instance's notices do not vouch for, the statement also reads the
 * look-up's version, and when that is not the version the query was bound with the page is thrown
 * away and the search runs again on a fresh look-up. A page on a kept look-up, checked or not, is
 * then kept, compiled, by everything it was built from — the database, the site, the viewer, the
 * query's text, the page, `shape` — as long as the look-up it was bound with is the one kept and the
 * statistics' common words it was written with are those read now (a query with a relative date is
 * never kept: it holds the time it was bound at). The same search
 * again runs the kept statement without parsing, binding or compiling anything; it checks the
 * look-up's version as it runs when it was compiled with the check, and is used only while the
 * notices vouch for the look-up when it was compiled without (docs/architecture.md, "Kept look-ups").
 */
export async function runJqlPage<R extends { n: unknown }>(
  db: Kysely<Database>,
  input: SearchRequestsByJqlInput,
  shape: string,
  rowsOf: (plan: JqlPagePlan) => SelectQueryBuilder<any, any, R>,
): Promise<{ rows: R[]; maxResults: number; customFields: CustomFieldInfo[] }> {
  const key = input.now === undefined ? statementKey(db, input, shape) : null;
  const kept = key === null ? undefined : keptStatements.get(key);
  if (kept) {
    const notices = lookUpNoticesOf(db);
    const current = keptLookUps.get(kept.lookUpKey) === kept.lookUp && (kept.words === null || (await commonTextWords(db)) === kept.words);
    // a statement compiled with the check is used while the notices do not vouch for its look-up,
    // one compiled without it only while they do (asked after the await above, right before it
    // runs): otherwise it is compiled again, the other way
    if (current && kept.checked !== vouchedFor(notices, input.siteId, kept.lookUp)) {
      keepStatement(key!, kept); // the most recently used now, as is its look-up
      keep(kept.lookUpKey, kept.lookUp);
      if (!kept.checked) {
        const { rows } = await db.executeQuery(kept.compiled as CompiledQuery<R>);
        return { rows, maxResults: kept.maxResults, customFields: kept.lookUp.customFields };
      }
      const ticket = notices?.lookUpTicket(input.siteId) ?? null;
      const rows = await runChecked<R>(db, kept.compiled, (version) => version === kept.lookUp.version);
      if (rows !== null) {
        kept.lookUp.ticket = ticket;
        return { rows, maxResults: kept.maxResults, customFields: kept.lookUp.customFields };
      }
      forget(kept.lookUpKey);
    }
    forgetStatement(key!);
  }
  let plan = await planJqlPage(db, input, { keptLookUp: true });
  let rows: R[] | null;
  if (plan.lookUpCheck) {
    const compiled = checkedStatement(plan.lookUpCheck.version, rowsOf(plan)).compile(db);
    rows = await runChecked<R>(db, compiled, plan.lookUpCheck.confirms);
    if (rows !== null && key !== null && plan.keptFrom) keepStatement(key, { ...plan.keptFrom, compiled, checked: true, maxResults: plan.maxResults, weight: weightOf(compiled) });
  } else if (plan.keptFrom && key !== null) {
    // bound with a kept look-up the notices vouch for: the page alone, kept to run again as it is
    const compiled = rowsOf(plan).compile();
    rows = (await db.executeQuery(compiled)).rows;
    keepStatement(key, { ...plan.keptFrom, compiled, checked: false, maxResults: plan.maxResults, weight: weightOf(compiled) });
  } else {
    rows = (await rowsOf(plan).execute()) as R[];
  }
  if (rows === null) {
    plan = await planJqlPage(db, input);
    rows = (await rowsOf(plan).execute()) as R[];
  }
  return { rows, maxResults: plan.maxResults, customFields: plan.customFields };
}

/** A page's statement that also reads a kept look-up's version: one row even for an empty page (the LEFT JOIN's), so that the version always comes back. */
function checkedStatement<R>(version: RawBuilder<string>, rows: SelectQueryBuilder<any, any, R>) {
  // OFFSET 0 keeps the version a subquery of its own, read once: PostgreSQL otherwise pulls a
  // one-row subquery up into the statement and calls the (stable) version function once for every
  // row of the page — 50 calls for a page of 50, 2.7 of its 3.4 ms (docs/benchmarks.md,
  // "The look-up's version, once a page")
  return sql<R & { look_up_version: string | null }>`
    SELECT checked_look_up.look_up_version, page.*
    FROM (SELECT ${version} AS look_up_version OFFSET 0) AS checked_look_up
    LEFT JOIN LATERAL ${rows} AS page ON true
    ORDER BY page.n`;
}

/** Runs a checked statement: its rows, or null when `confirms` refuses the look-up version it read. */
async function runChecked<R extends { n: unknown }>(
  db: Kysely<Database>,
  statement: CompiledQuery<unknown>,
  confirms: (version: string | null) => boolean,
): Promise<R[] | null> {
  const { rows: found } = await db.executeQuery(statement as CompiledQuery<R & { look_up_version: string | null }>);
  if (!confirms(found[0]?.look_up_version ?? null)) return null;
  return found.filter((r) => r.n !== null).map(({ look_up_version: _version, ...row }) => row as unknown as R);
}

/** What a query's look-up looks for (lookUpForQuery), and the key of its kept look-up. */
interface LookUpValues {
  key: string;
  siteId: string;
  exact: string[];
  emails: string[];
  folded: string[];
  withProjects: boolean;
}

/** What a look-up read (portico_jql_look_up), with its version (portico_jql_look_up_digest). */
interface LookUp {
  version: string;
  /**
   * Taken before the look-up was read, or before a statement last confirmed its version: while the
   * instance's notices hold it, nothing the look-up read has changed (null: no notices then).
   */
  ticket: LookUpTicket | null;
  customFields: CustomFieldInfo[];
  accounts: AccountInfo[];
  projects: ProjectInfo[];
}

// The kept look-ups (docs/architecture.md, "Kept look-ups"): the look-ups of this instance's recent
// searches by what they looked for, the least recently used dropped past KEPT_LOOK_UPS look-ups or
// KEPT_ITEMS custom fields, accounts and projects in all (a query naming a project keeps the site's
// projects: the items bound the memory, about 15 MB at most). A kept look-up is used unchecked only
// while the instance's notices vouch for it (db/look-up-notices.ts); otherwise the statement of a page
// bound with it reads the look-up's version too, and a page whose version differs is thrown away
// (runChecked). So a kept look-up saves a round trip, and can cost one extra statement when
// something it read has changed.
const KEPT_LOOK_UPS = 1000;
// Kept per database handle: two databases in one process (tests; an import beside a server) may
// hold sites of the same id, and a look-up kept from one would only ever fail the other's check.
const databaseNumbers = new WeakMap<object, number>();
let nextDatabaseNumber = 0;
function databaseNumber(db: object): number {
  let n = databaseNumbers.get(db);
  if (n === undefined) databaseNumbers.set(db, (n = nextDatabaseNumber++));
  return n;
}
const KEPT_ITEMS = 100_000;
const keptLookUps = new Map<string, LookUp>();
let keptItems = 0;

function forget(key: string) {
  const kept = keptLookUps.get(key);
  if (!kept) return;
  keptLookUps.delete(key);
  keptItems -= itemsOf(kept);
}

const itemsOf = (lookUp: LookUp) => lookUp.customFields.length + lookUp.accounts.length + lookUp.projects.length + 1;

function keep(key: string, lookUp: LookUp) {
  const before = keptLookUps.get(key);
  if (before) {
    keptLookUps.delete(key);
    keptItems -= itemsOf(before);
  }
  if (itemsOf(lookUp) > KEPT_ITEMS / 10) return; // one look-up may not push out a tenth of the rest
  keptLookUps.set(key, lookUp);
  keptItems += itemsOf(lookUp);
  while (keptLookUps.size > KEPT_LOOK_UPS || keptItems > KEPT_ITEMS) {
    const [oldestKey, oldest] = keptLookUps.entries().next().value!;
    keptLookUps.delete(oldestKey);
    keptItems -= itemsOf(oldest);
  }
}

// The kept statements (runJqlPage): the last KEPT_STATEMENTS distinct searches' compiled page
// statements, at most KEPT_STATEMENT_SIZE characters of SQL and values in all (about 16 MB).
const KEPT_STATEMENTS = 1000;
const KEPT_STATEMENT_SIZE = 8_000_000;
interface KeptStatement {
  compiled: CompiledQuery<unknown>;
  maxResults: number;
  lookUpKey: string;
  lookUp: LookUp;
  words: CommonTextWords | null;
  /** whether the statement reads the look-up's version (else it runs only while the notices vouch for the look-up) */
  checked: boolean;
  weight: number;
}
const keptStatements = new Map<string, KeptStatement>();
let keptStatementSize = 0;

function statementKey(db: object, input: SearchRequestsByJqlInput, shape: string): string {
  const { siteId, viewer, projectId, startAt, maxResults, jql } = input;
  return JSON.stringify([databaseNumber(db), shape, siteId, viewer.accountId, viewer.kind, projectId ?? null, startAt ?? null, maxResults ?? null, jql]);
}

function forgetStatement(key: string) {
  const kept = keptStatements.get(key);
  if (!kept) return;
  keptStatements.delete(key);
  keptStatementSize -= kept.weight;
}

function keepStatement(key: string, statement: KeptStatement) {
  forgetStatement(key);
  if (statement.weight > KEPT_STATEMENT_SIZE / 10) return;
  keptStatements.set(key, statement);
  keptStatementSize += statement.weight;
  while (keptStatements.size > KEPT_STATEMENTS || keptStatementSize > KEPT_STATEMENT_SIZE) {
    forgetStatement(keptStatements.keys().next().value!);
  }
}

/** About how many characters a compiled statement holds: its SQL and its values. */
function weightOf(compiled: CompiledQuery<unknown>): number {
  const of = (value: unknown): number =>
    typeof value === 'string' ? value.length : Array.isArray(value) ? value.reduce((sum: number, v) => sum + of(v), 1) : 8;
  return compiled.sql.length + of(compiled.parameters);
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
 * What a JQL query needs read before it is bound and resolved (lookUpValues): the site's custom
 * fields (in id order), the candidate accounts of every value that could name a person
 * (possibleUserTexts: a superset of the bound query's user values, so the accounts userValueMatches
 * accepts are the same as for the user values alone), and the site's projects when the query has a
 * project clause.
 */
function lookUpValues(siteId: string, query: Query, db: object): LookUpValues {
  const texts = possibleUserTexts(query.where);
  // the written values as userValueMatches compares them: as written, trimmed and lower-cased, and
  // normalised as email_lower is stored (normalizeForSearch: NFKC, lower case, trimmed)
  const exact = [...new Set(texts)];
  const folded = [...new Set(texts.map((t) => t.trim().toLowerCase()).filter((t) => t !== ''))];
  const emails = [...new Set(texts.flatMap((t) => [normalizeForSearch(t), t.trim().toLowerCase()]).filter((t) => t !== ''))];
  const withProjects = namesProjectField(query.where);
  return { key: JSON.stringify([databaseNumber(db), siteId, exact, emails, folded, withProjects]), siteId, exact, emails, folded, withProjects };
}

/**
 * Reads a look-up in ONE statement: the database function portico_jql_look_up (migration
 * 20261203T0020_jql_look_up_function, which says how the accounts are found), so its plan is kept
 * (docs/architecture.md, "Kept plans"), with its version (migration 20261207T0800_jql_look_up_version).
 */
async function readLookUp(db: Kysely<Database>, values: LookUpValues): Promise<LookUp> {
  const { siteId, exact, emails, folded, withProjects } = values;
  const ticket = lookUpNoticesOf(db)?.lookUpTicket(siteId) ?? null; // before the read: a change it overtakes spoils it
  const { rows } = await sql<{ custom_fields: CustomFieldInfo[]; accounts: AccountRow[]; projects: ProjectInfo[]; version: string }>`
    SELECT l.custom_fields, l.accounts, l.projects, portico_jql_look_up_digest(l.custom_fields, l.accounts, l.projects) AS version
    FROM portico_jql_look_up(${siteId}::uuid, ${exact}::text[], ${emails}::text[], ${folded}::text[], ${withProjects}::boolean) AS l`.execute(db);
  const row = rows[0];
  return { version: row.version, ticket, customFields: row.custom_fields, accounts: row.accounts.map(accountInfo), projects: row.projects };
}

/** A query's look-up (lookUpValues), read now: for saving a filter, which keeps the people it names. */
export async function lookUpForQuery(
  db: Kysely<Database>,
  siteId: string,
  query: Query,
): Promise<{ customFields: CustomFieldInfo[]; accounts: AccountInfo[]; projects: ProjectInfo[] }> {
  return readLookUp(db, lookUpValues(siteId, query, db));
}

type AccountRow = Pick<Selectable<Database['accounts']>, 'account_id' | 'kind' | 'site_id' | 'email' | 'display_name' | 'status'>;

function accountInfo(r: AccountRow): AccountInfo {
  return { accountId: r.account_id, kind: r.kind, siteId: r.site_id, email: r.email, displayName: r.display_name, status: r.status };
}

/** Whether a query has a text clause (`~` or `!~`): only then does its plan need the statistics' common words. */
function hasText(clause: Clause | null): boolean {
  if (!clause) return false;
  switch (clause.kind) {
    case 'and':
    case 'or':
      return clause.clauses.some(hasText);
    case 'not':
      return hasText(clause.clause);
    case 'terminal':
      return clause.operator === '~' || clause.operator === '!~';
  }
}
