import type { AnonymousContext } from '../context.js';
import { AppError, badRequest, forbidden } from '../../domain/errors.js';
import { CUSTOMER_EMAIL_INVALID, validCustomerEmail } from '../../domain/customer-email.js';
import { validDisplayName } from '../../domain/display-name.js';
import { throttleAddress, tryAgainIn } from '../../domain/login-throttle.js';
import { signupAddressKey, signupDomainAllowed, signupEmailKey, signupThrottleLimits } from '../../domain/signup.js';
import { countAttempt } from '../../db/queries/throttle.js';
import { findSignupSettings } from '../../db/queries/signup.js';
import { createPortalAccountByEmailInTransaction, mailAlreadyHaveAccount, mailSetPasswordLink, type OnboardingSite } from './portal-accounts.js';
import { VERIFICATION_LINK_HOURS } from '../../domain/signup.js';

export const SIGNUP_ACCEPTED_MESSAGE = 'Check your mail: we sent a link to confirm your email address and choose a password.';
export const SIGNUP_CLOSED_MESSAGE = 'This help center does not take sign-ups. Ask its team to invite you.';
export const SIGNUP_DOMAIN_MESSAGE = 'Sign-up here is limited to email addresses of certain domains. Ask the team to invite you.';
/** What a throttled sign-up is told: when to try again (the Retry-After header's seconds, in words). */
export function signupThrottledMessage(retryAfterSeconds: number): string {
  return `Too many sign-ups. Try again ${tryAgainIn(retryAfterSeconds)}.`;
}

export class SignupThrottledError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', signupThrottledMessage(retryAfterSeconds));
  }
}

/**
 * The help center's sign-up form (docs/product.md#signup), in two steps so that the answer cannot
 * tell whether the email already has an account. Before the answer, only what depends on the site
 * and on what was typed: sign-up is on (else 403), the email valid and of a listed domain (400), the
 * name valid (400), and the attempt counted per address and per email (429) — the same work for
 * every address. `afterAnswer` then, once the answer has gone out (http/after-response.ts): creates
 * the account and mails its verification link; for an active customer who has a password mails "you
 * already have an account"; one without a password yet (never verified) gets a fresh link; a revoked
 * one gets nothing.
 */
export async function signUpCustomer(
  ctx: AnonymousContext,
  input: { site: OnboardingSite; email: string; displayName: string },
): Promise<{ afterAnswer: () => Promise<void> }> {
  const settings = await findSignupSettings(ctx.db, input.site.id);
  if (!settings?.customerSignup) throw forbidden(SIGNUP_CLOSED_MESSAGE);
  const email = validCustomerEmail(input.email);
  if (!email) throw badRequest(CUSTOMER_EMAIL_INVALID, { email: 'Enter a valid email address.' });
  if (!signupDomainAllowed(email, settings.domains)) throw badRequest(SIGNUP_DOMAIN_MESSAGE, { email: SIGNUP_DOMAIN_MESSAGE });
  const displayName = validDisplayName(input.displayName);

  const limits = signupThrottleLimits(ctx.config.signupThrottle);
  const byAddress = await countAttempt(ctx.db, signupAddressKey(throttleAddress(ctx.ip)), limits.perAddress, limits.windowMinutes);
  const byEmail = await countAttempt(ctx.db, signupEmailKey(input.site.id, email), limits.perEmail, limits.windowMinutes);
  const refused = [byAddress, byEmail].filter((k) => k.failures > (k === byAddress ? limits.perAddress : limits.perEmail));
  if (refused.length > 0) throw new SignupThrottledError(Math.max(60, ...refused.map((k) => k.lockedSeconds)));

  return {
    afterAnswer: () =>
      ctx.db.transaction().execute(async (trx) => {
        const made = await createPortalAccountByEmailInTransaction(ctx, trx, { site: input.site, email, displayName, via: 'signup' });
        if (made.outcome !== 'existing' || made.status !== 'active') return;
        const account = { accountId: made.accountId, email, displayName };
        const stored = await trx.selectFrom('accounts').select(['email', 'display_name']).where('account_id', '=', made.accountId).executeTakeFirstOrThrow();
        account.email = stored.email ?? email;
        account.displayName = stored.display_name ?? displayName;
        if (made.hasPassword) await mailAlreadyHaveAccount(ctx, trx, { site: input.site, account });
        else await mailSetPasswordLink(ctx, trx, { site: input.site, account, purpose: 'verification', hours: VERIFICATION_LINK_HOURS });
      }),
  };
}
