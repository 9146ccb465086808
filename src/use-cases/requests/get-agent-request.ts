import type { SiteRef } from '../../domain/policies.js';
import { transitionsFrom, type WorkflowTransition } from '../../domain/request-workflow.js';
import { loadWorkableRequest } from './agent-access.js';
import type { ActorContext } from '../context.js';
import { getRequest } from './get-request.js';
import { listRequestHistory } from '../../db/queries/request-history.js';
import { loadAssignment } from '../../db/queries/assignment.js';

/**
 * The agent's request view: the shared request detail (get-request.ts: reporter, participants,
 * user-picker fields, public and internal comments) plus the workflow transitions open from its
 * status. Only agents of the project and admins of the site: a customer gets 403 here even for
 * their own request (they use the help center), anyone else 404.
 */
export async function getAgentRequest(ctx: ActorContext, input: { site: SiteRef; key: string }) {
  await loadWorkableRequest(ctx, input.site, input.key);
  const detail = await getRequest(ctx, input);
  const transitions: WorkflowTransition[] = transitionsFrom(detail.request.status);
  // the request's history is for agents only (docs/product.md#history): customers never get it
  const history = await listRequestHistory(ctx.db, detail.request.id);
  // assignee and priority (docs/product.md#assignee-and-priority): the agent view shows and edits them
  const assignment = await loadAssignment(ctx.db, detail.request.id);
  return { ...detail, transitions, history, assignment };
}
