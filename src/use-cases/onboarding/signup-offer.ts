import type { AnonymousContext } from '../context.js';
import { findSignupSettings } from '../../db/queries/signup.js';

/**
 * Whether the site's help center offers sign-up (its login page then links to the form) and whether
 * it needs login to be browsed. Public: both are meant to be found; the domain list is not shown
 * (the form says when one refuses).
 */
export async function getSignupOffer(ctx: AnonymousContext, input: { site: { id: string } }): Promise<{ customerSignup: boolean; loginRequired: boolean }> {
  const settings = await findSignupSettings(ctx.db, input.site.id);
  return { customerSignup: settings?.customerSignup ?? false, loginRequired: settings?.loginRequired ?? true };
}
