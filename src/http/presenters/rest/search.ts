import { createHash } from 'node:crypto';
import type { RequestStatus } from '../../../domain/request-workflow.js';
import { badRequest } from '../../../domain/errors.js';
import { MAX_OFFSET } from '../../../domain/limits.js';
import type { CustomFieldDef, IssueRecord } from '../../../use-cases/filters/search-issues.js';
import { jiraTimestamp } from './common.js';
import { SERVICE_REQUEST_ISSUE_TYPE } from './service-desk.js';
import { presentUserDetails } from './users.js';
import { PRIORITY_ID, type Priority } from '../../../domain/priority.js';

// GET|POST /rest/api/3/search/jql (docs/product.md#rest-shapes): the fields parameter, the opaque page token,
// and the issues with the conventional values inside `fields`.

/** Jira's default workflow ids and categories for Portico's statuses (Jira Service Management's for the two waiting ones). */
const STATUS: Record<RequestStatus, { id: string; category: { id: number; key: string; name: string; colorName: string } }> = {
  'Waiting for approval': { id: '10003', category: { id: 2, key: 'new', name: 'To Do', colorName: 'blue-gray' } },
  Open: { id: '1', category: { id: 2, key: 'new', name: 'To Do', colorName: 'blue-gray' } },
  'Waiting for support': { id: '10001', category: { id: 2, key: 'new', name: 'To Do', colorName: 'blue-gray' } },
  'Waiting for customer': { id: '10002', category: { id: 4, key: 'indeterminate', name: 'In Progress', colorName: 'yellow' } },
  'In progress': { id: '3', category: { id: 4, key: 'indeterminate', name: 'In Progress', colorName: 'yellow' } },
  Resolved: { id: '5', category: { id: 3, key: 'done', name: 'Done', colorName: 'green' } },
  Declined: { id: '10004', category: { id: 3, key: 'done', name: 'Done', colorName: 'green' } },
  Closed: { id: '6', category: { id: 3, key: 'done', name: 'Done', colorName: 'green' } },
};

export function statusCategoryOf(status: RequestStatus): 'NEW' | 'INDETERMINATE' | 'DONE' {
  return STATUS[status].category.key === 'new' ? 'NEW' : STATUS[status].category.key === 'done' ? 'DONE' : 'INDETERMINATE';
}

const SYSTEM_FIELDS: Array<[string, string]> = [
  ['summary', 'Summary'],
  ['description', 'Description'],
  ['status', 'Status'],
  ['reporter', 'Reporter'],
  ['assignee', 'Assignee'],
  ['priority', 'Priority'],
  ['created', 'Created'],
  ['updated', 'Updated'],
  ['project', 'Project'],
  ['issuetype', 'Issue Type'],
  ['participants', 'Request participants'],
];

/**
 * Which fields to return: default `id` only; `*all` and `*navigable` every field; a field id
 * (`summary`, `customfield_10010`), `cf[10010]` or a custom field's name adds one; `-name` removes
 * one. Unknown names are ignored, as Jira does.
 */
export function selectFields(requested: string[], customFields: CustomFieldDef[]): Map<string, string> {
  const all = new Map<string, string>([...SYSTEM_FIELDS, ...customFields.map((f): [string, string] => [`customfield_${f.id}`, f.name])]);
  const resolve = (name: string): string | undefined => {
    const n = name.trim().toLowerCase();
    const cf = /^cf\[(\d+)\]$/.exec(n);
    if (cf) return all.has(`customfield_${cf[1]}`) ? `customfield_${cf[1]}` : undefined;
    for (const [id, label] of all) if (id === n || label.toLowerCase() === n) return id;
    return undefined;
  };
  const chosen = new Map<string, string>();
  const excluded = new Set<string>();
  for (const item of requested.length ? requested : ['id']) {
    if (item === '*all' || item === '*navigable') for (const [id, label] of all) chosen.set(id, label);
    else if (item.startsWith('-')) {
      const id = resolve(item.slice(1));
      if (id) excluded.add(id);
    } else {
      const id = resolve(item);
      if (id) chosen.set(id, all.get(id)!);
    }
  }
  for (const id of excluded) chosen.delete(id);
  return chosen;
}

/** What presenting these fields needs beyond the request rows: participants, user-picker values. */
export function partsPresented(fields: Map<string, string>): { participants: boolean; userFields: boolean } {
  return { participants: fields.has('participants'), userFields: [...fields.keys()].some((id) => id.startsWith('customfield_')) };
}

function jqlHash(jql: string): string {
  return createHash('sha256').update(jql).digest('base64url').slice(0, 16);
}

/** The opaque token of the page starting at `offset`: base64url of the offset and a hash of the query. */
export function encodePageToken(jql: string, offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset, h: jqlHash(jql) })).toString('base64url');
}

/** The offset a token stands for; 400 when it is not one of ours or belongs to another query. */
export function decodePageToken(jql: string, token: string | undefined): number {
  if (token === undefined || token === '') return 0;
  const invalid = () => badRequest('The nextPageToken is not valid for this query. Start again without it.', { nextPageToken: 'Invalid page token.' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const p = parsed as { o?: unknown; h?: unknown };
  if (typeof p !== 'object' || p === null || typeof p.o !== 'number' || !Number.isSafeInteger(p.o) || p.o < 0 || p.h !== jqlHash(jql)) throw invalid();
  if (p.o > MAX_OFFSET) {
    const message = `Search results are served to the first ${MAX_OFFSET.toLocaleString('en-US')} and one more page. Narrow the query (for example with created < a date) to read further.`;
    throw badRequest(message, { nextPageToken: message });
  }
  return p.o;
}

function adf(text: string) {
  return { type: 'doc', version: 1, content: text.split(/\n{2,}/).map((para) => ({ type: 'paragraph', content: [{ type: 'text', text: para }] })) };
}

function fieldValue(base: string, issue: IssueRecord, id: string, customFields: CustomFieldDef[]): unknown {
  switch (id) {
    case 'summary':
      return issue.summary;
    case 'description':
      return issue.description ? adf(issue.description) : undefined;
    case 'status': {
      const s = STATUS[issue.status];
      return {
        self: `${base}/rest/api/3/status/${s.id}`,
        id: s.id,
        name: issue.status,
        description: '',
        statusCategory: { self: `${base}/rest/api/3/statuscategory/${s.category.id}`, ...s.category },
      };
    }
    case 'reporter':
      return presentUserDetails(base, issue.reporter);
    case 'assignee':
      // Jira sends null for an unassigned issue
      return issue.assignee ? presentUserDetails(base, issue.assignee) : null;
    case 'priority':
      return presentPriority(base, issue.priority);
    case 'created':
      return jiraTimestamp(issue.created);
    case 'updated':
      return jiraTimestamp(issue.updated);
    case 'project':
      return { self: `${base}/rest/api/3/project/${issue.project.id}`, id: issue.project.id, key: issue.project.key, name: issue.project.name, projectTypeKey: 'service_desk' };
    case 'issuetype':
      return { self: `${base}/rest/api/3/issuetype/${SERVICE_REQUEST_ISSUE_TYPE.id}`, ...SERVICE_REQUEST_ISSUE_TYPE, subtask: false };
    case 'participants':
      return issue.participants.map((p) => presentUserDetails(base, p));
    default: {
      const cfId = id.slice('customfield_'.length);
      const def = customFields.find((f) => f.id === cfId);
      const values = (issue.userFields.get(cfId) ?? []).map((p) => presentUserDetails(base, p));
      if (def?.type === 'multiuser') return values;
      return values[0];
    }
  }
}

/** Jira's `Priority` as it sits in an issue's fields: `{self, id, name}`. */
export function presentPriority(base: string, priority: Priority) {
  return { self: `${base}/rest/api/3/priority/${PRIORITY_ID[priority]}`, id: PRIORITY_ID[priority], name: priority };
}

/** One issue of a search or a queue (Jira's `IssueBean`) with the chosen fields; empty values left out. */
export function presentIssueBean(base: string, issue: IssueRecord, fields: Map<string, string>, customFields: CustomFieldDef[]) {
  const values: Record<string, unknown> = {};
  for (const id of fields.keys()) {
    const v = fieldValue(base, issue, id, customFields);
    if (v !== undefined) values[id] = v;
  }
  return {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: issue.id,
    self: `${base}/rest/api/3/issue/${issue.id}`,
    key: issue.key,
    ...(fields.size ? { fields: values } : {}),
  };
}

/** `SearchAndReconcileResults`: empty values are left out of `fields` rather than sent as null. */
export function presentSearchResults(
  base: string,
  input: { jql: string; offset: number; pageSize: number; issues: IssueRecord[]; isLast: boolean; customFields: CustomFieldDef[]; fields: Map<string, string>; expandNames: boolean },
) {
  const issues = input.issues.map((issue) => presentIssueBean(base, issue, input.fields, input.customFields));
  return {
    issues,
    isLast: input.isLast,
    ...(input.isLast ? {} : { nextPageToken: encodePageToken(input.jql, input.offset + input.pageSize) }),
    ...(input.expandNames ? { names: Object.fromEntries(input.fields) } : {}),
  };
}
