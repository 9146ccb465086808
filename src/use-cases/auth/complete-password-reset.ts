import { sql } from 'kysely';
import type { AnonymousContext } from '../context.js';
import { badRequest } from '../../domain/errors.js';
import { hashPassword, passwordProblem } from '../../domain/passwords.js';
import { appendAuditEvent } from '../../db/queries/audit.js';
import { deleteSessionsOfAccount } from '../../db/queries/session-store.js';
import { resetThrottle } from '../../db/queries/throttle.js';
import { writeSearchTerms } from '../../db/queries/customers.js';
import { claimOneTimeToken, findLiveOneTimeToken } from '../../db/queries/one-time-tokens.js';
import { accountAddressThrottleKey, accountThrottleKey, throttleAddress } from '../../domain/login-throttle.js';

export const RESET_LINK_INVALID_MESSAGE = 'This link is no longer valid.';

/**
 * Sets a customer's new password from a one-time link. The link works once, within its hour,
 * on its own site, and only while the account is active (a revoke invalidates it). Every
 * session of the account ends, and the event is audited with the customer as the actor.
 */
export async function completePasswordReset(
  ctx: AnonymousContext,
  input: { site: { id: string; orgId: string }; token: string; password: string },
): Promise<void> {
  // Check the link before the password, so someone with a dead link is not asked to retry it.
  const valid = await findLiveOneTimeToken(ctx.db, { siteId: input.site.id, token: input.token, purposes: ['password_reset'] });
  if (!valid) throw badRequest(RESET_LINK_INVALID_MESSAGE, { token: RESET_LINK_INVALID_MESSAGE });

  const problem = passwordProblem(input.password);
  if (problem) throw badRequest(problem, { password: problem });
  const passwordHash = await hashPassword(input.password);

  const account = await ctx.db.transaction().execute(async (trx) => {
    const claimed = await claimOneTimeToken(trx, valid.id);
    if (!claimed) throw badRequest(RESET_LINK_INVALID_MESSAGE, { token: RESET_LINK_INVALID_MESSAGE });

    const updated = await trx
      .updateTable('accounts')
      .set({ password_hash: passwordHash, awaiting_verification: false })
      .where('account_id', '=', claimed)
      .where('kind', '=', 'customer')
      .where('status', '=', 'active')
      .returning(['account_id', 'email_lower', 'email', 'display_name', 'site_id'])
      .executeTakeFirst();
    if (!updated) throw badRequest(RESET_LINK_INVALID_MESSAGE, { token: RESET_LINK_INVALID_MESSAGE });

    // The link proves the address: an account made from an email alone joins the pickers now (for
    // any other active account this rewrites the terms it has).
    await writeSearchTerms(trx, { accountId: updated.account_id, siteId: updated.site_id!, displayName: updated.display_name ?? '', email: updated.email ?? '' });
    // Other outstanding reset links of the account die with this one.
    await trx
      .updateTable('one_time_tokens')
      .set({ invalidated_at: sql<Date>`now()` })
      .where('account_id', '=', updated.account_id)
      .where('purpose', '=', 'password_reset')
      .where('used_at', 'is', null)
      .where('invalidated_at', 'is', null)
      .execute();
    await deleteSessionsOfAccount(trx, updated.account_id);
    await appendAuditEvent(trx, {
      action: 'customer.password.reset',
      orgId: input.site.orgId,
      siteId: input.site.id,
      actorId: updated.account_id,
      targetId: updated.account_id,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      details: { via: 'password_reset_link' },
    });
    return updated;
  });
  // The customer proved they own the mailbox: the failures counted against the account from every
  // address, and from this one, no longer count (other addresses keep theirs).
  const accountKey = accountThrottleKey({ siteId: input.site.id }, account.email_lower ?? '');
  await resetThrottle(ctx.db, [accountKey, accountAddressThrottleKey(accountKey, throttleAddress(ctx.ip))]);
}
