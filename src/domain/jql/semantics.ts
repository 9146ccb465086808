import { fieldLabel, type Clause, type FieldRef, type FunctionOperand, type Query, type TerminalClause, type ValueOperand } from './ast.js';
import { JqlError } from './errors.js';

// Meaning of a parsed query: which field, which operator, which values. Everything here is pure so
// the SQL planner (use-cases/filters/jql-search.ts) and the in-memory evaluator (evaluate.ts) share
// one definition of every rule, and a property test checks that the two agree.

import { REQUEST_STATUSES, type RequestStatus } from '../request-workflow.js';

export type { RequestStatus };
export const STATUSES = REQUEST_STATUSES;

export interface CustomFieldInfo {
  id: string;
  name: string;
  type: 'user' | 'multiuser';
}

export interface AccountInfo {
  accountId: string;
  kind: 'staff' | 'customer';
  siteId: string | null;
  email: string | null;
  displayName: string | null;
  status: 'active' | 'revoked' | 'deleted';
}

export interface ProjectInfo {
  id: string;
  key: string;
  name: string;
}

/** The user-valued "fields" a clause can test: a request's reporter, its participants, or a picker. */
export type UserSource = { kind: 'reporter' } | { kind: 'participant' } | { kind: 'customField'; id: string };
export type TextTarget = 'summary' | 'description' | 'comments';
export type DateColumn = 'created' | 'updated';
export type RangeOperator = '>' | '>=' | '<' | '<=';

/** A user value as written: currentUser() or text to resolve (accountId, email, display name). */
export type UserValue = { kind: 'currentUser' } | { kind: 'text'; text: string; field: string };
export type ProjectValue = { text: string };

/**
 * A condition on one request. U and P are how users and projects are referred to: as written
 * (UserValue, ProjectValue) after binding, as account ids and project ids after resolution.
 */
export type ConditionOf<U, P> =
  | { kind: 'and'; conditions: ConditionOf<U, P>[] }
  | { kind: 'or'; conditions: ConditionOf<U, P>[] }
  | { kind: 'not'; condition: ConditionOf<U, P> }
  | { kind: 'const'; value: boolean }
  /** any: one of the request's users is in `users`; none: it has users and none of them is. */
  | { kind: 'users'; source: UserSource; match: 'any' | 'none'; users: U[] }
  | { kind: 'usersEmpty'; source: UserSource }
  | { kind: 'project'; projects: P[] }
  | { kind: 'status'; statuses: RequestStatus[] }
  /** keys are upper-case HELP-1 forms; ids are request ids written as numbers */
  | { kind: 'key'; keys: string[]; ids: string[] }
  | { kind: 'keyRange'; projectKey: string; operator: RangeOperator; number: number }
  | { kind: 'date'; column: DateColumn; operator: RangeOperator; at: Date }
  /**
   * Every term must match one of the targets' texts (the same text for all terms). A term's
   * `pattern` is a regular expression understood alike by JavaScript (flag u) and PostgreSQL.
   */
  | { kind: 'text'; targets: TextTarget[]; terms: TextTerm[] };

export type BoundCondition = ConditionOf<UserValue, ProjectValue>;
export type ResolvedCondition = ConditionOf<string, string>;

export type SortKey = 'project' | 'key' | 'status' | 'reporter' | 'summary' | 'created' | 'updated';
export interface SortSpec {
  key: SortKey;
  direction: 'asc' | 'desc';
}

export interface BoundQuery {
  where: BoundCondition | null;
  /** Empty means the default order: created DESC (newest first). The id tie-break is always added. */
  orderBy: SortSpec[];
}

export interface BindContext {
  customFields: CustomFieldInfo[];
  now: Date;
}

type BoundField =
  | { kind: 'project' | 'key' | 'status' | 'summary' | 'text' | 'created' | 'updated' }
  | { kind: 'users'; source: UserSource };

const SYSTEM_FIELDS: Record<string, BoundField> = {
  project: { kind: 'project' },
  key: { kind: 'key' },
  issuekey: { kind: 'key' },
  status: { kind: 'status' },
  reporter: { kind: 'users', source: { kind: 'reporter' } },
  participant: { kind: 'users', source: { kind: 'participant' } },
  'request participants': { kind: 'users', source: { kind: 'participant' } },
  summary: { kind: 'summary' },
  text: { kind: 'text' },
  created: { kind: 'created' },
  createddate: { kind: 'created' },
  updated: { kind: 'updated' },
  updateddate: { kind: 'updated' },
};

const OPERATORS: Record<BoundField['kind'], readonly string[]> = {
  project: ['=', '!=', 'in', 'not in', 'is', 'is not'],
  key: ['=', '!=', 'in', 'not in', '>', '>=', '<', '<='],
  status: ['=', '!=', 'in', 'not in', 'is', 'is not'],
  users: ['=', '!=', 'in', 'not in', 'is', 'is not'],
  summary: ['~', '!~'],
  text: ['~'],
  created: ['=', '!=', 'in', 'not in', 'is', 'is not', '>', '>=', '<', '<='],
  updated: ['=', '!=', 'in', 'not in', 'is', 'is not', '>', '>=', '<', '<='],
};

const SORTABLE: Partial<Record<BoundField['kind'], SortKey>> = {
  project: 'project',
  key: 'key',
  status: 'status',
  summary: 'summary',
  created: 'created',
  updated: 'updated',
};

function unknownField(label: string): JqlError {
  return new JqlError(`Field '${label}' does not exist or you do not have permission to view it.`);
}

export function bindField(field: FieldRef, customFields: CustomFieldInfo[]): BoundField {
  if (field.kind === 'customFieldId') {
    const custom = customFields.find((f) => f.id === field.id);
    if (!custom) throw unknownField(fieldLabel(field));
    return { kind: 'users', source: { kind: 'customField', id: custom.id } };
  }
  const lower = field.name.toLowerCase();
  const system = SYSTEM_FIELDS[lower];
  if (system && Object.hasOwn(SYSTEM_FIELDS, lower)) return system;
  const custom = customFields
    .filter((f) => f.name.toLowerCase() === lower)
    .sort((a, b) => compareIds(a.id, b.id))[0];
  if (!custom) throw unknownField(field.name);
  return { kind: 'users', source: { kind: 'customField', id: custom.id } };
}

export function bindQuery(query: Query, context: BindContext): BoundQuery {
  const where = query.where ? bindClause(query.where, context) : null;
  const orderBy: SortSpec[] = [];
  const seen = new Set<string>();
  for (const item of query.orderBy) {
    const label = fieldLabel(item.field);
    const bound = bindField(item.field, context.customFields);
    let key: SortKey | undefined = SORTABLE[bound.kind];
    if (bound.kind === 'users' && bound.source.kind === 'reporter') key = 'reporter';
    if (!key) throw new JqlError(`Field '${label}' does not support sorting.`);
    if (seen.has(key)) throw new JqlError(`The sort field '${label}' is referenced multiple times in the JQL sort.`);
    seen.add(key);
    orderBy.push({ key, direction: item.direction ?? 'asc' });
  }
  return { where, orderBy };
}

function bindClause(clause: Clause, context: BindContext): BoundCondition {
  switch (clause.kind) {
    case 'and':
      return { kind: 'and', conditions: clause.clauses.map((c) => bindClause(c, context)) };
    case 'or':
      return { kind: 'or', conditions: clause.clauses.map((c) => bindClause(c, context)) };
    case 'not':
      return { kind: 'not', condition: bindClause(clause.clause, context) };
    case 'terminal':
      return bindTerminal(clause, context);
  }
}

function not(condition: BoundCondition): BoundCondition {
  return { kind: 'not', condition };
}

function bindTerminal(clause: TerminalClause, context: BindContext): BoundCondition {
  const label = fieldLabel(clause.field);
  const field = bindField(clause.field, context.customFields);
  let operator = clause.operator;
  const operand = clause.operand;
  // `= EMPTY` and `!= EMPTY` mean `is EMPTY` and `is not EMPTY`, as in Jira.
  if (operand.kind === 'empty' && operator === '=') operator = 'is';
  if (operand.kind === 'empty' && operator === '!=') operator = 'is not';
  if (!OPERATORS[field.kind].includes(operator)) {
    throw new JqlError(`The operator '${operator.toUpperCase()}' is not supported by the '${label}' field.`);
  }
  if (operator === 'is' || operator === 'is not') {
    if (operand.kind !== 'empty') {
      throw new JqlError(`The operator '${operator.toUpperCase()}' only supports the value 'EMPTY' for the field '${label}'.`);
    }
    const empty: BoundCondition =
      field.kind === 'users' ? { kind: 'usersEmpty', source: field.source } : { kind: 'const', value: false };
    return operator === 'is' ? empty : not(empty);
  }
  if (operand.kind === 'empty') {
    throw new JqlError(`The operator '${operator.toUpperCase()}' does not support the value 'EMPTY' for the field '${label}'.`);
  }
  const multi = operator === 'in' || operator === 'not in';
  if (multi && operand.kind === 'value') {
    throw new JqlError(
      `The operator '${operator.toUpperCase()}' needs a list of values for the field '${label}', e.g. ${label} ${operator} (a, b).`,
    );
  }
  if (!multi && operand.kind === 'list') {
    throw new JqlError(
      `The operator '${operator}' does not support multiple values for the field '${label}'. Use 'in' instead.`,
    );
  }
  const items: (ValueOperand | FunctionOperand)[] = operand.kind === 'list' ? operand.items : [operand as ValueOperand | FunctionOperand];
  const negative = operator === '!=' || operator === 'not in';

  switch (field.kind) {
    case 'users': {
      const users = items.map((item): UserValue => {
        if (item.kind === 'function') {
          checkFunction(item, ['currentUser'], label);
          return { kind: 'currentUser' };
        }
        return { kind: 'text', text: item.text, field: label };
      });
      return { kind: 'users', source: field.source, match: negative ? 'none' : 'any', users };
    }
    case 'project': {
      const projects = items.map((item) => ({ text: valueOf(item, label) }));
      const condition: BoundCondition = { kind: 'project', projects };
      return negative ? not(condition) : condition;
    }
    case 'status': {
      const statuses = items.map((item) => {
        const text = valueOf(item, label);
        const status = STATUSES.find((s) => s.toLowerCase() === text.trim().toLowerCase());
        if (!status) throw new JqlError(`The value '${text}' does not exist for the field '${label}'.`);
        return status;
      });
      const condition: BoundCondition = { kind: 'status', statuses };
      return negative ? not(condition) : condition;
    }
    case 'key': {
      if (operator === '>' || operator === '>=' || operator === '<' || operator === '<=') {
        const text = valueOf(items[0], label);
        const match = /^([A-Za-z][A-Za-z0-9]*)-([0-9]{1,9})$/.exec(text.trim());
        if (!match) throw new JqlError(`The issue key '${text}' for field '${label}' is invalid.`);
        return { kind: 'keyRange', projectKey: match[1].toUpperCase(), operator, number: Number(match[2]) };
      }
      const keys: string[] = [];
      const ids: string[] = [];
      for (const item of items) {
        const text = valueOf(item, label).trim();
        if (/^[0-9]{1,18}$/.test(text)) ids.push(String(BigInt(text)));
        else if (/^[A-Za-z][A-Za-z0-9]*-[0-9]{1,9}$/.test(text)) keys.push(text.toUpperCase());
        else throw new JqlError(`The issue key '${text}' for field '${label}' is invalid.`);
      }
      const condition: BoundCondition = { kind: 'key', keys, ids };
      return negative ? not(condition) : condition;
    }
    case 'created':
    case 'updated': {
      const column = field.kind;
      const intervals = items.map((item) => dateInterval(item, label, context.now));
      if (operator === '>' || operator === '>=' || operator === '<' || operator === '<=') {
        return { kind: 'date', column, operator, at: intervals[0].start };
      }
      const equal = intervals.map(
        (interval): BoundCondition => ({
          kind: 'and',
          conditions: [
            { kind: 'date', column, operator: '>=', at: interval.start },
            { kind: 'date', column, operator: '<', at: interval.end },
          ],
        }),
      );
      const condition: BoundCondition = equal.length === 1 ? equal[0] : { kind: 'or', conditions: equal };
      return negative ? not(condition) : condition;
    }
    case 'summary':
    case 'text': {
      const text = valueOf(items[0], label);
      const condition: BoundCondition = {
        kind: 'text',
        targets: field.kind === 'summary' ? ['summary'] : ['summary', 'description', 'comments'],
        terms: textSearch(text, label),
      };
      return operator === '!~' ? not(condition) : condition;
    }
  }
}

function valueOf(item: ValueOperand | FunctionOperand, label: string): string {
  if (item.kind === 'function') {
    throw new JqlError(`A value provided by the function '${item.name}' is invalid for the field '${label}'.`);
  }
  return item.text;
}

const FUNCTIONS: Record<string, { name: string; maxArgs: number }> = {
  currentuser: { name: 'currentUser', maxArgs: 0 },
  now: { name: 'now', maxArgs: 0 },
  startofday: { name: 'startOfDay', maxArgs: 1 },
  endofday: { name: 'endOfDay', maxArgs: 1 },
};

/** Checks that `item` names a known function that suits the field; returns its canonical name. */
function checkFunction(item: FunctionOperand, allowed: string[], label: string): string {
  const known = Object.hasOwn(FUNCTIONS, item.name.toLowerCase()) ? FUNCTIONS[item.name.toLowerCase()] : undefined;
  if (!known) throw new JqlError(`Unable to find JQL function '${item.name}()'.`);
  if (!allowed.includes(known.name)) {
    throw new JqlError(`A value provided by the function '${known.name}' is invalid for the field '${label}'.`);
  }
  if (item.args.length > known.maxArgs) {
    throw new JqlError(
      `Function '${known.name}' expected at most '${known.maxArgs}' arguments but received '${item.args.length}'.`,
    );
  }
  return known.name;
}

// ---- dates --------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;
const DATE_FORMATS =
  "Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.";

/**
 * A date value as the half-open interval [start, end) it names, in UTC: a day for "2024-05-01",
 * a minute for "2024-05-01 10:00", one millisecond (an instant) for periods and functions.
 * `=` tests membership of the interval; `>`, `>=`, `<`, `<=` compare with its start, as Jira does.
 */
export function dateInterval(item: ValueOperand | FunctionOperand, label: string, now: Date): { start: Date; end: Date } {
  if (item.kind === 'function') {
    const name = checkFunction(item, ['now', 'startOfDay', 'endOfDay'], label);
    if (name === 'now') return instant(now.getTime());
    let base = now.getTime();
    if (item.args.length === 1) {
      const arg = item.args[0].trim();
      const shifted = /^[-+]?[0-9]{1,6}$/.test(arg) ? addPeriod(base, `${arg}d`) : addPeriod(base, arg);
      if (shifted === null) {
        throw new JqlError(`The argument '${item.args[0]}' of the function '${name}' is not a valid period, e.g. '-1d' or '-1'.`);
      }
      base = shifted;
    }
    const startOfDay = Math.floor(base / DAY_MS) * DAY_MS;
    return instant(name === 'startOfDay' ? startOfDay : startOfDay + DAY_MS - 1);
  }
  const text = item.text.trim();
  const absolute = /^([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})(?:\s+([0-9]{1,2}):([0-9]{2}))?$/.exec(text);
  if (absolute) {
    const [year, month, day] = [Number(absolute[1]), Number(absolute[2]), Number(absolute[3])];
    const hasTime = absolute[4] !== undefined;
    const [hour, minute] = hasTime ? [Number(absolute[4]), Number(absolute[5])] : [0, 0];
    const start = Date.UTC(year, month - 1, day, hour, minute);
    const check = new Date(start);
    const valid =
      year >= 1 && check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day &&
      hour < 24 && minute < 60;
    if (valid) return { start: new Date(start), end: new Date(start + (hasTime ? 60_000 : DAY_MS)) };
  } else {
    const relative = addPeriod(now.getTime(), text);
    if (relative !== null) return instant(relative);
  }
  throw new JqlError(`Date value '${item.text}' for field '${label}' is invalid. ${DATE_FORMATS}`);
}

function instant(ms: number): { start: Date; end: Date } {
  return { start: new Date(ms), end: new Date(ms + 1) };
}

/** Adds a Jira period such as "-1d", "4w 2d", "+3h", "-1y 2M" (y, M, w, d, h, m) to `base`; null if not one. */
function addPeriod(base: number, text: string): number | null {
  const match = /^([-+]?)\s*((?:[0-9]{1,6}\s*[yMwdhm]\s*)+)$/.exec(text);
  if (!match) return null;
  const sign = match[1] === '-' ? -1 : 1;
  const date = new Date(base);
  for (const part of match[2].matchAll(/([0-9]+)\s*([yMwdhm])/g)) {
    const amount = sign * Number(part[1]);
    switch (part[2]) {
      case 'y': date.setUTCFullYear(date.getUTCFullYear() + amount); break;
      case 'M': date.setUTCMonth(date.getUTCMonth() + amount); break;
      case 'w': date.setTime(date.getTime() + amount * 7 * DAY_MS); break;
      case 'd': date.setTime(date.getTime() + amount * DAY_MS); break;
      case 'h': date.setTime(date.getTime() + amount * 3_600_000); break;
      case 'm': date.setTime(date.getTime() + amount * 60_000); break;
    }
  }
  const ms = date.getTime();
  // Outside what PostgreSQL's timestamptz and JavaScript's Date both hold.
  if (!Number.isFinite(ms) || ms < Date.UTC(1, 0, 1) || ms > Date.UTC(9999, 11, 31)) return null;
  return ms;
}

// ---- text search --------------------------------------------------------------------------------

/**
 * What counts as a letter or digit in text search, after lower-casing: ASCII letters and digits and
 * the letters of the other scripts, spelled out as code point ranges so that JavaScript and both
 * databases (whatever their locale) split words at exactly the same places.
 */
export const WORD_CHARS =
  '0-9a-z\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u1fff\\u2c00-\\u2dff\\u3040-\\ud7ff\\uf900-\\ufaff\\uff10-\\uff19\\uff21-\\uff3a\\uff41-\\uff5a';
const WORD = `[${WORD_CHARS}]`;
const SEPARATOR = `[^${WORD_CHARS}]`;
const WORD_RE = new RegExp(`^${WORD}$`, 'u');

/**
 * `~` matches words, not substrings: `summary ~ "print"` finds "Print the report" but not "printer";
 * `print*` finds both. Every word of the query must occur (in any order); a query wrapped in inner
 * quotes (`"\"full screen\""`) must occur as a phrase. `?` stands for one letter, `*` for any number.
 * Returns one regular expression per required word (or one for the phrase), applied to lower-cased text.
 */
export function textPatterns(query: string, label: string): string[] {
  return textSearch(query, label).map((t) => t.pattern);
}

/**
 * One required word (or phrase) of a `~` query: `pattern`, the regular expression that decides, and
 * `like`, a LIKE pattern that every lower-cased text matching `pattern` also matches — the word's
 * letters with `*` as `%` and `?` as `_`, anywhere in the text. `like` decides nothing on its own;
 * the SQL planner puts it beside `pattern` so that PostgreSQL can use a trigram index (pg_trgm
 * extracts trigrams from a LIKE literal reliably, from the word-boundary regular expression not).
 * Word characters never include `%`, `_` or `\`, so nothing needs escaping.
 */
export interface TextTerm {
  pattern: string;
  like: string;
}

/**
 * The words of a `~` value as textSearch reads them (lower-cased, `*` and `?` kept inside words),
 * and whether the value asks for a phrase (wrapped in inner quotes).
 */
export function textWords(query: string): { words: string[]; phrase: boolean } {
  const trimmed = query.trim();
  const phrase = trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"');
  const words: string[] = [];
  let current = '';
  for (const ch of (phrase ? trimmed.slice(1, -1) : trimmed).toLowerCase()) {
    if (ch === '*' || ch === '?' || WORD_RE.test(ch)) {
      current += ch;
    } else {
      if (current) words.push(current);
      current = '';
    }
  }
  if (current) words.push(current);
  return { words, phrase };
}

export function textSearch(query: string, label: string): TextTerm[] {
  const { words: terms, phrase } = textWords(query);
  for (const term of terms) {
    if (term.startsWith('*') || term.startsWith('?')) {
      throw new JqlError(`The text query '${query}' for field '${label}' is not allowed to start with '*' or '?'.`);
    }
  }
  if (terms.length === 0) {
    throw new JqlError(`The field '${label}' does not support searching for an empty string.`);
  }
  // how many words and wildcards a query may hold in all is the budget's to say (budget.ts)
  const termPattern = (term: string) =>
    [...term].map((ch) => (ch === '*' ? `${WORD}*` : ch === '?' ? WORD : ch)).join('');
  const termLike = (term: string) => [...term].map((ch) => (ch === '*' ? '%' : ch === '?' ? '_' : ch)).join('');
  const bounded = (body: string) => `(^|${SEPARATOR})${body}($|${SEPARATOR})`;
  const anywhere = (body: string) => `%${body}%`.replace(/%%+/g, '%');
  if (phrase) {
    return [{ pattern: bounded(terms.map(termPattern).join(`${SEPARATOR}+`)), like: anywhere(terms.map(termLike).join('%')) }];
  }
  return [...new Set(terms)].map((term) => ({ pattern: bounded(termPattern(term)), like: anywhere(termLike(term)) }));
}

// ---- resolution ---------------------------------------------------------------------------------

/**
 * A user value names (1) the account with that accountId, whatever its status, so saved filters
 * keep working after a revoke; (2) the accounts with that email — exact, case-insensitive,
 * surrounding spaces ignored — active or revoked; (3) the ACTIVE accounts with that display name
 * (case-insensitive). Only accounts of the site count: its customers, and the staff of its
 * organization — the only staff a caller may pass in (candidateAccounts selects exactly those).
 */
export function userValueMatches(account: AccountInfo, value: string, siteId: string): boolean {
  if (account.kind === 'customer' && account.siteId !== siteId) return false;
  if (account.accountId === value) return true;
  if (account.status === 'deleted') return false;
  const wanted = value.trim().toLowerCase();
  if (wanted === '') return false;
  if (account.email !== null && account.email.trim().toLowerCase() === wanted) return true;
  return account.status === 'active' && account.displayName !== null && account.displayName.trim().toLowerCase() === wanted;
}

export function projectValueMatches(project: ProjectInfo, value: string): boolean {
  const wanted = value.trim();
  return project.id === wanted || project.key.toUpperCase() === wanted.toUpperCase() || project.name.toLowerCase() === wanted.toLowerCase();
}

export interface Resolver {
  viewerAccountId: string;
  accounts: AccountInfo[];
  projects: ProjectInfo[];
  siteId: string;
  /**
   * 'error' (staff): a value that names no account or project is a 400, as in Jira.
   * 'matchNothing' (customers): it silently matches nothing, so that a customer cannot use the
   * error to learn which emails have (revoked) accounts on the site.
   */
  unknownValues: 'error' | 'matchNothing';
}

/** Replaces user and project values by ids. */
export function resolveCondition(condition: BoundCondition, resolver: Resolver): ResolvedCondition {
  switch (condition.kind) {
    case 'and':
    case 'or':
      return { kind: condition.kind, conditions: condition.conditions.map((c) => resolveCondition(c, resolver)) };
    case 'not':
      return { kind: 'not', condition: resolveCondition(condition.condition, resolver) };
    case 'users': {
      const ids = new Set<string>();
      for (const user of condition.users) {
        if (user.kind === 'currentUser') {
          ids.add(resolver.viewerAccountId);
          continue;
        }
        const found = resolver.accounts.filter((a) => userValueMatches(a, user.text, resolver.siteId));
        if (found.length === 0 && resolver.unknownValues === 'error') {
          throw new JqlError(`The value '${user.text}' does not exist for the field '${user.field}'.`);
        }
        for (const account of found) ids.add(account.accountId);
      }
      return { ...condition, users: [...ids].sort() };
    }
    case 'project': {
      const ids = new Set<string>();
      for (const value of condition.projects) {
        const found = resolver.projects.filter((p) => projectValueMatches(p, value.text));
        if (found.length === 0 && resolver.unknownValues === 'error') {
          throw new JqlError(`The value '${value.text}' does not exist for the field 'project'.`);
        }
        for (const project of found) ids.add(project.id);
      }
      return { kind: 'project', projects: [...ids].sort(compareIds) };
    }
    default:
      return condition;
  }
}

/** Every user value written in the condition (for looking candidates up in one query). */
export function userTexts(condition: BoundCondition | null): string[] {
  if (!condition) return [];
  switch (condition.kind) {
    case 'and':
    case 'or':
      return condition.conditions.flatMap(userTexts);
    case 'not':
      return userTexts(condition.condition);
    case 'users':
      return condition.users.flatMap((u) => (u.kind === 'text' ? [u.text] : []));
    default:
      return [];
  }
}

export function projectTexts(condition: BoundCondition | null): string[] {
  if (!condition) return [];
  switch (condition.kind) {
    case 'and':
    case 'or':
      return condition.conditions.flatMap(projectTexts);
    case 'not':
      return projectTexts(condition.condition);
    case 'project':
      return condition.projects.map((p) => p.text);
    default:
      return [];
  }
}

/** Orders numeric id strings (bigint columns) by value. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Orders strings by code point, which is what COLLATE "C" does on UTF-8 text. */
export function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

export const STATUS_ORDER: Record<RequestStatus, number> = { Open: 1, 'In progress': 2, Resolved: 3, Closed: 4 };
