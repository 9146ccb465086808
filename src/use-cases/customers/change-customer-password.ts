import { authorOf } from '../audit.js';
import type { ActorContext } from '../context.js';
import { endSessionsAndTokens } from '../../db/queries/customer-access.js';
import { appendCustomerAdminEvent, authorizeCustomerAction, lockCustomerForAdmin } from './customer-admin.js';
import { badRequest } from '../../domain/errors.js';
import { hashPassword, passwordProblem } from '../../domain/passwords.js';

/**
 * An admin sets a customer's password (docs/product.md#tenancy). The customer's sessions are deleted in the
 * same transaction, and outstanding password-reset links invalidated: an admin changes a password
 * because the old one is lost or may be known to someone else, and whoever used the old one must not
 * stay logged in or finish a reset. Works for revoked customers too (the password applies once
 * access is granted back). Audit event `customer.password.changed` (never the password itself).
 */
export async function changeCustomerPassword(
  ctx: ActorContext,
  input: { siteSlug: string; accountId: string; password: string },
): Promise<void> {
  const site = await authorizeCustomerAction(ctx, input, 'change_password');
  const problem = passwordProblem(input.password);
  if (problem) throw badRequest(problem, { password: problem });
  const passwordHash = await hashPassword(input.password);
  await ctx.db.transaction().execute(async (trx) => {
    const customer = await lockCustomerForAdmin(trx, site, input.accountId);
    await trx.updateTable('accounts').set({ password_hash: passwordHash }).where('account_id', '=', customer.accountId).execute();
    await endSessionsAndTokens(trx, [customer.accountId], new Date(), ['password_reset']);
    await appendCustomerAdminEvent(trx, ctx, authorOf(ctx), site, { action: 'customer.password.changed', targetId: customer.accountId });
  });
}
