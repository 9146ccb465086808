import { sql } from 'kysely';
import type { AnonymousContext } from '../context.js';
import { badRequest } from '../../domain/errors.js';
import { hashPassword, passwordProblem } from '../../domain/passwords.js';
import { appendAuditEvent } from '../../db/queries/audit.js';
import { createSession, deleteSessionsOfAccount } from '../../db/queries/session-store.js';
import { writeSearchTerms } from '../../db/queries/customers.js';
import { findLiveOneTimeToken } from '../../db/queries/one-time-tokens.js';
import { claimOneTimeToken } from '../../db/queries/one-time-tokens.js';
import { resetThrottle } from '../../db/queries/throttle.js';
import { accountAddressThrottleKey, accountThrottleKey, throttleAddress } from '../../domain/login-throttle.js';
import type { OnboardingSite } from './portal-accounts.js';

export const SET_PASSWORD_LINK_INVALID = 'This link is no longer valid.';
const SETUP_PURPOSES = ['verification', 'invitation'] as const;

export interface SetPasswordLink {
  purpose: 'verification' | 'invitation';
  email: string;
  displayName: string;
}

/**
 * What a sign-up's verification link or an invitation link is for, so its page can say "Choose a
 * password for alice@example.com". Whoever holds the link reads the mailbox it was sent to. A link
 * used, replaced, expired, of another site, or of an account revoked since (docs/product.md#revoke)
 * is refused with 400 "This link is no longer valid.".
 */
export async function describeSetPasswordLink(ctx: AnonymousContext, input: { site: OnboardingSite; token: string }): Promise<SetPasswordLink> {
  const link = await findLiveOneTimeToken(ctx.db, { siteId: input.site.id, token: input.token, purposes: [...SETUP_PURPOSES] });
  if (!link) throw badRequest(SET_PASSWORD_LINK_INVALID, { token: SET_PASSWORD_LINK_INVALID });
  return { purpose: link.purpose as SetPasswordLink['purpose'], email: link.email, displayName: link.displayName };
}

/**
 * Sets the password of an account from its verification or invitation link and logs it in
 * (docs/product.md#signup): the link proves the mailbox, so this is the address's verification.
 * The link works once, within its time, on its own site, while the account is active; every other
 * outstanding link of the account dies with it, every earlier session ends, and the event is
 * audited (`customer.signup.verified` or `customer.invitation.accepted`) with the customer as actor.
 */
export async function setPasswordFromLink(
  ctx: AnonymousContext,
  input: { site: OnboardingSite; token: string; password: string },
): Promise<{ sessionId: string; csrfToken: string; account: { accountId: string; displayName: string; email: string } }> {
  // the link before the password, so someone with a dead link is not asked to retry it
  const link = await findLiveOneTimeToken(ctx.db, { siteId: input.site.id, token: input.token, purposes: [...SETUP_PURPOSES] });
  if (!link) throw badRequest(SET_PASSWORD_LINK_INVALID, { token: SET_PASSWORD_LINK_INVALID });
  const problem = passwordProblem(input.password);
  if (problem) throw badRequest(problem, { password: problem });
  const passwordHash = await hashPassword(input.password);

  const result = await ctx.db.transaction().execute(async (trx) => {
    const claimed = await claimOneTimeToken(trx, link.id);
    if (!claimed) throw badRequest(SET_PASSWORD_LINK_INVALID, { token: SET_PASSWORD_LINK_INVALID });
    const updated = await trx
      .updateTable('accounts')
      .set({ password_hash: passwordHash, last_active_at: new Date(), awaiting_verification: false })
      .where('account_id', '=', claimed)
      .where('kind', '=', 'customer')
      .where('site_id', '=', input.site.id)
      .where('status', '=', 'active')
      .returning(['account_id', 'email', 'email_lower', 'display_name'])
      .executeTakeFirst();
    if (!updated) throw badRequest(SET_PASSWORD_LINK_INVALID, { token: SET_PASSWORD_LINK_INVALID });

    await trx
      .updateTable('one_time_tokens')
      .set({ invalidated_at: sql<Date>`now()` })
      .where('account_id', '=', updated.account_id)
      .where('used_at', 'is', null)
      .where('invalidated_at', 'is', null)
      .execute();
    // a verified sign-up joins the pickers now (an invited account already is in them: rewritten alike)
    await writeSearchTerms(trx, { accountId: updated.account_id, siteId: input.site.id, displayName: updated.display_name ?? '', email: updated.email ?? '' });
    await deleteSessionsOfAccount(trx, updated.account_id);
    await appendAuditEvent(trx, {
      action: link.purpose === 'invitation' ? 'customer.invitation.accepted' : 'customer.signup.verified',
      orgId: input.site.orgId,
      siteId: input.site.id,
      actorId: updated.account_id,
      targetId: updated.account_id,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      details: {},
    });
    const session = await createSession(trx, {
      accountId: updated.account_id,
      siteId: input.site.id,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      idleMinutes: ctx.config.sessionIdleMinutes,
      absoluteHours: ctx.config.sessionAbsoluteHours,
    });
    return { session, account: { accountId: updated.account_id, displayName: updated.display_name ?? '', email: updated.email ?? '' }, emailLower: updated.email_lower ?? '' };
  });
  // as after a completed reset: proving the mailbox clears the failures counted from here and in all
  const accountKey = accountThrottleKey({ siteId: input.site.id }, result.emailLower);
  await resetThrottle(ctx.db, [accountKey, accountAddressThrottleKey(accountKey, throttleAddress(ctx.ip))]);
  return { sessionId: result.session.sessionId, csrfToken: result.session.csrfToken, account: result.account };
}
