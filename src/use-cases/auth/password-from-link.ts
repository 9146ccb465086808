import type { AnonymousContext } from '../context.js';
import { auditSiteChangeBy } from '../audit.js';
import { openSessionInTransaction } from './open-session.js';
import { badRequest } from '../../domain/errors.js';
import { hashPassword, passwordProblem } from '../../domain/passwords.js';
import { deleteSessionsOfAccount, type NewSession } from '../../db/queries/session-store.js';
import { resetThrottle } from '../../db/queries/throttle.js';
import { writeSearchTerms } from '../../db/queries/customers.js';
import { claimOneTimeToken, endOutstandingTokens, findLiveOneTimeToken } from '../../db/queries/one-time-tokens.js';
import type { OneTimeTokenPurpose } from '../../db/schema.js';
import type { SiteRef } from '../../domain/policies.js';
import { accountAddressThrottleKey, accountThrottleKey, throttleAddress } from '../../domain/login-throttle.js';

/** What every link that sets a password answers when it does not work (used, replaced, expired, another site's, a revoked account's). */
export const LINK_INVALID_MESSAGE = 'This link is no longer valid.';

export interface LinkAccount {
  accountId: string;
  displayName: string;
  email: string;
}

/** One use of a link that sets a password: which links it may be, and what its use does besides. */
export interface LinkUse {
  site: SiteRef;
  token: string;
  password: string;
  purposes: OneTimeTokenPurpose[];
  /** the account's other outstanding links that end with this one: of these purposes, or every one */
  ending: OneTimeTokenPurpose[] | 'all';
  audit: (purpose: OneTimeTokenPurpose) => { action: string; details: Record<string, unknown> };
  /** whether the customer is signed in by it (a new session, as every sign-in opens) */
  signIn: boolean;
}

/**
 * Sets a customer's password from a one-time link: a reset link, or a sign-up's verification or an
 * invitation (docs/product.md, "Help center" and "Sign-up and invitations"). Whoever holds the link reads the
 * mailbox it went to, so the link proves the address, whatever its purpose:
 *
 * - the link is checked before the password, so someone with a dead link is not asked to retry it;
 * - it works once (of two uses at once, one wins), within its time, on its own site, while the
 *   account is an active customer of that site (a revoke ends it);
 * - in one transaction: the password is set and the address counts as verified, the account joins
 *   the pickers (or its terms are rewritten alike), the account's other outstanding links of
 *   `ending` die with this one, every session ends, the event is audited with the customer as the
 *   actor, and with `signIn` a new session opens as at any sign-in (open-session.ts);
 * - after it, the failed sign-ins counted against the account from every address, and from this
 *   one, no longer count (other addresses keep theirs).
 */
export async function setPasswordFromOneTimeLink(ctx: AnonymousContext, input: LinkUse & { signIn: true }): Promise<{ account: LinkAccount; session: NewSession }>;
export async function setPasswordFromOneTimeLink(ctx: AnonymousContext, input: LinkUse & { signIn: false }): Promise<{ account: LinkAccount; session: undefined }>;
export async function setPasswordFromOneTimeLink(ctx: AnonymousContext, input: LinkUse): Promise<{ account: LinkAccount; session: NewSession | undefined }> {
  const refused = () => badRequest(LINK_INVALID_MESSAGE, { token: LINK_INVALID_MESSAGE });
  const link = await findLiveOneTimeToken(ctx.db, { siteId: input.site.id, token: input.token, purposes: input.purposes });
  if (!link) throw refused();
  const problem = passwordProblem(input.password);
  if (problem) throw badRequest(problem, { password: problem });
  const passwordHash = await hashPassword(input.password);

  const result = await ctx.db.transaction().execute(async (trx) => {
    const claimed = await claimOneTimeToken(trx, link.id);
    if (!claimed) throw refused();
    const updated = await trx
      .updateTable('accounts')
      .set({ password_hash: passwordHash, awaiting_verification: false })
      .where('account_id', '=', claimed)
      .where('kind', '=', 'customer')
      .where('site_id', '=', input.site.id)
      .where('status', '=', 'active')
      .returning(['account_id', 'email', 'email_lower', 'display_name'])
      .executeTakeFirst();
    if (!updated) throw refused();
    const account = { accountId: updated.account_id, displayName: updated.display_name ?? '', email: updated.email ?? '' };

    await writeSearchTerms(trx, { accountId: account.accountId, siteId: input.site.id, displayName: account.displayName, email: account.email });
    await endOutstandingTokens(trx, [account.accountId], input.ending === 'all' ? undefined : input.ending).execute();
    await deleteSessionsOfAccount(trx, account.accountId);
    const { action, details } = input.audit(link.purpose);
    await auditSiteChangeBy(trx, ctx, { kind: 'account', accountId: account.accountId }, input.site, action, details, account.accountId);
    const session = input.signIn ? await openSessionInTransaction(ctx, trx, { accountId: account.accountId, siteId: input.site.id }) : undefined;
    return { account, session, emailLower: updated.email_lower ?? '' };
  });
  const accountKey = accountThrottleKey({ siteId: input.site.id }, result.emailLower);
  await resetThrottle(ctx.db, [accountKey, accountAddressThrottleKey(accountKey, throttleAddress(ctx.ip))]);
  return { account: result.account, session: result.session };
}
