import type { AnonymousContext } from '../context.js';
import { badRequest } from '../../domain/errors.js';
import { findLiveOneTimeToken } from '../../db/queries/one-time-tokens.js';
import { LINK_INVALID_MESSAGE, setPasswordFromOneTimeLink } from '../auth/password-from-link.js';
import type { OnboardingSite } from './portal-accounts.js';

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
  if (!link) throw badRequest(LINK_INVALID_MESSAGE, { token: LINK_INVALID_MESSAGE });
  return { purpose: link.purpose as SetPasswordLink['purpose'], email: link.email, displayName: link.displayName };
}

/**
 * Sets the password of an account from its verification or invitation link and signs it in
 * (docs/product.md#signup): the link proves the mailbox, so this is the address's verification
 * (password-from-link.ts says what every such link does). Every other outstanding link of the
 * account dies with it, and the event is `customer.signup.verified` or `customer.invitation.accepted`.
 */
export async function setPasswordFromLink(
  ctx: AnonymousContext,
  input: { site: OnboardingSite; token: string; password: string },
): Promise<{ sessionId: string; csrfToken: string; account: { accountId: string; displayName: string; email: string } }> {
  const { account, session } = await setPasswordFromOneTimeLink(ctx, {
    ...input,
    purposes: [...SETUP_PURPOSES],
    ending: 'all',
    audit: (purpose) => ({ action: purpose === 'invitation' ? 'customer.invitation.accepted' : 'customer.signup.verified', details: {} }),
    signIn: true,
  });
  return { sessionId: session.sessionId, csrfToken: session.csrfToken, account };
}
