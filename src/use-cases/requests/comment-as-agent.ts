import type { SiteRef } from '../../domain/policies.js';
import { loadWorkableRequest } from './agent-access.js';
import type { ActorContext } from '../context.js';
import { addComment } from './add-comment.js';

/**
 * "Reply to customer" (public) or "Add internal note" (public: false) from the agent's request view:
 * the shared add-comment use case, behind the agent workspace's door (agents of the project and
 * admins of the site; customers 403, anyone else 404).
 */
export async function commentAsAgent(ctx: ActorContext, input: { site: SiteRef; key: string; body: string; public: boolean }) {
  await loadWorkableRequest(ctx, input.site, input.key);
  return addComment(ctx, input);
}
