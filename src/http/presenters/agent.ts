import { presentAgentSla } from './sla.js';
import type { Static } from 'typebox';
import type { Actor } from '../../domain/policies.js';
import type { QueuePage } from '../../use-cases/requests/list-queue.js';
import type { SavedFilter } from '../../use-cases/filters/save-filter.js';
import type { IssueRecord } from '../../use-cases/filters/search-issues.js';
import type { getAgentRequest } from '../../use-cases/requests/get-agent-request.js';
import type { AgentRequestSchema, AuthoredArticleSchema, IssueRowSchema, QueuePageSchema, SavedFilterSchema } from '../schemas/agent.js';
import type { AuthoredArticle } from '../../use-cases/knowledge-base/authoring.js';
import { presentPerson } from './people.js';
import { presentComment, presentHistoryEntry } from './comments.js';
import { presentPickerFieldValues } from './requests.js';

// The agent workspace's answers (schemas/agent.ts); every person through presentPerson.

export function presentQueuePage(page: QueuePage, viewer: Actor): Static<typeof QueuePageSchema> {
  return {
    project: { id: page.project.id, key: page.project.key, name: page.project.name, customerAccess: page.project.customerAccess },
    start: page.start,
    limit: page.limit,
    total: page.total,
    isLastPage: page.isLastPage,
    values: page.values.map((r) => ({
      id: r.id,
      key: r.key,
      summary: r.summary,
      status: r.status,
      created: r.createdAt.toISOString(),
      updated: r.updatedAt.toISOString(),
      reporter: presentPerson(r.reporter, viewer),
      slas: r.slas.map(presentAgentSla),
    })),
  };
}

/** What every list of requests shows of one (schemas/agent.ts RequestRowFields), the reporter as `viewer` may see them. */
export function presentRequestRowFields(i: IssueRecord, viewer: Actor) {
  return {
    id: i.id,
    key: i.key,
    summary: i.summary,
    status: i.status,
    created: i.created.toISOString(),
    updated: i.updated.toISOString(),
    reporter: presentPerson(i.reporter.account, viewer),
  };
}

export function presentIssueRow(i: IssueRecord, viewer: Actor): Static<typeof IssueRowSchema> {
  return {
    ...presentRequestRowFields(i, viewer),
    project: { id: i.project.id, key: i.project.key, name: i.project.name },
    requestType: { id: i.requestType.id, name: i.requestType.name },
  };
}

export const presentFilter = (f: SavedFilter): Static<typeof SavedFilterSchema> => ({ id: f.id, name: f.name, jql: f.jql, createdAt: f.createdAt.toISOString() });

export function presentAgentRequest(
  d: Awaited<ReturnType<typeof getAgentRequest>>,
  viewer: Actor,
  options: { editWindowMinutes: number },
): Static<typeof AgentRequestSchema> {
  const r = d.request;
  return {
    id: r.id,
    key: r.key,
    summary: r.summary,
    description: r.description,
    status: r.status,
    created: r.createdAt.toISOString(),
    updated: r.updatedAt.toISOString(),
    project: { id: r.projectId, key: r.projectKey, name: r.projectName },
    requestType: { id: r.requestTypeId, name: r.requestTypeName },
    reporter: presentPerson(d.reporter, viewer),
    assignee: d.assignment.assignee ? presentPerson(d.assignment.assignee, viewer) : null,
    priority: d.assignment.priority,
    participants: d.participants.map((p) => presentPerson(p, viewer)),
    fields: d.pickerValues.map((f) => presentPickerFieldValues(f, viewer)),
    comments: d.comments.map((c) => presentComment(c, viewer, options)),
    history: d.history.map((h) => presentHistoryEntry(h, viewer)),
    transitions: d.transitions.map((t) => ({ to: t.to, name: t.name })),
  };
}

export const presentAuthoredArticle = (a: AuthoredArticle): Static<typeof AuthoredArticleSchema> => ({
  id: a.id,
  projectKey: a.projectKey,
  title: a.title,
  body: a.body,
  category: a.category,
  published: a.published,
  createdAt: a.createdAt.toISOString(),
  updatedAt: a.updatedAt.toISOString(),
});
