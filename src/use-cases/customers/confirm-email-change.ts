import type { AnonymousContext } from '../context.js';
import type { SiteRow } from '../../db/queries/sites.js';
import { AppError, badRequest } from '../../domain/errors.js';
import { appendAuditEvent } from '../../db/queries/audit.js';
import { claimOneTimeToken } from '../../db/queries/one-time-tokens.js';
import { dropEmailChange, emailTakenOnSite, findLiveEmailChange } from '../../db/queries/email-changes.js';
import { lockCustomerInSite } from '../../db/queries/customer-records.js';
import { endSessionsAndTokens } from '../../db/queries/customer-access.js';
import { writeSearchTerms } from '../../db/queries/customers.js';
import { normalizeForSearch } from '../../domain/search-terms.js';
import { publishCustomerEvent, publisherOf } from '../webhooks/publish-customer-event.js';

export const EMAIL_CHANGE_LINK_INVALID = 'This link is no longer valid.';
export const EMAIL_CHANGE_TAKEN_AT_CONFIRM = 'This email address is already used by another account of this help center, so the change was not made.';

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

/**
 * The new address confirms an admin's email change by its link (docs/product.md#change-customer-email;
 * nobody need be signed in). The email and what derives from it (email_lower, picker terms) change;
 * the account id and so every reference, the password and the access state stay. Every session ends,
 * and every other outstanding link of the account dies (they were mailed to the old address). The
 * OLD address is told. Audit `customer.email.changed` with the customer as the actor.
 * A dead, used or forged link: 400 "This link is no longer valid."; the address taken since the
 * request: 409, and the pending change is dropped. Only an active customer's link works (a revoke
 * invalidates it).
 */
export async function confirmEmailChange(ctx: AnonymousContext, input: { site: SiteRow; token: string }): Promise<{ email: string }> {
  const site = input.site;
  const live = await findLiveEmailChange(ctx.db, { siteId: site.id, token: input.token });
  if (!live) throw badRequest(EMAIL_CHANGE_LINK_INVALID, { token: EMAIL_CHANGE_LINK_INVALID });
  let taken = false;
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const customer = await lockCustomerInSite(trx, site.id, live.accountId);
      if (!customer || customer.status !== 'active') throw badRequest(EMAIL_CHANGE_LINK_INVALID, { token: EMAIL_CHANGE_LINK_INVALID });
      const claimed = await claimOneTimeToken(trx, live.tokenId);
      if (!claimed) throw badRequest(EMAIL_CHANGE_LINK_INVALID, { token: EMAIL_CHANGE_LINK_INVALID });
      if (await emailTakenOnSite(trx, { siteId: site.id, email: live.newEmail, exceptAccountId: customer.accountId })) {
        taken = true;
        throw new AppError('conflict', EMAIL_CHANGE_TAKEN_AT_CONFIRM, { token: EMAIL_CHANGE_TAKEN_AT_CONFIRM });
      }
      const oldEmail = customer.email ?? '';
      await trx
        .updateTable('accounts')
        .set({ email: live.newEmail, email_lower: normalizeForSearch(live.newEmail) })
        .where('account_id', '=', customer.accountId)
        .execute();
      await trx.deleteFrom('email_changes').where('account_id', '=', customer.accountId).execute();
      if (!customer.awaitingVerification) {
        await writeSearchTerms(trx, { accountId: customer.accountId, siteId: site.id, displayName: customer.displayName ?? '', email: live.newEmail });
      }
      // sessions end; reset, invitation and verification links went to the old address and die
      await endSessionsAndTokens(trx, [customer.accountId], new Date());
      if (oldEmail) {
        await ctx.mailer.send(trx, {
          to: oldEmail,
          subject: `The email address of your ${site.name} account was changed`,
          body: [
            `Hello ${customer.displayName ?? ''},`,
            '',
            `The email address of your ${site.name} help center account was changed from this address to ${live.newEmail}.`,
            'You now log in with the new address and your current password. Your requests stay as they were.',
            '',
            'If you did not expect this, contact the administrators of the help center.',
          ].join('\n'),
          orgId: site.orgId,
          siteId: site.id,
          recipientId: customer.accountId,
        });
      }
      await appendAuditEvent(trx, {
        action: 'customer.email.changed',
        orgId: site.orgId,
        siteId: site.id,
        actorId: customer.accountId,
        targetId: customer.accountId,
        ip: ctx.ip,
        userAgent: ctx.userAgent,
        details: { via: 'email_change_link' },
      });
      await publishCustomerEvent(trx, publisherOf(ctx, customer.accountId), site, 'customer.updated', [{ accountId: customer.accountId, status: 'active' }], { changed: ['email'] });
      return { email: live.newEmail };
    });
  } catch (err) {
    // a race lost at the unique index is the same as an address found taken
    if (taken || isUniqueViolation(err)) {
      await dropEmailChange(ctx.db, live.accountId);
      if (isUniqueViolation(err)) throw new AppError('conflict', EMAIL_CHANGE_TAKEN_AT_CONFIRM, { token: EMAIL_CHANGE_TAKEN_AT_CONFIRM });
    }
    throw err;
  }
}
