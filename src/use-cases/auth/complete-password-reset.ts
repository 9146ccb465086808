import type { AnonymousContext } from '../context.js';
import { LINK_INVALID_MESSAGE, setPasswordFromOneTimeLink } from './password-from-link.js';

export const RESET_LINK_INVALID_MESSAGE = LINK_INVALID_MESSAGE;

/**
 * Sets a customer's new password from a one-time reset link (password-from-link.ts says what every
 * such link does). The account's other outstanding reset links die with this one; it is not signed
 * in (the help center sends them to sign in with the new password).
 */
export async function completePasswordReset(
  ctx: AnonymousContext,
  input: { site: { id: string; orgId: string }; token: string; password: string },
): Promise<void> {
  await setPasswordFromOneTimeLink(ctx, {
    ...input,
    purposes: ['password_reset'],
    ending: ['password_reset'],
    audit: () => ({ action: 'customer.password.reset', details: { via: 'password_reset_link' } }),
    activeNow: false,
    alsoInTransaction: async () => undefined,
  });
}
