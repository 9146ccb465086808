import type { ActorContext } from '../context.js';
import { badRequest, notFound } from '../../domain/errors.js';
import { decideSiteSettings } from '../../domain/policies.js';
import { INVITATION_DAYS_MAX, INVITATION_DAYS_MIN, parseSignupDomains, SignupDomainError, type SignupSettings } from '../../domain/signup.js';
import { findSignupSettings, updateSignupSettings } from '../../db/queries/signup.js';
import { findSiteBySlug, type SiteRow } from '../../db/queries/sites.js';
import { enforce } from '../authorize.js';
import { auditSiteChange } from '../audit.js';

// A site's sign-up settings in the admin console and over REST (docs/product.md#signup): its org
// admins and site admins read and change them (domain/policies/site-settings.ts).

async function authorize(ctx: ActorContext, siteSlug: string): Promise<SiteRow> {
  const site = ctx.urlSite?.slug === siteSlug ? ctx.urlSite : await findSiteBySlug(ctx.db, siteSlug);
  if (!site) throw notFound('Site not found.');
  enforce(decideSiteSettings(ctx.actor, site), { notFound: 'Site not found.', forbidden: "You do not have permission to change this site's settings." });
  return site;
}

/** The site's sign-up settings, as the admin console shows them. */
export async function getSignupSettings(ctx: ActorContext, input: { siteSlug: string }): Promise<SignupSettings> {
  const site = await authorize(ctx, input.siteSlug);
  const settings = await findSignupSettings(ctx.db, site.id);
  if (!settings) throw notFound('Site not found.');
  return settings;
}

/**
 * Saves the site's sign-up settings — those the input names; the others stay — (domains checked and
 * lower-cased; invitation days 1–30; 400 naming the field otherwise) and audits the change
 * (`site.signup_settings.changed`, with the old and new values). Saving what is already there writes
 * no event.
 */
export async function saveSignupSettings(
  ctx: ActorContext,
  input: { siteSlug: string } & Partial<Omit<SignupSettings, 'domains'> & { domains: string[] | string }>,
): Promise<SignupSettings> {
  const site = await authorize(ctx, input.siteSlug);
  let domains: string[] | undefined;
  try {
    domains = input.domains === undefined ? undefined : parseSignupDomains(input.domains);
  } catch (error) {
    if (error instanceof SignupDomainError) throw badRequest(error.message, { domains: error.message });
    throw error;
  }
  if (input.invitationDays !== undefined && (!Number.isInteger(input.invitationDays) || input.invitationDays < INVITATION_DAYS_MIN || input.invitationDays > INVITATION_DAYS_MAX)) {
    const message = `Invitation links are valid for ${INVITATION_DAYS_MIN} to ${INVITATION_DAYS_MAX} days.`;
    throw badRequest(message, { invitationDays: message });
  }
  return ctx.db.transaction().execute(async (trx) => {
    const locked = await trx.selectFrom('sites').select('id').where('id', '=', site.id).forUpdate().executeTakeFirst();
    const previous = locked && (await findSignupSettings(trx, site.id));
    if (!previous) throw notFound('Site not found.');
    const next: SignupSettings = {
      customerSignup: input.customerSignup ?? previous.customerSignup,
      domains: domains ?? previous.domains,
      invitationDays: input.invitationDays ?? previous.invitationDays,
      loginRequired: input.loginRequired ?? previous.loginRequired,
    };
    if (JSON.stringify(previous) === JSON.stringify(next)) return next;
    await updateSignupSettings(trx, site.id, next);
    await auditSiteChange(trx, ctx, site, 'site.signup_settings.changed', { from: previous, to: next });
    return next;
  });
}
