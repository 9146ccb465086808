import type { Transaction } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { Database } from '../../db/schema.js';
import { auditSiteChange } from '../audit.js';
import { assertPickable } from '../../db/queries/pickable.js';
import { badRequest } from '../../domain/errors.js';
import { decideProjectCustomers, type Actor, type SiteRef } from '../../domain/policies.js';
import { enforce } from '../authorize.js';
import type { ActorContext } from '../context.js';
import { resolveServiceDesk, type ServiceDesk } from '../help-center/portals.js';

// A service project's customer list, shared by its use cases (list, add, remove, create-and-add):
// the service desk and the right to manage its customers (domain/policies/customers.ts), the id
// list, the writes and their audit events.

type Trx = Transaction<Database>;

export const MAX_CUSTOMERS_PER_CALL = 1000;

/**
 * The service desk `serviceDeskId` names, if the actor may see it (404) and manage its customers
 * (403, saying `refusal`).
 */
export async function loadManagedServiceDesk(db: Trx | Db, actor: Actor, site: SiteRef, serviceDeskId: string, refusal: string): Promise<ServiceDesk> {
  const desk = await resolveServiceDesk(db, actor, site, serviceDeskId);
  enforce(decideProjectCustomers(actor, site, desk.projectId), { forbidden: refusal });
  return desk;
}

export function checkAccountIdList(accountIds: string[]): string[] {
  const ids = [...new Set(accountIds.map((id) => id.trim()).filter(Boolean))];
  if (ids.length === 0) throw badRequest("'accountIds' must list at least one account.", { accountIds: 'List at least one account id.' });
  if (ids.length > MAX_CUSTOMERS_PER_CALL) {
    throw badRequest(`'accountIds' may list at most ${MAX_CUSTOMERS_PER_CALL} accounts.`, { accountIds: `At most ${MAX_CUSTOMERS_PER_CALL} accounts.` });
  }
  return ids;
}

export interface AddProjectCustomersInput {
  site: SiteRef;
  serviceDeskId: string;
  accountIds: string[];
}

/**
 * The checks and writes of adding customers to a service project (with its
 * `project.customer.added` audit events) inside the caller's transaction, so "Create customer" can
 * create and add atomically.
 */
export async function addProjectCustomersInTransaction(ctx: ActorContext, trx: Trx, input: AddProjectCustomersInput): Promise<{ added: string[] }> {
  const desk = await loadManagedServiceDesk(trx, ctx.actor, input.site, input.serviceDeskId, 'Only agents of this service project and admins can add customers.');
  const ids = checkAccountIdList(input.accountIds);
  await assertPickable(trx, { siteId: input.site.id, accountIds: ids, fieldName: 'Customers', errorKey: 'accountIds', allowStaff: false });
  const inserted = await trx
    .insertInto('project_customers')
    .values(ids.map((accountId) => ({ site_id: input.site.id, project_id: desk.projectId, account_id: accountId })))
    .onConflict((oc) => oc.columns(['project_id', 'account_id']).doNothing())
    .returning('account_id')
    .execute();
  const added = inserted.map((r) => r.account_id);
  await auditProjectCustomers(trx, ctx, input.site, desk, 'project.customer.added', added);
  return { added };
}

/** One audit event per customer added to or removed from a service project, in the caller's transaction. */
export async function auditProjectCustomers(
  trx: Trx,
  ctx: ActorContext,
  site: SiteRef,
  desk: { projectId: string; projectKey: string },
  action: 'project.customer.added' | 'project.customer.removed',
  accountIds: string[],
): Promise<void> {
  for (const accountId of accountIds) {
    await auditSiteChange(trx, ctx, site, action, { projectId: desk.projectId, projectKey: desk.projectKey }, accountId);
  }
}
