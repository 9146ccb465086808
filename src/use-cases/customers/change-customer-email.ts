import type { ActorContext } from '../context.js';
import type { CustomerRecord } from '../../db/queries/customer-records.js';
import { appendCustomerAdminEvent, authorizeCustomerAction, lockCustomerForAdmin } from './customer-admin.js';
import { authorOf } from '../audit.js';
import { AppError, badRequest } from '../../domain/errors.js';
import { CUSTOMER_EMAIL_INVALID, validCustomerEmail } from '../../domain/customer-email.js';
import { normalizeForSearch } from '../../domain/search-terms.js';
import { dropEmailChange, emailTakenOnSite, storeEmailChange } from '../../db/queries/email-changes.js';

/** How long the confirmation link mailed to the new address works. */
export const EMAIL_CHANGE_LINK_HOURS = 24;

export const EMAIL_TAKEN_MESSAGE = 'Another customer of this site already has this email address.';
export const EMAIL_CHANGE_REVOKED_MESSAGE = "A revoked customer's email cannot be changed: grant access back first.";
export const EMAIL_UNCHANGED_MESSAGE = 'This already is the customer\u2019s email address.';

/** A taken address: 409, with the message on the field. */
export function emailTaken(): AppError {
  return new AppError('conflict', EMAIL_TAKEN_MESSAGE, { email: EMAIL_TAKEN_MESSAGE });
}

/**
 * An admin asks to change a customer's email (docs/product.md#change-customer-email). Nothing about
 * the account changes yet: the change is stored as pending (one per account — a new request
 * replaces the old, whose link dies) and a link valid EMAIL_CHANGE_LINK_HOURS hours is mailed to the
 * NEW address; confirm-email-change.ts applies it. 400 for a malformed address, the current address
 * or a revoked customer; 409 when another customer of the site has the address. Audit
 * `customer.email.change_requested` (the addresses are not copied into the audit log, as for names).
 */
export async function requestCustomerEmailChange(
  ctx: ActorContext,
  input: { siteSlug: string; accountId: string; email: string },
): Promise<{ customer: CustomerRecord; pendingEmail: string; expiresAt: Date }> {
  const site = await authorizeCustomerAction(ctx, input, 'change_email');
  const email = validCustomerEmail(input.email);
  if (!email) throw badRequest(CUSTOMER_EMAIL_INVALID, { email: 'Enter a valid email address.' });
  return ctx.db.transaction().execute(async (trx) => {
    const customer = await lockCustomerForAdmin(trx, site, input.accountId);
    if (customer.status === 'revoked') throw badRequest(EMAIL_CHANGE_REVOKED_MESSAGE);
    if (normalizeForSearch(customer.email ?? '') === normalizeForSearch(email)) throw badRequest(EMAIL_UNCHANGED_MESSAGE, { email: EMAIL_UNCHANGED_MESSAGE });
    if (await emailTakenOnSite(trx, { siteId: site.id, email, exceptAccountId: customer.accountId })) throw emailTaken();
    const { token, expiresAt } = await storeEmailChange(trx, { accountId: customer.accountId, siteId: site.id, newEmail: email, hours: EMAIL_CHANGE_LINK_HOURS });
    const link = `${ctx.origin}/s/${encodeURIComponent(site.slug)}/servicedesk/customer/user/confirm-email?token=${encodeURIComponent(token)}`;
    await ctx.mailer.send(trx, {
      to: email,
      subject: `Confirm your new email address for ${site.name}`,
      body: [
        `Hello ${customer.displayName ?? ''},`,
        '',
        `An administrator of the ${site.name} help center is changing the email address of your account to this one.`,
        `To confirm it, open this link within ${EMAIL_CHANGE_LINK_HOURS} hours:`,
        '',
        link,
        '',
        'The link works once. Until it is opened, your account keeps its current address. If you did not expect this, ignore this message.',
      ].join('\n'),
      orgId: site.orgId,
      siteId: site.id,
      recipientId: customer.accountId,
    });
    await appendCustomerAdminEvent(trx, ctx, authorOf(ctx), site, { action: 'customer.email.change_requested', targetId: customer.accountId });
    return { customer, pendingEmail: email, expiresAt };
  });
}

/** An admin withdraws a customer's pending email change: its link stops working. Audit `customer.email.change_cancelled` when there was one. */
export async function cancelCustomerEmailChange(
  ctx: ActorContext,
  input: { siteSlug: string; accountId: string },
): Promise<{ customer: CustomerRecord; changed: boolean }> {
  const site = await authorizeCustomerAction(ctx, input, 'change_email');
  return ctx.db.transaction().execute(async (trx) => {
    const customer = await lockCustomerForAdmin(trx, site, input.accountId);
    const changed = await dropEmailChange(trx, customer.accountId);
    if (changed) await appendCustomerAdminEvent(trx, ctx, authorOf(ctx), site, { action: 'customer.email.change_cancelled', targetId: customer.accountId });
    return { customer, changed };
  });
}
