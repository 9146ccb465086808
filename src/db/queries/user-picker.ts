import { sql } from 'kysely';
import type { Db } from '../connection.js';
import type { LookUpNotices, LookUpTicket } from '../caller-cache.js';
import { lookUpNoticesOf } from '../look-up-notices.js';
import type { AccountStatus } from '../../domain/account-state.js';
import { normalizeForSearch, prefixUpperBound, searchTermsFor } from '../../domain/search-terms.js';
import type { PickerAudience } from '../../domain/policies/people.js';

export const PICKER_DEFAULT_LIMIT = 20;
export const PICKER_MAX_LIMIT = 50;
/** REST `user/search` pages through every match, up to 1000 at a time as Atlassian's maxResults */
export const USER_SEARCH_MAX_LIMIT = 1000;
/**
 * REST's `total` counts matching people up to this many and no further, as Atlassian's user searches
 * look "up to the thousandth user": an exact count of every customer sharing a one-letter prefix is a
 * walk of a sixth of a million-customer site for a number nobody reads (docs/product.md#picker-search).
 */
export const PICKER_TOTAL_HORIZON = 1000;

export type { PickerAudience };

export interface PickerSearch {
  siteId: string;
  query: string;
  /** default 20, at most `maxLimit` */
  limit?: number;
  /** the cap on `limit`: the pickers' 50 (default), or USER_SEARCH_MAX_LIMIT for REST user/search */
  maxLimit?: number;
  /** skip this many distinct accounts of the result order first (REST `startAt`); default 0 */
  offset?: number;
  /** 'customers': customer-facing fields (Share with, Affected user…); 'anyone': also the staff of the site's organization */
  audience: PickerAudience;
  excludeAccountIds?: string[];
  /** count the matches, up to PICKER_TOTAL_HORIZON (for REST `total`), in the same round trip */
  withTotal?: boolean;
}

export interface PickerUser {
  accountId: string;
  displayName: string;
  email: string;
  kind: 'staff' | 'customer';
  /** the customer's site; null for staff */
  siteId: string | null;
  /** always 'active' (only active accounts are offered), carried for callers that present accounts */
  status: AccountStatus;
}

export function clampPickerLimit(limit: number | undefined, maxLimit: number = PICKER_MAX_LIMIT): number {
  const max = Math.max(1, Math.min(USER_SEARCH_MAX_LIMIT, Math.floor(maxLimit)));
  if (limit === undefined || !Number.isFinite(limit)) return Math.min(PICKER_DEFAULT_LIMIT, max);
  return Math.max(1, Math.min(max, Math.floor(limit)));
}

/** Query words, longest first (the longest narrows the index range scan most). */
export function queryWords(query: string): string[] {
  const words = normalizeForSearch(query).split(/\s+/).filter(Boolean).slice(0, 5);
  return [...new Set(words)].sort((a, b) => b.length - a.length);
}

/**
 * The one user picker search, under every picker of the app (web pickers, REST user search, the
 * filter autocomplete); whom it may offer (`audience`) is domain/policies/people.ts. Word-prefix match, case-insensitive, on each word of
 * the display name and on the email; every query word must prefix some term of the account. Only
 * ACTIVE accounts have search terms, so a revoked or deleted customer is never a result.
 *
 * Order (stable): the matched term, then the name, then the account id — the key order of
 * account_search_terms, so the B-tree range scan yields rows already sorted and stops after a page,
 * however many of a million customers share the prefix. An account matching through two terms
 * (e.g. "alice" and "alice@…") appears once, at its first (smallest) term. `offset` skips that
 * many accounts of this order (the scan walks past them; it cannot jump).
 */
export async function searchUsersForPicker(db: Db, search: PickerSearch): Promise<PickerAnswer> {
  const limit = clampPickerLimit(search.limit, search.maxLimit);
  const offset = search.offset !== undefined && Number.isFinite(search.offset) ? Math.max(0, Math.floor(search.offset)) : 0;
  const words = queryWords(search.query);
  if (words.length === 0) return { users: [], total: search.withTotal ? 0 : undefined };
  const exclude = (search.excludeAccountIds ?? []).filter(Boolean).slice(0, 1000);
  const withTotal = search.withTotal === true;

  // the same search again answers from what the instance kept, while its notices vouch for it (below)
  const kept = keptAnswersOf(db);
  const key = kept ? JSON.stringify([search.siteId, search.audience, words, exclude, offset, limit, withTotal]) : '';
  const again = kept?.get(key, search.siteId);
  if (again) return again;
  // taken before the read: a change committed while it runs is heard after the ticket and spoils it
  const ticket = kept?.ticket(search.siteId) ?? null;
  const answer = await readPickerAnswer(db, search, words, exclude, offset, limit, withTotal, staffSourceOf(search, kept, ticket, exclude));
  // kept only when asked before: most searches are never asked again (below, "the doorkeeper")
  if (kept?.askedBefore(key) && ticket !== null) kept.put(key, ticket, answer);
  return answer;
}

/**
 * Where a search of the audience 'anyone' takes the staff of the site's organization from: its own
 * statement matching them (`match`, as a handle without notices always does); all of them read
 * (`read all`: no word can narrow them, so asking for all costs the statement no more), kept for the
 * searches after it and matched here — by the search's own statement, or, when the search excludes
 * someone (who would be missing from "all of them"), by a call of their own beside it (`beside`); or
 * the ones kept (`kept`), the statement asked for customers only. None for the audience 'customers'.
 */
type StaffSource =
  | { kind: 'none' }
  | { kind: 'match' }
  | { kind: 'read all'; beside: boolean; keep: (all: StaffMember[]) => void }
  | { kind: 'kept'; staff: StaffMember[] };

/** The staff kept for the site when the notices vouch for them; else, on a handle that keeps, all of them read to be kept; else matched by the statement. */
function staffSourceOf(search: PickerSearch, kept: KeptAnswers | undefined, ticket: LookUpTicket | null, exclude: string[]): StaffSource {
  if (search.audience !== 'anyone') return { kind: 'none' };
  const staff = kept?.staffOf(search.siteId);
  if (staff) return { kind: 'kept', staff };
  if (kept && ticket !== null) return { kind: 'read all', beside: exclude.length > 0, keep: (all) => kept.putStaff(search.siteId, ticket, all) };
  return { kind: 'match' };
}

/** An active staff member the site's pickers may offer, with what a search's words are matched against. */
interface StaffMember {
  user: PickerUser;
  /** as the statement reads it: the account's `email_lower` */
  emailLower: string;
  /** the account's `sort_name`, '' when it has none */
  sortName: string;
}

/**
 * The staff who match every word, as the picker's statement matches them (migration
 * 20261206T0700_picker_total_horizon's staff part): each word starts the email, the name, or a later
 * word of the name (`LIKE w%`, `LIKE % w%` on the lower-cased, normalized name), and none is excluded.
 */
function staffMatching(staff: readonly StaffMember[], words: readonly string[], exclude: readonly string[]): StaffMember[] {
  const excluded = new Set(exclude);
  return staff.filter(
    (s) => !excluded.has(s.user.accountId) && words.every((w) => s.emailLower.startsWith(w) || s.sortName.startsWith(w) || s.sortName.includes(' ' + w)),
  );
}

export interface PickerAnswer {
  users: PickerUser[];
  total?: number;
}

// Kept answers (docs/architecture.md, "Kept picker answers"): the same search again — the same site,
// audience, words, exclusions, page and total — answers from memory while nothing the picker reads
// for that site has been heard to change since a ticket taken before its read, and while the
// instance may trust what it heard at all (db/caller-cache.ts, rule 2). A revoke, a grant, a new
// customer, a name or email changed, a staff role given or taken each announce themselves at commit
// (migrations 20261207T1000_look_up_notices and 20261207T1100_picker_notices), and the request that
// made the change answers only after every instance heard it (rule 3): the next search anywhere
// reads again. Kept per database handle: a handle without notices keeps nothing. At most 1,000
// answers of at most a picker's page (50 people; a longer page of REST user/search is never kept):
// about 15 MB at most, the least recently used dropped first.
//
// The doorkeeper: an answer is kept only when its search was asked before, among about the last
// DOORKEEPER_SLOTS distinct searches (its key's hash remembered in a fixed table). Most searches are
// never asked again (each prefix a person types, each participants picker that leaves out those
// already added); kept, such an answer outlived two young collections only to be dropped, and V8
// moved it to the old generation: at a million customers ~870 KB a collection, young pauses 2.1 ms
// instead of 0.6, 13–15% of the server's CPU on a picker read every time (docs/benchmarks.md,
// "The kept answers nobody asks for again"). The price is one more read of a search that is asked
// again, on its second ask.
const MAX_KEPT_ANSWERS = 1000;
/** How many distinct searches' first asks the doorkeeper remembers (a power of two; 32 KB). */
const DOORKEEPER_SLOTS = 8192;
/** The most staff kept, over every site (a few hundred bytes each: about 5 MB at most); a site's are kept only if at most this many. */
const MAX_KEPT_STAFF = 20_000;

class KeptAnswers {
  readonly #answers = new Map<string, { ticket: LookUpTicket; answer: PickerAnswer }>();
  /** the doorkeeper: a search's key hash in the slot of its low bits once asked (0: none) */
  readonly #asked = new Int32Array(DOORKEEPER_SLOTS);
  readonly #staff = new Map<string, { ticket: LookUpTicket; staff: StaffMember[] }>();
  #staffKept = 0;
  constructor(private readonly notices: LookUpNotices) {}

  /**
   * The kept pickable staff of the site's organization while the notices vouch for them (a staff
   * account's change and a staff role given or taken announce "l *", a site moved its site's): every
   * search of the audience 'anyone' needs them, whatever its words, and the statement's part that
   * finds them was half of a picker's time in the database (docs/benchmarks.md, "what a picker read
   * every time costs PostgreSQL, by part").
   */
  staffOf(siteId: string): StaffMember[] | undefined {
    const kept = this.#staff.get(siteId);
    if (!kept) return undefined;
    this.#staff.delete(siteId);
    if (!this.notices.lookUpHolds(siteId, kept.ticket)) {
      this.#staffKept -= kept.staff.length;
      return undefined;
    }
    this.#staff.set(siteId, kept);
    return kept.staff;
  }

  /**
   * Keeps a site's pickable staff as read with `ticket`, the least recently used sites' dropped past
   * MAX_KEPT_STAFF in all (an organization of more than that many is matched by the statement every time).
   */
  putStaff(siteId: string, ticket: LookUpTicket, staff: StaffMember[]): void {
    if (staff.length > MAX_KEPT_STAFF) return;
    const before = this.#staff.get(siteId);
    if (before) {
      this.#staff.delete(siteId);
      this.#staffKept -= before.staff.length;
    }
    // never handed out: a search gets copies of the users it matched (readPickerAnswer)
    this.#staff.set(siteId, { ticket, staff });
    this.#staffKept += staff.length;
    for (const [oldest, kept] of this.#staff) {
      if (this.#staffKept <= MAX_KEPT_STAFF) break;
      this.#staff.delete(oldest);
      this.#staffKept -= kept.staff.length;
    }
  }

  /** A copy of the kept answer to `key` while the notices vouch for it (the most recently used now); else none, and it is forgotten. */
  get(key: string, siteId: string): PickerAnswer | undefined {
    const kept = this.#answers.get(key);
    if (!kept) return undefined;
    this.#answers.delete(key);
    if (!this.notices.lookUpHolds(siteId, kept.ticket)) return undefined;
    this.#answers.set(key, kept);
    return copyOf(kept.answer);
  }

  /**
   * Whether the search of `key` was asked before, among about the last DOORKEEPER_SLOTS distinct
   * ones; remembers it if not. Another search whose hash takes the slot makes it forgotten (one more
   * read later); one with the very same 32-bit hash makes a first ask look like a second (one answer
   * kept early): either costs a little, and neither changes an answer.
   */
  askedBefore(key: string): boolean {
    const hash = hashOf(key) || 1;
    const slot = hash & (DOORKEEPER_SLOTS - 1);
    if (this.#asked[slot] === hash) return true;
    this.#asked[slot] = hash;
    return false;
  }

  /** Taken before a read whose answer may be kept; null when the notices may not be relied on now. */
  ticket(siteId: string): LookUpTicket | null {
    return this.notices.lookUpTicket(siteId);
  }

  /** Keeps a copy of a picker's page (a longer one is not kept), the least recently used dropped past MAX_KEPT_ANSWERS. */
  put(key: string, ticket: LookUpTicket, answer: PickerAnswer): void {
    if (answer.users.length > PICKER_MAX_LIMIT) return;
    this.#answers.set(key, { ticket, answer: copyOf(answer) });
    if (this.#answers.size > MAX_KEPT_ANSWERS) this.#answers.delete(this.#answers.keys().next().value!);
  }
}

/** FNV-1a of the string's UTF-16 code units: 32 bits, no allocation. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash;
}

const keptAnswersByHandle = new WeakMap<object, KeptAnswers>();

/** The kept answers of reads through `db`; none for a handle without notices. */
function keptAnswersOf(db: Db): KeptAnswers | undefined {
  const notices = lookUpNoticesOf(db);
  if (!notices) return undefined;
  let kept = keptAnswersByHandle.get(db);
  if (!kept) keptAnswersByHandle.set(db, (kept = new KeptAnswers(notices)));
  return kept;
}

/** An answer of its own for each caller: what one request does with its users never reaches another. */
function copyOf(answer: PickerAnswer): PickerAnswer {
  return { users: answer.users.map((u) => ({ ...u })), total: answer.total };
}

/** The picker's statement: one round trip, the page merged from the customers' and the staff's matches. */
async function readPickerAnswer(
  db: Db,
  search: PickerSearch,
  words: string[],
  exclude: string[],
  offset: number,
  limit: number,
  withTotal: boolean,
  staff: StaffSource,
): Promise<PickerAnswer> {
  // the first `want` accounts of the merged order hold the page; each source gives its first `want`
  const want = offset + limit;
  const [first, ...rest] = words;
  const allBeside = staff.kind === 'read all' && staff.beside;
  const staffLikes =
    staff.kind === 'match' ? words.map((w) => w.replace(/[\\%_]/g, (c) => '\\' + c) + '%') : staff.kind === 'read all' && !allBeside ? ['%'] : null;

  // One round trip (migration 20261202T1300_picker_function): the customers of the page, the
  // matching staff of the site's organization when the audience includes them, and the total; and,
  // for a first search that excludes someone, the staff's call beside it, at the same time (below).
  const pick = (excluding: string[], wanted: number, likes: string[] | null, total: boolean) =>
    sql<FunctionRow>`
      SELECT * FROM portico_pick_users(${search.siteId}::uuid, ${first}::text, ${prefixUpperBound(first)}::text,
        ${rest}::text[], ${rest.map(prefixUpperBound)}::text[], ${excluding}::text[], ${wanted}::int,
        ${likes}::text[], ${total}::boolean)`.execute(db);
  // Every staff member, none excluded and no customer (none wanted), by a call of their own beside
  // the search when it excludes someone: at the same time, on another connection of the pool.
  const [{ rows: found }, beside] = await Promise.all([pick(exclude, want, staffLikes, withTotal), allBeside ? pick([], 0, ['%'], false) : undefined]);
  const rows = beside ? [...found, ...beside.rows] : found;

  const key = (r: { term: string; sortName: string; accountId: string }) => [r.term, r.sortName, r.accountId];
  const customers: Hit[] = [];
  const staffRows: StaffMember[] = [];
  let customerTotal = 0;
  for (const r of rows) {
    if (r.source === 'total') {
      customerTotal = Number(r.total ?? 0);
      continue;
    }
    const user: PickerUser = {
      accountId: r.account_id!,
      displayName: r.display_name ?? '',
      email: r.email ?? '',
      kind: r.kind!,
      siteId: r.account_site_id,
      status: r.status!,
    };
    if (r.source === 'customer') {
      customers.push({ user, term: r.term!, sortName: r.sort_name ?? '', accountId: user.accountId });
    } else {
      // a staff row's term is its email_lower (migration 20261208T0100_picker_staff_email_lower)
      staffRows.push({ user, emailLower: r.term ?? '', sortName: r.sort_name ?? '' });
    }
  }
  if (staff.kind === 'read all') staff.keep(staffRows);
  // the statement matched the staff itself only when asked to (`match`); otherwise they are matched here
  const matched = staff.kind === 'match' ? staffRows : staffMatching(staff.kind === 'kept' ? staff.staff : staffRows, words, exclude);
  const staffMatches: Hit[] = matched.map((s) => ({
    // A staff member's picker order is by the term that matched, which SQL cannot sort them by.
    user: { ...s.user },
    term: searchTermsFor(s.user.displayName, s.user.email).filter((t) => t.startsWith(first)).sort()[0] ?? first,
    sortName: s.sortName,
    accountId: s.user.accountId,
  }));
  staffMatches.sort((x, y) => compareTuples(key(x), key(y)));

  // Merge both sources by the picker's key and cut the page.
  const page = [...customers, ...staffMatches.slice(0, want)].sort((x, y) => compareTuples(key(x), key(y))).slice(offset, want);
  return {
    users: page.map((h) => h.user),
    total: withTotal ? Math.min(PICKER_TOTAL_HORIZON, customerTotal + staffMatches.length) : undefined,
  };
}

interface Hit {
  user: PickerUser;
  term: string;
  sortName: string;
  accountId: string;
}

interface FunctionRow {
  source: 'customer' | 'staff' | 'total';
  account_id: string | null;
  term: string | null;
  sort_name: string | null;
  display_name: string | null;
  email: string | null;
  kind: 'staff' | 'customer' | null;
  status: AccountStatus | null;
  account_site_id: string | null;
  total: string | number | null;
}

function compareTuples(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) return -1;
    if (a[i] > b[i]) return 1;
  }
  return 0;
}
