import type { ActorContext } from '../context.js';
import { auditSiteChangeBy, authorAccountId, authorOf, type ChangeAuthor } from '../audit.js';
import type { AppContext } from '../context.js';
import type { SiteRow } from '../../db/queries/sites.js';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { applyGrant, applyRevoke } from '../../db/queries/customer-access.js';
import { findCustomersInSite, isCustomerAccountId, lockCustomersInSite, type CustomerRecord } from '../../db/queries/customer-records.js';
import { decideCustomerTarget } from '../../domain/policies/customers.js';
import { authorizeSiteAction } from '../customers/customer-admin.js';
import { planTransition } from '../../domain/account-state.js';
import { displayLabel } from '../../domain/display.js';
import { badRequest } from '../../domain/errors.js';
import type { AccountStatus } from '../../db/schema.js';
import { accessFootprints } from '../../db/queries/access-footprint.js';
import { sumFootprints, type AccessFootprint } from '../../domain/access-footprint.js';
import { checkNote, mailAccessNotices, noteDetails, type AccessChangeNote, type CheckedNote } from './access-notice.js';
import { publishCustomerEvent, publisherOf } from '../webhooks/publish-customer-event.js';

export const BULK_MAX = 1000;

export type BulkOutcome = 'changed' | 'unchanged' | 'not_found';

export interface BulkAccountResult {
  accountId: string;
  /** the label the account has after the (planned) change; null when not found */
  label: string | null;
  outcome: BulkOutcome;
  from: AccountStatus | null;
  to: AccountStatus | null;
}

export interface BulkResult {
  dryRun: boolean;
  changed: number;
  results: BulkAccountResult[];
  /** a revoke's dry run: what revoking the customers it would change touches, summed (docs/product.md#footprint) */
  footprint?: AccessFootprint;
}

/**
 * Bulk revoke or grant of up to 1,000 customers of one site (docs/product.md#tenancy).
 * - Dry run: reports per account what would change, writes nothing.
 * - Real run: all-or-nothing in ONE transaction; rows locked in account_id order (no deadlock with
 *   another bulk run or a single revoke); each real change writes its own audit event, exactly as a
 *   single revoke/grant would, so the audit log tells who lost or got access whatever the screen.
 * - An id that is malformed, unknown, deleted or of another site is `not_found`. In a dry run that is
 *   just reported; in a real run it refuses the whole request with 400 and changes nothing, because an
 *   admin who asked for N accounts must not silently get fewer (run the dry run to see which).
 * Ids are de-duplicated, results keep the order of first appearance.
 */
export async function bulkChangeCustomerAccess(
  ctx: ActorContext,
  input: { siteSlug: string; action: 'revoke' | 'grant'; accountIds: string[]; dryRun: boolean; note?: AccessChangeNote },
): Promise<BulkResult> {
  const site = await authorizeSiteAction(ctx, input.siteSlug, input.action);
  const note = checkNote(input.note ?? {});
  if (input.accountIds.length === 0) throw badRequest('Select at least one customer.', { accountIds: 'Select at least one customer.' });
  if (input.accountIds.length > BULK_MAX) {
    const m = `At most ${BULK_MAX} customers can be changed at once.`;
    throw badRequest(m, { accountIds: m });
  }
  const ids = [...new Set(input.accountIds)];
  const wellFormed = ids.filter(isCustomerAccountId);
  const actorId = ctx.actor.accountId;

  const plan = (found: CustomerRecord[]): BulkAccountResult[] => {
    // a deleted customer is as unknown to the admin as an account of another site (policies)
    const byId = new Map(found.filter((c) => decideCustomerTarget(c) === 'allow').map((c) => [c.accountId, c]));
    return ids.map((accountId) => {
      const c = byId.get(accountId);
      if (!c) return { accountId, label: null, outcome: 'not_found', from: null, to: null };
      const p = planTransition(c.status, input.action);
      const to = p.kind === 'change' ? p.to : c.status;
      return {
        accountId,
        label: displayLabel({ display_name: c.displayName, status: to }),
        outcome: p.kind === 'change' ? 'changed' : 'unchanged',
        from: c.status,
        to,
      };
    });
  };
  const countChanged = (rs: BulkAccountResult[]) => rs.filter((r) => r.outcome === 'changed').length;

  if (input.dryRun) {
    const results = plan(await findCustomersInSite(ctx.db, site.id, wellFormed));
    if (input.action !== 'revoke') return { dryRun: true, changed: countChanged(results), results };
    const changing = results.filter((r) => r.outcome === 'changed').map((r) => r.accountId);
    const footprint = sumFootprints([...(await accessFootprints(ctx.db, site.id, changing)).values()].map((f) => f.footprint));
    return { dryRun: true, changed: countChanged(results), results, footprint };
  }

  const result = await ctx.db.transaction().execute(async (trx): Promise<BulkResult> => {
    const locked = await lockCustomersInSite(trx, site.id, wellFormed);
    const results = plan(locked);
    const missing = results.filter((r) => r.outcome === 'not_found').map((r) => r.accountId);
    if (missing.length) {
      const shown = missing.slice(0, 10).join(', ') + (missing.length > 10 ? ` and ${missing.length - 10} more` : '');
      const m = `Nothing was changed: ${missing.length} of the selected accounts ${missing.length === 1 ? 'is' : 'are'} not customers of this site (${shown}).`;
      throw badRequest(m, { accountIds: m });
    }
    const changing = new Set(results.filter((r) => r.outcome === 'changed').map((r) => r.accountId));
    const toChange = locked.filter((c) => changing.has(c.accountId));
    await applyAccessChangeToCustomers(trx, ctx, authorOf(ctx), site, input.action, toChange, note, { bulk: true });
    return { dryRun: false, changed: toChange.length, results };
  });
  ctx.counters?.customerAccessChanged(input.action, result.changed);
  return result;
}

/**
 * The one bulk change of access, once the customers are locked and known to change (an admin's bulk
 * revoke or grant, an access review being applied — use-cases/access-reviews): the writes of
 * db/queries/customer-access.ts, one audit event per customer exactly as a single revoke or grant
 * writes it (with `details` added: `bulk`, the review), the notices if asked for and the
 * organization's webhooks, all in the caller's transaction.
 */
export async function applyAccessChangeToCustomers(
  trx: Transaction<Database>,
  ctx: AppContext,
  author: ChangeAuthor,
  site: SiteRow,
  action: 'revoke' | 'grant',
  customers: CustomerRecord[],
  note: CheckedNote,
  details: Record<string, unknown>,
  /** what the webhook events say beyond the customer: the review a revoke comes from */
  webhookExtra: { accessReview?: { id: string } } = {},
): Promise<void> {
  if (customers.length === 0) return;
  const now = new Date();
  const event = action === 'revoke' ? 'customer.access.revoked' : 'customer.access.granted';
  if (action === 'revoke') await applyRevoke(trx, customers.map((c) => c.accountId), authorAccountId(author), now, note.reason);
  else await applyGrant(trx, customers, now);
  for (const c of customers) {
    await auditSiteChangeBy(trx, ctx, author, site, event, { ...details, ...noteDetails(note) }, c.accountId);
  }
  await mailAccessNotices(trx, ctx, site, action === 'revoke' ? 'revoked' : 'granted', customers, note);
  await publishCustomerEvent(
    trx,
    publisherOf(ctx, authorAccountId(author)),
    site,
    event,
    customers.map((c) => ({ accountId: c.accountId, status: action === 'revoke' ? 'revoked' : 'active' })),
    webhookExtra,
  );
}
