import type { SiteRef } from '../domain/policies.js';
import { loadWorkableProject } from './agent-access.js';
import type { UseCaseContext } from './context.js';
import { addProjectCustomers } from './add-project-customers.js';
import { createCustomer } from './create-customer.js';
import type { AccountView } from './get-user.js';

/**
 * "Create customer" on a project's customers page: a new portal-only account of the site
 * (create-customer.ts), added to this project (add-project-customers.ts). The right to work the
 * project is checked first, so nobody is created who then could not be added.
 */
export async function createProjectCustomer(
  ctx: UseCaseContext,
  input: { site: SiteRef; projectKey: string; displayName: string; email: string },
): Promise<AccountView> {
  const project = await loadWorkableProject(ctx, input.site, input.projectKey);
  const customer = await createCustomer(ctx, { site: input.site, displayName: input.displayName, email: input.email });
  await addProjectCustomers(ctx, { site: input.site, serviceDeskId: project.id, accountIds: [customer.accountId] });
  return customer;
}
