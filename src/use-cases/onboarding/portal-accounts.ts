import type { Transaction } from 'kysely';
import type { Database, OneTimeTokenPurpose } from '../../db/schema.js';
import { appendAuditEvent } from '../../db/queries/audit.js';
import { insertCustomerIfNew } from '../../db/queries/customers.js';
import { findSignupSettings } from '../../db/queries/signup.js';
import { issueOneTimeToken } from '../../db/queries/one-time-tokens.js';
import { validCustomerEmail } from '../../domain/customer-email.js';
import { normalizeForSearch } from '../../domain/search-terms.js';
import { signupDomainAllowed, VERIFICATION_LINK_HOURS } from '../../domain/signup.js';
import type { AppContext } from '../context.js';

// The portal-only account made from an email address, by sign-up (sign-up.ts) and by mail from an
// unknown sender (requests by email), per the site's sign-up settings (docs/product.md#signup) —
// and the set-password mails of sign-up and invitations.

type Trx = Transaction<Database>;

/** What these mails need of a site. */
export interface OnboardingSite {
  id: string;
  orgId: string;
  slug: string;
  name: string;
}

export type PortalAccountByEmail =
  /** a new active account without a password; a set-password (verification) link was mailed */
  | { outcome: 'created'; accountId: string }
  /** the site already has an account with this email (any case): nothing was changed or mailed */
  | { outcome: 'existing'; accountId: string; status: 'active' | 'revoked'; hasPassword: boolean }
  /** the site's settings refuse it: sign-up is off, or the domain is not listed; nothing was written */
  | { outcome: 'refused'; reason: 'signup_closed' | 'domain_not_allowed' | 'invalid_email' };

export interface PortalAccountByEmailInput {
  site: OnboardingSite;
  email: string;
  /** the name the person gave (sign-up form, a mail's From name); empty: the email */
  displayName?: string;
  /** what made it, for the audit event: the help center's sign-up form, or a mail to a project */
  via: 'signup' | 'email';
}

/**
 * Creates a portal-only customer account of the site for an email address, per the site's sign-up
 * settings (on, and the address's domain listed when any are), and mails it a link to verify the
 * address by choosing a password (valid VERIFICATION_LINK_HOURS). Until then the account has no
 * password, so nobody can log in to it, and no picker offers it (set-password-from-link.ts adds it). Inside the caller's transaction; one email, one account per
 * site whatever the case and however many run at once (insertCustomerIfNew).
 * An address the site already has is left as it is: the caller decides what, if anything, to mail.
 */
export async function createPortalAccountByEmailInTransaction(
  ctx: AppContext,
  trx: Trx,
  input: PortalAccountByEmailInput,
): Promise<PortalAccountByEmail> {
  const email = validCustomerEmail(input.email);
  if (!email) return { outcome: 'refused', reason: 'invalid_email' };
  const settings = await findSignupSettings(trx, input.site.id);
  if (!settings?.customerSignup) return { outcome: 'refused', reason: 'signup_closed' };
  if (!signupDomainAllowed(email, settings.domains)) return { outcome: 'refused', reason: 'domain_not_allowed' };

  const displayName = input.displayName?.trim() || email;
  // not in any picker until the address is verified: strangers cannot fill other people's pickers
  const accountId = await insertCustomerIfNew(trx, { siteId: input.site.id, email, displayName, pickable: false });
  if (!accountId) {
    const existing = await trx
      .selectFrom('accounts')
      .select(['account_id', 'status', 'password_hash'])
      .where('kind', '=', 'customer')
      .where('site_id', '=', input.site.id)
      .where('email_lower', '=', normalizeForSearch(email))
      .executeTakeFirstOrThrow();
    return {
      outcome: 'existing',
      accountId: existing.account_id,
      status: existing.status === 'active' ? 'active' : 'revoked',
      hasPassword: existing.password_hash !== null,
    };
  }
  await appendAuditEvent(trx, {
    action: 'customer.signed_up',
    orgId: input.site.orgId,
    siteId: input.site.id,
    // the person who gave the address acted (the log names them, not "System"); it is not yet verified
    actorId: accountId,
    targetId: accountId,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    details: { email, via: input.via },
  });
  await mailSetPasswordLink(ctx, trx, { site: input.site, account: { accountId, email, displayName }, purpose: 'verification', hours: VERIFICATION_LINK_HOURS, via: input.via });
  return { outcome: 'created', accountId };
}

/**
 * createPortalAccountByEmailInTransaction in its own transaction: the function to call from
 * anywhere that has only an email address (docs/product.md#signup).
 */
export async function createPortalAccountByEmail(ctx: AppContext, input: PortalAccountByEmailInput): Promise<PortalAccountByEmail> {
  return ctx.db.transaction().execute((trx) => createPortalAccountByEmailInTransaction(ctx, trx, input));
}

/** The help-center page a set-password link opens (both sign-up's verification and invitations). */
export function setPasswordUrl(ctx: AppContext, site: OnboardingSite, token: string): string {
  return `${ctx.origin}/s/${encodeURIComponent(site.slug)}/servicedesk/customer/user/set-password?token=${encodeURIComponent(token)}`;
}

/**
 * Issues a one-time set-password link for an account without a password (earlier links of the same
 * purpose die) and mails it, in the caller's transaction: the verification of a sign-up, or an
 * invitation from an agent.
 */
export async function mailSetPasswordLink(
  ctx: AppContext,
  trx: Trx,
  input: {
    site: OnboardingSite;
    account: { accountId: string; email: string; displayName: string };
    purpose: Extract<OneTimeTokenPurpose, 'verification' | 'invitation'>;
    hours: number;
    invitedBy?: string;
    /** what made the account being verified: the sign-up form, or a mail to a project's mailbox */
    via?: 'signup' | 'email';
  },
): Promise<void> {
  const token = await issueOneTimeToken(trx, { accountId: input.account.accountId, siteId: input.site.id, purpose: input.purpose, hours: input.hours });
  const link = setPasswordUrl(ctx, input.site, token);
  const within = input.hours % 24 === 0 ? `${input.hours / 24} day${input.hours === 24 ? '' : 's'}` : `${input.hours} hours`;
  const invitation = input.purpose === 'invitation';
  await ctx.mailer.send(trx, {
    to: input.account.email,
    subject: invitation ? `You are invited to the ${input.site.name} help center` : `Confirm your email for the ${input.site.name} help center`,
    body: [
      `Hello ${input.account.displayName},`,
      '',
      invitation
        ? `${input.invitedBy ?? 'The support team'} invited you to the ${input.site.name} help center, where you can raise requests and follow them.`
        : input.via === 'email'
          ? `We received your mail and made you an account at the ${input.site.name} help center with this email address, where you can follow your requests.`
          : `Someone, hopefully you, signed up for the ${input.site.name} help center with this email address.`,
      `To ${invitation ? 'accept' : 'confirm it'}, choose your password within ${within}:`,
      '',
      link,
      '',
      invitation
        ? 'The link works once. If you do not want an account, ignore this message.'
        : input.via === 'email'
          ? 'The link works once. You can also go on writing to us by mail without one.'
          : 'The link works once. If you did not sign up, ignore this message: no one can log in without it.',
    ].join('\n'),
    orgId: input.site.orgId,
    siteId: input.site.id,
    recipientId: input.account.accountId,
  });
}

/** To an active customer who signed up again: they have an account; the way back in is a password reset. */
export async function mailAlreadyHaveAccount(ctx: AppContext, trx: Trx, input: { site: OnboardingSite; account: { accountId: string; email: string; displayName: string } }): Promise<void> {
  const forgot = `${ctx.origin}/s/${encodeURIComponent(input.site.slug)}/servicedesk/customer/user/forgot-password`;
  await ctx.mailer.send(trx, {
    to: input.account.email,
    subject: `You already have an account for the ${input.site.name} help center`,
    body: [
      `Hello ${input.account.displayName},`,
      '',
      `Someone, hopefully you, tried to sign up for the ${input.site.name} help center with this email address,`,
      'but you already have an account there. Log in with your password, or if you forgot it, reset it here:',
      '',
      forgot,
      '',
      'If you did not try to sign up, ignore this message: nothing has changed.',
    ].join('\n'),
    orgId: input.site.orgId,
    siteId: input.site.id,
    recipientId: input.account.accountId,
  });
}
