import type { Transaction } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { Database } from '../../db/schema.js';
import { notFound } from '../../domain/errors.js';
import { decideWorkProject, type SiteRef } from '../../domain/policies.js';
import { enforce } from '../authorize.js';
import type { ActorContext } from '../context.js';
import { resolveServiceDesk, type ServiceDesk } from '../help-center/portals.js';
import { assertAgentWorkspace } from '../requests/agent-access.js';
import { countByJql } from '../filters/jql-search.js';

// A project's queues (docs/product.md#queues), shared by the queue use cases: the project's door
// for its agents, reading queues, and counting them.

type Executor = Transaction<Database> | Db;

/** The columns a queue may show, in Atlassian's field ids. */
export const QUEUE_FIELDS = ['issuekey', 'summary', 'issuetype', 'reporter', 'assignee', 'status', 'priority', 'created', 'updated'] as const;
export const DEFAULT_QUEUE_FIELDS = ['issuekey', 'summary', 'reporter', 'assignee', 'status', 'priority', 'created'];
/** Queues a project may have, built-in ones included: all are counted in one statement. */
export const MAX_QUEUES_PER_PROJECT = 50;

export interface Queue {
  id: string;
  projectId: string;
  name: string;
  jql: string;
  fields: string[];
  builtIn: boolean;
}

/**
 * The service desk `serviceDeskId` names (service desk id, project id or key) if the actor may work
 * it: a customer is refused (403), an agent of another project or another organization's staff do
 * not learn it exists (404).
 */
export async function loadQueueDesk(ctx: ActorContext, site: SiteRef, serviceDeskId: string, db: Executor = ctx.db): Promise<ServiceDesk> {
  const actor = assertAgentWorkspace(ctx, site);
  const desk = await resolveServiceDesk(db, actor, site, serviceDeskId);
  enforce(decideWorkProject(actor, site, desk.projectId), {
    forbidden: `You do not have permission to work on project ${desk.projectKey}.`,
    notFound: `The service desk '${serviceDeskId.slice(0, 40)}' does not exist or you do not have permission to see it.`,
  });
  return desk;
}

const toQueue = (r: { id: string; project_id: string; name: string; jql: string; fields: string; built_in: boolean }): Queue => ({
  id: String(r.id),
  projectId: String(r.project_id),
  name: r.name,
  jql: r.jql,
  fields: r.fields.split(',').filter(Boolean),
  builtIn: r.built_in,
});

export async function listProjectQueues(db: Executor, projectId: string): Promise<Queue[]> {
  const rows = await db
    .selectFrom('queues')
    .select(['id', 'project_id', 'name', 'jql', 'fields', 'built_in'])
    .where('project_id', '=', projectId)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map(toQueue);
}

/** One queue of the project; 404 when the id is not one of its queues. */
export async function loadProjectQueue(db: Executor, projectId: string, queueId: string): Promise<Queue> {
  const row = /^[0-9]{1,18}$/.test(queueId)
    ? await db
        .selectFrom('queues')
        .select(['id', 'project_id', 'name', 'jql', 'fields', 'built_in'])
        .where('project_id', '=', projectId)
        .where('id', '=', queueId)
        .executeTakeFirst()
    : undefined;
  if (!row) throw notFound(`The queue '${queueId.slice(0, 40)}' does not exist in this service desk.`);
  return toQueue(row);
}

/** Each queue's count of requests as the actor sees them (countByJql: two statements for all). */
export async function countQueues(ctx: ActorContext, site: SiteRef, projectId: string, queues: Queue[]): Promise<Array<number | null>> {
  return countByJql(ctx.db, {
    siteId: site.id,
    projectId,
    viewer: { accountId: ctx.actor.accountId, kind: ctx.actor.kind },
    jqls: queues.map((q) => q.jql),
  });
}
