import { Type } from 'typebox';
import { DateTime, Nullable } from './common.js';
import { PersonSchema } from './people.js';
import { RequestRowFields } from './requests.js';
import { AgentSlaSchema } from './sla.js';

// The agent workspace's queues and a request's assignment (routes/agent/queues.ts, presenters/queues.ts).

export const PrioritySchema = Type.Union(
  [Type.Literal('Highest'), Type.Literal('High'), Type.Literal('Medium'), Type.Literal('Low'), Type.Literal('Lowest')],
  { description: 'Atlassian\'s priority names; Medium unless set' },
);

const QueueProjectSchema = Type.Object({ id: Type.String(), key: Type.String(), name: Type.String() });

export const AgentQueueSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  jql: Type.String(),
  fields: Type.Array(Type.String()),
  builtIn: Type.Boolean({ description: 'one of the four every project has; cannot be deleted' }),
  /** null when its JQL no longer runs; left out when not counted */
  issueCount: Type.Optional(Nullable(Type.Integer())),
});

export const AgentQueuesSchema = Type.Object({ project: QueueProjectSchema, values: Type.Array(AgentQueueSchema) });

export const QueueIssueRowSchema = Type.Object({
  ...RequestRowFields,
  assignee: Nullable(PersonSchema),
  priority: PrioritySchema,
  /** its SLAs now (docs/product.md#slas); the view shows the most urgent */
  slas: Type.Array(AgentSlaSchema),
});

export const QueueIssuesPageSchema = Type.Object({
  project: QueueProjectSchema,
  queue: AgentQueueSchema,
  start: Type.Integer(),
  limit: Type.Integer(),
  isLastPage: Type.Boolean(),
  values: Type.Array(QueueIssueRowSchema),
});

export const AssignmentResultSchema = Type.Object({
  key: Type.String(),
  changed: Type.Array(Type.Union([Type.Literal('assignee'), Type.Literal('priority')])),
  assignee: Nullable(PersonSchema),
  priority: PrioritySchema,
  updated: Nullable(DateTime),
});
