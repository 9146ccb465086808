import type { Query } from './ast.js';
import { parseJql } from './parser.js';
import { compareCodePoints, compareIds, PRIORITY_RANK, STATUS_ORDER } from './ordering.js';
import { resolveCondition } from './resolve.js';
import {
  bindQuery,
  type AccountInfo,
  type Priority,
  type CustomFieldInfo,
  type ProjectInfo,
  type RequestStatus,
  type ResolvedCondition,
  type SortSpec,
  type UserSource,
} from './semantics.js';

// The reference semantics of Portico's JQL, in plain TypeScript over arrays. The SQL planner
// (use-cases/filters/jql-search.ts) must return exactly what this returns; a property test checks
// it on random data and random queries.

export interface JqlRequestRecord {
  id: string;
  projectId: string;
  key: string;
  number: number;
  summary: string;
  description: string;
  status: RequestStatus;
  reporterId: string;
  /** null: unassigned */
  assigneeId: string | null;
  priority: Priority;
  createdAt: Date;
  updatedAt: Date;
}

/** One site's data, as far as JQL can see it. */
export interface JqlDataset {
  siteId: string;
  accounts: AccountInfo[];
  projects: ProjectInfo[];
  customFields: CustomFieldInfo[];
  requests: JqlRequestRecord[];
  participants: { requestId: string; accountId: string }[];
  userValues: { requestId: string; customFieldId: string; accountId: string }[];
  comments: { requestId: string; body: string; public: boolean }[];
  /** Site admins of the site and org admins of its organization: they see every request. */
  admins: string[];
  projectAgents: { projectId: string; accountId: string }[];
}

export interface JqlViewer {
  accountId: string;
  kind: 'staff' | 'customer';
}

/** Request ids matching `jql` that `viewer` may see, in the query's order. Throws JqlError. */
export function evaluateJql(jql: string | Query, data: JqlDataset, options: { viewer: JqlViewer; now: Date }): string[] {
  const query = typeof jql === 'string' ? parseJql(jql) : jql;
  const bound = bindQuery(query, { customFields: data.customFields, now: options.now });
  const where = bound.where
    ? resolveCondition(bound.where, {
        viewerAccountId: options.viewer.accountId,
        accounts: data.accounts,
        projects: data.projects,
        siteId: data.siteId,
        unknownValues: options.viewer.kind === 'customer' ? 'matchNothing' : 'error',
      })
    : null;
  const visible = data.requests.filter((r) => mayView(r, data, options.viewer));
  const matching = where ? visible.filter((r) => holds(where, r, data)) : visible;
  return matching.sort(comparator(bound.orderBy, data)).map((r) => r.id);
}

function mayView(request: JqlRequestRecord, data: JqlDataset, viewer: JqlViewer): boolean {
  const account = data.accounts.find((a) => a.accountId === viewer.accountId);
  if (!account || account.status !== 'active' || account.kind !== viewer.kind) return false;
  if (viewer.kind === 'staff') {
    if (data.admins.includes(viewer.accountId)) return true;
    return data.projectAgents.some((pa) => pa.accountId === viewer.accountId && pa.projectId === request.projectId);
  }
  if (account.siteId !== data.siteId) return false;
  return (
    request.reporterId === viewer.accountId ||
    data.participants.some((p) => p.requestId === request.id && p.accountId === viewer.accountId)
  );
}

function usersOf(source: UserSource, request: JqlRequestRecord, data: JqlDataset): string[] {
  switch (source.kind) {
    case 'reporter':
      return [request.reporterId];
    case 'assignee':
      return request.assigneeId === null ? [] : [request.assigneeId];
    case 'participant':
      return data.participants.filter((p) => p.requestId === request.id).map((p) => p.accountId);
    case 'customField':
      return data.userValues
        .filter((v) => v.requestId === request.id && v.customFieldId === source.id)
        .map((v) => v.accountId);
  }
}

function compare(a: number, operator: '>' | '>=' | '<' | '<=', b: number): boolean {
  switch (operator) {
    case '>': return a > b;
    case '>=': return a >= b;
    case '<': return a < b;
    case '<=': return a <= b;
  }
}

function holds(condition: ResolvedCondition, request: JqlRequestRecord, data: JqlDataset): boolean {
  switch (condition.kind) {
    case 'and':
      return condition.conditions.every((c) => holds(c, request, data));
    case 'or':
      return condition.conditions.some((c) => holds(c, request, data));
    case 'not':
      return !holds(condition.condition, request, data);
    case 'const':
      return condition.value;
    case 'users': {
      const users = usersOf(condition.source, request, data);
      const hit = users.some((u) => condition.users.includes(u));
      // `!=` and `not in` never match a request whose field is empty (Jira's rule).
      return condition.match === 'any' ? hit : users.length > 0 && !hit;
    }
    case 'usersEmpty':
      return usersOf(condition.source, request, data).length === 0;
    case 'project':
      return condition.projects.includes(request.projectId);
    case 'status':
      return condition.statuses.includes(request.status);
    case 'priority':
      return condition.priorities.includes(request.priority);
    case 'key':
      return condition.keys.includes(request.key) || condition.ids.includes(request.id);
    case 'keyRange': {
      const project = data.projects.find((p) => p.id === request.projectId);
      return project?.key === condition.projectKey && compare(request.number, condition.operator, condition.number);
    }
    case 'date': {
      const value = condition.column === 'created' ? request.createdAt : request.updatedAt;
      return compare(value.getTime(), condition.operator, condition.at.getTime());
    }
    case 'text': {
      const texts: string[] = [];
      if (condition.targets.includes('summary')) texts.push(request.summary);
      if (condition.targets.includes('description')) texts.push(request.description);
      if (condition.targets.includes('comments')) {
        for (const c of data.comments) if (c.requestId === request.id && c.public) texts.push(c.body);
      }
      const patterns = condition.terms.map((t) => new RegExp(t.pattern, 'u'));
      return texts.some((t) => {
        const lower = t.toLowerCase();
        return patterns.every((p) => p.test(lower));
      });
    }
  }
}

type SortValue = number | string | null;

function sortValues(spec: SortSpec, request: JqlRequestRecord, data: JqlDataset): SortValue[] {
  switch (spec.key) {
    case 'project':
      return [data.projects.find((p) => p.id === request.projectId)?.key ?? null];
    case 'key':
      return [data.projects.find((p) => p.id === request.projectId)?.key ?? null, request.number];
    case 'status':
      return [STATUS_ORDER[request.status]];
    case 'priority':
      return [PRIORITY_RANK[request.priority]];
    case 'reporter':
    case 'assignee': {
      const id = spec.key === 'reporter' ? request.reporterId : request.assigneeId;
      const name = id === null ? undefined : data.accounts.find((a) => a.accountId === id)?.displayName;
      return [name == null ? null : name.toLowerCase()];
    }
    case 'summary':
      return [request.summary.toLowerCase()];
    case 'created':
      return [request.createdAt.getTime()];
    case 'updated':
      return [request.updatedAt.getTime()];
  }
}

/** Empty values (a deleted reporter's name) sort last in either direction. */
function compareValues(a: SortValue, b: SortValue, direction: 'asc' | 'desc'): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  const d = typeof a === 'number' && typeof b === 'number' ? a - b : compareCodePoints(String(a), String(b));
  return direction === 'asc' ? d : -d;
}

function comparator(orderBy: SortSpec[], data: JqlDataset) {
  const specs: SortSpec[] = orderBy.length > 0 ? orderBy : [{ key: 'created', direction: 'desc' }];
  return (x: JqlRequestRecord, y: JqlRequestRecord): number => {
    for (const spec of specs) {
      const a = sortValues(spec, x, data);
      const b = sortValues(spec, y, data);
      for (let i = 0; i < a.length; i++) {
        const d = compareValues(a[i], b[i], spec.direction);
        if (d !== 0) return d;
      }
    }
    return -compareIds(x.id, y.id); // tie-break: newest id first, so paging is stable
  };
}
