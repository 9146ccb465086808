import type { AnonymousContext } from '../context.js';
import { findSignupSettings } from '../../db/queries/signup.js';

/**
 * Whether the site's help center offers sign-up (its login page then links to the form). Public: a
 * site's sign-up is meant to be found; its domain list is not shown (the form says when one refuses).
 */
export async function getSignupOffer(ctx: AnonymousContext, input: { site: { id: string } }): Promise<{ customerSignup: boolean }> {
  const settings = await findSignupSettings(ctx.db, input.site.id);
  return { customerSignup: settings?.customerSignup ?? false };
}
