import type { Static } from 'typebox';
import type { Actor } from '../../domain/policies.js';
import type { QueueWithCount } from '../../use-cases/queues/list-queues.js';
import type { IssueRecord } from '../../use-cases/filters/search-issues.js';
import type { AgentQueueSchema, QueueIssueRowSchema } from '../schemas/queues.js';
import { presentPerson } from './people.js';
import { presentRequestRowFields } from './agent.js';
import { presentAgentSla } from './sla.js';
import type { SlaState } from '../../domain/sla.js';

// The agent workspace's queues (schemas/queues.ts); every person through presentPerson.

export const presentAgentQueue = (q: QueueWithCount): Static<typeof AgentQueueSchema> => ({
  id: q.id,
  name: q.name,
  jql: q.jql,
  fields: q.fields,
  builtIn: q.builtIn,
  ...(q.issueCount !== undefined ? { issueCount: q.issueCount } : {}),
});

export const presentQueueIssueRow = (i: IssueRecord, viewer: Actor, slas: SlaState[]): Static<typeof QueueIssueRowSchema> => ({
  ...presentRequestRowFields(i, viewer),
  assignee: i.assignee ? presentPerson(i.assignee.account, viewer) : null,
  priority: i.priority,
  slas: slas.map(presentAgentSla),
});
