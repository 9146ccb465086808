import { appendRequestHistory, type NewHistoryEntry } from '../../db/queries/request-history.js';
import { isActiveProjectAgent, loadAssignment } from '../../db/queries/assignment.js';
import type { AccountRef } from '../../domain/requests.js';
import { lockNamedPeople } from '../../db/queries/pickable.js';
import { badRequest } from '../../domain/errors.js';
import { PRIORITIES, priorityNamed, type Priority } from '../../domain/priority.js';
import type { SiteRef } from '../../domain/policies.js';
import { auditSiteChange } from '../audit.js';
import { loadWorkableRequest } from './agent-access.js';
import type { ActorContext } from '../context.js';

export interface UpdateRequestAssignmentInput {
  site: SiteRef;
  issueKey: string;
  /** the new assignee's accountId, null to unassign; omitted: unchanged */
  assignee?: string | null;
  /** one of Highest, High, Medium, Low, Lowest (any case); omitted: unchanged */
  priority?: string;
}

export interface UpdateRequestAssignmentResult {
  key: string;
  /** which of assignee / priority actually changed */
  changed: Array<'assignee' | 'priority'>;
  /** the assignee now, as stored (a revoked one kept: "Name (Deactivated)") */
  assignee: AccountRef | null;
  priority: Priority;
  updatedAt: Date | null;
}

/**
 * The agent sets who works a request and how urgent it is (docs/product.md#assignee-and-priority).
 * Only agents of the request's project and admins of the site (loadWorkableRequest: a customer gets
 * 403, an agent of another project 403, a stranger 404). A NEW assignee must be an ACTIVE agent of
 * the project — a revoked agent, a customer or an agent of another project is a 400 naming the field
 * — while an assignee already stored stays as it is, shown "Name (Deactivated)" once revoked.
 * One transaction: the row, its history lines and the `request.assignment.changed` audit event.
 */
export async function updateRequestAssignment(ctx: ActorContext, input: UpdateRequestAssignmentInput): Promise<UpdateRequestAssignmentResult> {
  let priority: Priority | undefined;
  if (input.priority !== undefined) {
    priority = priorityNamed(input.priority);
    if (!priority) {
      const msg = `'${input.priority.slice(0, 40)}' is not a priority. Use one of ${PRIORITIES.join(', ')}.`;
      throw badRequest(msg, { priority: msg });
    }
  }
  return ctx.db.transaction().execute(async (trx) => {
    const request = await loadWorkableRequest(ctx, input.site, input.issueKey, { db: trx, forUpdate: true });
    const current = await trx.selectFrom('requests').select(['assignee_id', 'priority']).where('id', '=', request.id).executeTakeFirstOrThrow();
    const changed: Array<'assignee' | 'priority'> = [];
    const history: NewHistoryEntry[] = [];
    const siteId = input.site.id;
    const set: { assignee_id?: string | null; priority?: Priority } = {};

    if (input.assignee !== undefined && input.assignee !== current.assignee_id) {
      if (input.assignee !== null) {
        // under the lock a revoke takes, so a revoke committing meanwhile cannot be missed
        await lockNamedPeople(trx, [input.assignee]);
        if (!(await isActiveProjectAgent(trx, request.projectId, input.assignee))) {
          const msg = 'The assignee must be an active agent of this project.';
          throw badRequest(msg, { assignee: msg });
        }
      }
      set.assignee_id = input.assignee;
      changed.push('assignee');
      history.push({
        siteId, requestId: request.id, actorId: ctx.actor.accountId, field: 'assignee', fieldName: 'Assignee', change: 'changed',
        from: current.assignee_id === null ? [] : [current.assignee_id], to: input.assignee === null ? [] : [input.assignee],
      });
    }
    if (priority !== undefined && priority !== current.priority) {
      set.priority = priority;
      changed.push('priority');
      history.push({ siteId, requestId: request.id, actorId: ctx.actor.accountId, field: 'priority', fieldName: 'Priority', change: 'changed', from: current.priority, to: priority });
    }
    if (changed.length === 0) return { key: request.key, changed, ...(await loadAssignment(trx, request.id)), updatedAt: null };
    const now = new Date();
    await trx.updateTable('requests').set({ ...set, updated_at: now }).where('id', '=', request.id).execute();
    await appendRequestHistory(trx, history.map((h) => ({ ...h, at: now })));
    await auditSiteChange(trx, ctx, input.site, 'request.assignment.changed', {
      issueKey: request.key,
      changed,
      ...(set.assignee_id !== undefined ? { from: current.assignee_id, assignee: set.assignee_id } : {}),
      ...(set.priority !== undefined ? { fromPriority: current.priority, priority: set.priority } : {}),
    });
    return { key: request.key, changed, ...(await loadAssignment(trx, request.id)), updatedAt: now };
  });
}
