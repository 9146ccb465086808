import { fieldLabel, type Clause, type FieldRef, type FunctionOperand, type Query, type TerminalClause, type ValueOperand } from './ast.js';
import { JqlError } from './errors.js';
import { dateInterval } from './dates.js';
import { checkFunction, valueOf } from './operands.js';
import { compareIds } from './ordering.js';
import { textSearch, type TextTerm } from './text-search.js';

// Meaning of a parsed query: which field, which operator, which values. Everything here is pure so
// the SQL planner (use-cases/filters/jql-search.ts) and the in-memory evaluator (evaluate.ts) share
// one definition of every rule, and a property test checks that the two agree.

import { REQUEST_STATUSES, type RequestStatus } from '../request-workflow.js';
import { priorityNamed, type Priority } from '../priority.js';

export type { Priority, RequestStatus };
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
export type UserSource = { kind: 'reporter' } | { kind: 'assignee' } | { kind: 'participant' } | { kind: 'customField'; id: string };
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
  | { kind: 'priority'; priorities: Priority[] }
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

export type SortKey = 'project' | 'key' | 'status' | 'priority' | 'reporter' | 'assignee' | 'summary' | 'created' | 'updated';
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
  | { kind: 'project' | 'key' | 'status' | 'priority' | 'summary' | 'text' | 'created' | 'updated' }
  | { kind: 'users'; source: UserSource };

const SYSTEM_FIELDS: Record<string, BoundField> = {
  project: { kind: 'project' },
  key: { kind: 'key' },
  issuekey: { kind: 'key' },
  status: { kind: 'status' },
  reporter: { kind: 'users', source: { kind: 'reporter' } },
  assignee: { kind: 'users', source: { kind: 'assignee' } },
  priority: { kind: 'priority' },
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
  priority: ['=', '!=', 'in', 'not in', 'is', 'is not'],
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
  priority: 'priority',
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
    if (bound.kind === 'users' && bound.source.kind === 'assignee') key = 'assignee';
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
    case 'priority': {
      const priorities = items.map((item) => {
        const text = valueOf(item, label);
        const priority = priorityNamed(text);
        if (!priority) throw new JqlError(`The value '${text}' does not exist for the field '${label}'.`);
        return priority;
      });
      const condition: BoundCondition = { kind: 'priority', priorities };
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
