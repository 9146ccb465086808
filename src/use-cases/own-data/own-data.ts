import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { SiteRow } from '../../db/queries/sites.js';
import type { ErasureRequestRow } from '../../db/queries/own-data.js';

export type { ErasureRequestRow, PendingErasureListRow } from '../../db/queries/own-data.js';
import { badRequest } from '../../domain/errors.js';
import { decideErasureReview, decideOwnData } from '../../domain/policies/own-data.js';
import { enforce } from '../authorize.js';
import type { ActorContext } from '../context.js';

// Shared by the own-data use cases (docs/product.md#own-data): who may act, the limits of the
// free-text fields, the mail that tells the customer of a decision.

/** The customer's own account only: another customer's id is a 404 (as a missing one), staff a 403. */
export function authorizeOwnData(ctx: ActorContext, site: SiteRow, accountId: string): void {
  enforce(decideOwnData(ctx.actor, site, accountId), {
    notFound: 'Customer not found.',
    forbidden: "Only the customer can download their own data or ask for their account to be erased.",
  });
}

export function authorizeErasureReview(ctx: ActorContext, site: SiteRow): void {
  enforce(decideErasureReview(ctx.actor, site), {
    notFound: 'Site not found.',
    forbidden: "Only the site's admins can decide erasure requests.",
  });
}

export const ERASURE_TEXT_MAX = 2000;

/** An optional free text (the customer's reason, the admin's note): trimmed, empty is none, too long a 400. */
export function optionalText(value: string | null | undefined, field: string): string | null {
  const text = (value ?? '').trim();
  if (text.length > ERASURE_TEXT_MAX) {
    const m = `'${field}' must be at most ${ERASURE_TEXT_MAX} characters.`;
    throw badRequest(m, { [field]: m });
  }
  return text === '' ? null : text;
}

/** An erasure request's id from a URL: digits, else a 400 before any lookup. */
export function erasureRequestId(id: string): string {
  if (!/^[1-9][0-9]{0,17}$/.test(id)) {
    const m = `'${id.slice(0, 40)}' is not an erasure request id.`;
    throw badRequest(m, { id: m });
  }
  return id;
}

/**
 * Tells the customer of the site's decision, through the one mailer in the decision's transaction.
 * An approval's mail names no recipient account: the account is deleted in the same transaction,
 * and this confirmation is the last mail its address gets (deliver-mail.ts cancels mail to a
 * deleted recipient).
 */
export async function mailErasureDecision(
  trx: Kysely<Database>,
  ctx: ActorContext,
  site: SiteRow,
  to: { email: string; name: string; accountId: string },
  request: ErasureRequestRow,
): Promise<void> {
  const approved = request.status === 'approved';
  const lines = approved
    ? [
        `Hello ${to.name},`,
        '',
        `${site.name} has erased your account, as you asked. Your name, email address and password are gone;`,
        'your requests and comments stay with the help center and are shown as "Former user".',
        'You will not get any more mail about this account.',
      ]
    : [
        `Hello ${to.name},`,
        '',
        `${site.name} has declined your request to erase your account. Your account stays as it is.`,
        ...(request.decision_note ? ['', 'Their note:', request.decision_note] : []),
        '',
        `You can ask again from your profile: ${ctx.origin}/s/${site.slug}/servicedesk/customer/user/profile`,
      ];
  await ctx.mailer.send(trx, {
    to: to.email,
    subject: approved ? `Your account at ${site.name} has been erased` : `Your erasure request at ${site.name} was declined`,
    body: lines.join('\n'),
    orgId: site.orgId,
    siteId: site.id,
    recipientId: approved ? null : to.accountId,
  });
}
