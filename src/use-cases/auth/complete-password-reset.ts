import type { AnonymousContext } from '../context.js';
import { setPasswordFromOneTimeLink } from './password-from-link.js';

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
    signIn: false,
  });
}
