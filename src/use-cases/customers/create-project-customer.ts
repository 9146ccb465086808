import type { SiteRef } from '../../domain/policies.js';
import { loadWorkableProject } from '../requests/agent-access.js';
import type { ActorContext } from '../context.js';
import { addProjectCustomersInTransaction } from './project-customers.js';
import { answeringDuplicateEmail, createCustomerInTransaction } from './new-customer.js';
import { loadAccounts, type AccountView } from '../../db/queries/accounts.js';

/**
 * "Create customer" on a project's customers page: a new portal-only account of the site
 * (create-customer.ts), added to this project (add-project-customers.ts), in ONE transaction, so a
 * failure in the add leaves no customer behind. The right to work the project is checked first,
 * so nobody is created who then could not be added.
 */
export async function createProjectCustomer(
  ctx: ActorContext,
  input: { site: SiteRef & { slug: string }; projectKey: string; displayName: string; email: string; accessUntil?: string | null },
): Promise<AccountView> {
  const project = await loadWorkableProject(ctx, input.site, input.projectKey);
  const newCustomer = { site: input.site, displayName: input.displayName, email: input.email, accessUntil: input.accessUntil };
  const accountId = await answeringDuplicateEmail(newCustomer, () =>
    ctx.db.transaction().execute(async (trx) => {
      const id = await createCustomerInTransaction(ctx, trx, newCustomer);
      await addProjectCustomersInTransaction(ctx, trx, { site: input.site, serviceDeskId: project.id, accountIds: [id] });
      return id;
    }),
  );
  const customer = (await loadAccounts(ctx.db, [accountId])).get(accountId);
  if (!customer) throw new Error('created customer vanished');
  return customer;
}
