import { AppError, badRequest } from '../../domain/errors.js';
import { JqlError } from '../../domain/jql/errors.js';
import type { SiteRef } from '../../domain/policies.js';
import { auditSiteChange } from '../audit.js';
import type { ActorContext } from '../context.js';
import { searchRequestsByJql } from '../filters/jql-search.js';
import { canonicalSavedJql } from '../filters/save-filter.js';
import { DEFAULT_QUEUE_FIELDS, MAX_QUEUES_PER_PROJECT, QUEUE_FIELDS, loadQueueDesk, type Queue } from './queues.js';

export const QUEUE_NAME_MAX = 100;
export const QUEUE_JQL_MAX = 2000;

/**
 * An agent of the project (or an admin of the site) adds a queue: a name unique in the project, a
 * JQL that runs (checked as a search, then stored as a saved filter is — people as account ids, so
 * it keeps finding them after a revoke) and the columns it shows. Audited as `queue.created`.
 */
export async function createQueue(
  ctx: ActorContext,
  input: { site: SiteRef; serviceDeskId: string; name: string; jql: string; fields?: string[] },
): Promise<Queue> {
  const name = input.name.trim();
  if (name === '' || name.length > QUEUE_NAME_MAX) {
    const msg = name === '' ? 'Give the queue a name.' : `The queue name must be at most ${QUEUE_NAME_MAX} characters.`;
    throw badRequest(msg, { name: msg });
  }
  if (input.jql.trim() === '' || input.jql.length > QUEUE_JQL_MAX) {
    const msg = input.jql.trim() === '' ? 'The queue needs a query.' : `The query must be at most ${QUEUE_JQL_MAX} characters.`;
    throw badRequest(msg, { jql: msg });
  }
  const fields = [...new Set(input.fields?.length ? input.fields : DEFAULT_QUEUE_FIELDS)];
  const unknown = fields.find((f) => !(QUEUE_FIELDS as readonly string[]).includes(f));
  if (unknown !== undefined) {
    const msg = `'${unknown.slice(0, 40)}' is not a column a queue can show (${QUEUE_FIELDS.join(', ')}).`;
    throw badRequest(msg, { fields: msg });
  }
  const desk = await loadQueueDesk(ctx, input.site, input.serviceDeskId);
  const viewer = { accountId: ctx.actor.accountId, kind: ctx.actor.kind };
  let jql: string;
  try {
    await searchRequestsByJql(ctx.db, { siteId: input.site.id, jql: input.jql, viewer, maxResults: 1, projectId: desk.projectId });
    jql = await canonicalSavedJql(ctx.db, { siteId: input.site.id, jql: input.jql });
  } catch (e) {
    if (e instanceof JqlError) throw badRequest(e.message, { jql: e.message });
    throw e;
  }
  if (jql.length > QUEUE_JQL_MAX) {
    const msg = `The query must be at most ${QUEUE_JQL_MAX} characters.`;
    throw badRequest(msg, { jql: msg });
  }
  return ctx.db.transaction().execute(async (trx) => {
    // one queue added at a time per project: the name check and the count hold until commit
    await trx.selectFrom('projects').select('id').where('id', '=', desk.projectId).forUpdate().executeTakeFirstOrThrow();
    const existing = await trx.selectFrom('queues').select(['name', 'position']).where('project_id', '=', desk.projectId).execute();
    if (existing.some((q) => q.name.trim().toLowerCase() === name.toLowerCase())) {
      const msg = `This project already has a queue named '${name}'.`;
      throw badRequest(msg, { name: msg });
    }
    if (existing.length >= MAX_QUEUES_PER_PROJECT) {
      throw new AppError('conflict', `A project can have at most ${MAX_QUEUES_PER_PROJECT} queues. Delete one first.`);
    }
    const position = Math.max(0, ...existing.map((q) => q.position)) + 1;
    const row = await trx
      .insertInto('queues')
      .values({ site_id: input.site.id, project_id: desk.projectId, name, jql, fields: fields.join(','), position, created_by: ctx.actor.accountId })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    const id = String(row.id);
    await auditSiteChange(trx, ctx, input.site, 'queue.created', { queueId: id, projectKey: desk.projectKey, name, jql });
    return { id, projectId: desk.projectId, name, jql, fields, builtIn: false };
  });
}
