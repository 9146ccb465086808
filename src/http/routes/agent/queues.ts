import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { requireSite } from '../../plugins/auth.js';
import { presentPerson } from '../../presenters/people.js';
import { presentAgentQueue, presentQueueIssueRow } from '../../presenters/queues.js';
import { apiErrors, NoContent } from '../../schemas/common.js';
import { AgentQueueSchema, AgentQueuesSchema, AssignmentResultSchema, QueueIssuesPageSchema } from '../../schemas/queues.js';
import { OFFSET_SCHEMA } from '../../../domain/limits.js';
import { listQueues } from '../../../use-cases/queues/list-queues.js';
import { listQueueIssues } from '../../../use-cases/queues/list-queue-issues.js';
import { createQueue } from '../../../use-cases/queues/create-queue.js';
import { deleteQueue } from '../../../use-cases/queues/delete-queue.js';
import { MAX_QUEUES_PER_PROJECT, QUEUE_FIELDS } from '../../../use-cases/queues/queues.js';
import { updateRequestAssignment } from '../../../use-cases/requests/update-request-assignment.js';

// Queues and a request's assignee and priority in the agent workspace (docs/product.md#queues,
// #assignee-and-priority), under /s/{site}/api/agent/… (staff cookie; CSRF for writes).

const ProjectParams = Type.Object({ site: Type.String({ maxLength: 63 }), key: Type.String({ minLength: 1, maxLength: 20 }) });
const QueueParams = Type.Object({ site: Type.String({ maxLength: 63 }), key: Type.String({ minLength: 1, maxLength: 20 }), queueId: Type.String({ maxLength: 20 }) });
const IssueParams = Type.Object({ site: Type.String({ maxLength: 63 }), key: Type.String({ minLength: 1, maxLength: 40 }) });

export function registerAgentQueueRoutes(app: App, deps: AppDeps, base: string, tags: string[]) {
  app.get(`${base}/projects/:key/queues`, {
    schema: { tags, params: ProjectParams, response: { 200: AgentQueuesSchema, ...apiErrors } },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const page = await listQueues(ctx, { site: requireSite(request), serviceDeskId: request.params.key, includeCount: true, start: 0, limit: MAX_QUEUES_PER_PROJECT });
    return { project: { id: page.desk.projectId, key: page.desk.projectKey, name: page.desk.projectName }, values: page.values.map(presentAgentQueue) };
  });

  app.post(`${base}/projects/:key/queues`, {
    schema: {
      tags,
      params: ProjectParams,
      body: Type.Object({
        name: Type.String({ maxLength: 1000 }),
        jql: Type.String({ maxLength: 20_000 }),
        fields: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: QUEUE_FIELDS.length, description: `columns, of ${QUEUE_FIELDS.join(', ')}` })),
      }, { additionalProperties: false }),
      response: { 201: AgentQueueSchema, ...apiErrors },
    },
  }, async (request, reply) => {
    const ctx = await contextFor(deps, request);
    const queue = await createQueue(ctx, { site: requireSite(request), serviceDeskId: request.params.key, ...request.body });
    return reply.code(201).send(presentAgentQueue(queue));
  });

  app.delete(`${base}/projects/:key/queues/:queueId`, {
    schema: { tags, params: QueueParams, response: { 204: NoContent, ...apiErrors } },
  }, async (request, reply) => {
    const ctx = await contextFor(deps, request);
    await deleteQueue(ctx, { site: requireSite(request), serviceDeskId: request.params.key, queueId: request.params.queueId });
    return reply.code(204).send(null);
  });

  app.get(`${base}/projects/:key/queues/:queueId/issues`, {
    schema: {
      tags,
      params: QueueParams,
      querystring: Type.Object({
        start: Type.Optional(Type.Integer(OFFSET_SCHEMA)),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
      }),
      response: { 200: QueueIssuesPageSchema, ...apiErrors },
    },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const found = await listQueueIssues(ctx, {
      site: requireSite(request), serviceDeskId: request.params.key, queueId: request.params.queueId,
      start: request.query.start ?? 0, limit: request.query.limit ?? 50, slas: true,
    });
    return {
      project: { id: found.desk.projectId, key: found.desk.projectKey, name: found.desk.projectName },
      queue: presentAgentQueue(found.queue),
      start: found.start,
      limit: found.limit,
      isLastPage: found.isLast,
      values: found.issues.map((i) => presentQueueIssueRow(i, ctx.actor, found.slas.get(i.id) ?? [])),
    };
  });

  app.put(`${base}/requests/:key/assignment`, {
    schema: {
      tags,
      params: IssueParams,
      body: Type.Object({
        assignee: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 128 }), Type.Null()], { description: 'an agent of the project; null: unassigned' })),
        priority: Type.Optional(Type.String({ maxLength: 40, description: 'Highest, High, Medium, Low or Lowest' })),
      }, { additionalProperties: false }),
      response: { 200: AssignmentResultSchema, ...apiErrors },
    },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const result = await updateRequestAssignment(ctx, { site: requireSite(request), issueKey: request.params.key, ...request.body });
    return {
      key: result.key,
      changed: result.changed,
      assignee: result.assignee ? presentPerson(result.assignee, ctx.actor) : null,
      priority: result.priority,
      updated: result.updatedAt?.toISOString() ?? null,
    };
  });
}
