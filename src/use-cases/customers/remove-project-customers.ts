import { badRequest } from '../../domain/errors.js';
import type { SiteRef } from '../../domain/policies.js';
import type { ActorContext } from '../context.js';
import { auditProjectCustomers, checkAccountIdList, loadManagedServiceDesk } from './project-customers.js';

/**
 * Removes customers from a restricted service project (agents of the project and admins). Ids that
 * are not its customers are ignored. An open project has no customer list to remove from: 400.
 * Removing does not touch the customer's requests or account. Returns the ids that were removed.
 */
export async function removeProjectCustomers(
  ctx: ActorContext,
  input: { site: SiteRef; serviceDeskId: string; accountIds: string[] },
): Promise<{ removed: string[] }> {
  const desk = await loadManagedServiceDesk(ctx.db, ctx.actor, input.site, input.serviceDeskId, 'Only agents of this service project and admins can remove customers.');
  if (desk.customerAccess === 'open') {
    throw badRequest(`${desk.projectName} is open to every customer of the site, so customers cannot be removed from it.`);
  }
  const ids = checkAccountIdList(input.accountIds);
  return ctx.db.transaction().execute(async (trx) => {
    const deleted = await trx
      .deleteFrom('project_customers')
      .where('project_id', '=', desk.projectId)
      .where('account_id', 'in', ids)
      .returning('account_id')
      .execute();
    const removed = deleted.map((r) => r.account_id);
    await auditProjectCustomers(trx, ctx, input.site, desk, 'project.customer.removed', removed);
    return { removed };
  });
}
