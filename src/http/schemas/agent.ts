import { AgentSlaSchema } from './sla.js';
import { Type } from 'typebox';
import { Nullable, Page, UncountedPage, List, DateTime } from './common.js';
import { PersonSchema } from './people.js';
import { ProjectCustomerSchema } from './customers.js';
import { CommentSchema, HistoryEntrySchema, PickerFieldValuesSchema, RequestRowFields, RequestStatusSchema } from './requests.js';
import { PrioritySchema } from './queues.js';

// Responses of the agent workspace's JSON API under /s/{site}/api/agent (routes/agent, presenters/agent.ts).

export const ProjectInfoSchema = Type.Object({ id: Type.String(), key: Type.String(), name: Type.String() });
const CustomerAccessSchema = Type.Union([Type.Literal('restricted'), Type.Literal('open')]);
const WorkableProjectSchema = Type.Object({ ...ProjectInfoSchema.properties, customerAccess: CustomerAccessSchema });


/** A row of the project's open requests, with its SLA timers (docs/product.md#slas). */
export const QueueRowSchema = Type.Object({ ...RequestRowFields, slas: Type.Array(AgentSlaSchema) });
export const QueuePageSchema = Page(QueueRowSchema, { extra: { project: WorkableProjectSchema } });

export const PeopleChangeResultSchema = Type.Object({
  key: Type.String(),
  changed: Type.Array(Type.String(), { description: 'which of reporter, participants and field keys changed' }),
  updated: Nullable(DateTime),
});

export const TransitionResultSchema = Type.Object({ key: Type.String(), from: RequestStatusSchema, status: RequestStatusSchema, updated: DateTime });

export const IssueRowSchema = Type.Object({
  ...RequestRowFields,
  project: ProjectInfoSchema,
  requestType: Type.Object({ id: Type.String(), name: Type.String() }),
});

/** The issue search page: Jira's paging words (startAt, maxResults, isLast) over `issues`. */
export const SearchPageSchema = Type.Object({
  startAt: Type.Integer(),
  maxResults: Type.Integer(),
  isLast: Type.Boolean(),
  issues: Type.Array(IssueRowSchema),
  /** how the box's text was read: as JQL, as a request's key, or as plain words searched in the text */
  searchedAs: Type.Union([Type.Literal('jql'), Type.Literal('key'), Type.Literal('text')]),
  /** the JQL that ran */
  jql: Type.String(),
});

export const FilterUsersSchema = Type.Object({ users: Type.Array(PersonSchema) });

export const SavedFilterSchema = Type.Object({ id: Type.String(), name: Type.String(), jql: Type.String(), createdAt: DateTime });
export const SavedFiltersSchema = List(SavedFilterSchema);

export const AgentRequestSchema = Type.Object({
  id: Type.String(),
  key: Type.String(),
  summary: Type.String(),
  description: Type.String(),
  status: RequestStatusSchema,
  created: DateTime,
  updated: DateTime,
  project: ProjectInfoSchema,
  requestType: Type.Object({ id: Type.String(), name: Type.String() }),
  reporter: PersonSchema,
  /** an agent of the project, or null (docs/product.md#assignee-and-priority) */
  assignee: Nullable(PersonSchema),
  priority: PrioritySchema,
  participants: Type.Array(PersonSchema),
  fields: Type.Array(PickerFieldValuesSchema),
  comments: Type.Array(CommentSchema),
  /** every change of the request, oldest first (docs/product.md#history): agents only */
  history: Type.Array(HistoryEntrySchema),
  transitions: Type.Array(Type.Object({ to: RequestStatusSchema, name: Type.String() })),
});

export const ProjectCustomersPageSchema = UncountedPage(ProjectCustomerSchema, { extra: { project: WorkableProjectSchema } });

export const AddedCustomersSchema = Type.Object({ added: Type.Array(Type.String(), { description: 'account ids newly added' }) });

/** A knowledge-base article as its authors see it (use-cases/knowledge-base/authoring.ts). */
export const AuthoredArticleSchema = Type.Object({
  id: Type.String(),
  projectKey: Type.String(),
  title: Type.String(),
  body: Type.String({ description: 'Markdown' }),
  category: Nullable(Type.String()),
  published: Type.Boolean({ description: 'false: a draft, seen in the agent workspace only' }),
  createdAt: DateTime,
  updatedAt: DateTime,
});
export const AuthoredArticlePageSchema = Page(AuthoredArticleSchema, { extra: { categories: Type.Array(Type.String()) } });
