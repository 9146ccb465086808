import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { badRequest, forbidden } from '../../domain/errors.js';
import { canWorkProject, type SiteRef } from '../../domain/policies.js';
import { appendAuditEvent } from '../../db/queries/audit.js';
import { assertPickable } from '../../db/queries/pickable.js';
import type { UseCaseContext } from '../context.js';
import { requireActor, resolveServiceDesk } from '../help-center/get-service-desk.js';

export const MAX_CUSTOMERS_PER_CALL = 1000;

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
 * Adds existing customers of the site to a service project (agents of the project and admins).
 * Each id must be an ACTIVE customer of the site: a revoked one cannot be newly selected, and an
 * unknown one is refused; then nothing is added (one transaction). Customers already added are
 * skipped. Returns the ids that were newly added.
 */
export async function addProjectCustomers(ctx: UseCaseContext, input: AddProjectCustomersInput): Promise<{ added: string[] }> {
  return ctx.db.transaction().execute((trx) => addProjectCustomersInTransaction(ctx, trx, input));
}

/**
 * The checks and writes of addProjectCustomers (with its `project.customer.added` audit events)
 * inside the caller's transaction, so "Create customer" can create and add atomically.
 */
export async function addProjectCustomersInTransaction(
  ctx: UseCaseContext,
  trx: Transaction<Database>,
  input: AddProjectCustomersInput,
): Promise<{ added: string[] }> {
  const actor = requireActor(ctx);
  const desk = await resolveServiceDesk(trx, actor, input.site, input.serviceDeskId);
  if (!canWorkProject(actor, input.site, desk.projectId)) throw forbidden('Only agents of this service project and admins can add customers.');
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
  trx: Transaction<Database>,
  ctx: UseCaseContext,
  site: SiteRef,
  desk: { projectId: string; projectKey: string },
  action: 'project.customer.added' | 'project.customer.removed',
  accountIds: string[],
): Promise<void> {
  for (const accountId of accountIds) {
    await appendAuditEvent(trx, {
      action,
      orgId: site.orgId,
      siteId: site.id,
      actorId: ctx.actor!.accountId,
      targetId: accountId,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      details: { projectId: desk.projectId, projectKey: desk.projectKey },
    });
  }
}
