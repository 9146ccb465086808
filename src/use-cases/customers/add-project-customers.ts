import type { ActorContext } from '../context.js';
import { addProjectCustomersInTransaction, type AddProjectCustomersInput } from './project-customers.js';

/**
 * Adds existing customers of the site to a service project (agents of the project and admins).
 * Each id must be an ACTIVE customer of the site: a revoked one cannot be newly selected, and an
 * unknown one is refused; then nothing is added (one transaction). Customers already added are
 * skipped. Returns the ids that were newly added.
 */
export async function addProjectCustomers(ctx: ActorContext, input: AddProjectCustomersInput): Promise<{ added: string[] }> {
  return ctx.db.transaction().execute((trx) => addProjectCustomersInTransaction(ctx, trx, input));
}
