import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { auditSiteChangeBy, siteChangeEventBy, type ChangeAuthor } from '../audit.js';
import type { AuditEventInput } from '../../db/queries/audit.js';
import { isCustomerAccountId, lockCustomerInSite, type CustomerRecord } from '../../db/queries/customer-records.js';
import type { CustomerStatusFilter } from '../../db/queries/customer-list.js';
import { findSiteBySlug, type SiteRow } from '../../db/queries/sites.js';
import { badRequest, notFound } from '../../domain/errors.js';
import { decideCustomerAdmin, decideCustomerTarget, type CustomerAdminAction } from '../../domain/policies/customers.js';
import { enforce } from '../authorize.js';
import type { ActorContext, AppContext } from '../context.js';

// The admin console's door to a site's customers, shared by the customer-administration use cases
// (customers/ and customer-access/): the site and the right to act there, the customer acted on,
// the audit event. The rules are domain/policies/customers.ts.

type Trx = Transaction<Database>;

export function assertCustomerAccountId(id: string): void {
  if (!isCustomerAccountId(id)) {
    const msg = `'${id.length > 80 ? id.slice(0, 80) + '…' : id}' is not a valid portal-only account id (expected qm: followed by a UUID).`;
    throw badRequest(msg, { accountId: msg });
  }
}

/**
 * The site of an admin URL and the caller's right to do `action` there: 404 unknown site or another
 * organization's/site's admin, 403 someone with standing on the site but not this right.
 */
export async function authorizeSiteAction(ctx: ActorContext, siteSlug: string, action: CustomerAdminAction): Promise<SiteRow> {
  const site = ctx.urlSite?.slug === siteSlug ? ctx.urlSite : await findSiteBySlug(ctx.db, siteSlug);
  if (!site) throw notFound('Site not found.');
  enforce(decideCustomerAdmin(ctx.actor, site, action), {
    notFound: 'Site not found.',
    forbidden: 'You do not have permission to administer the customers of this site.',
  });
  return site;
}

/**
 * The preamble of an admin action on one customer: a malformed id is a 400 before any lookup, then
 * the caller's right to `action` on the site (404/403 as authorizeSiteAction).
 */
export async function authorizeCustomerAction(
  ctx: ActorContext,
  input: { siteSlug: string; accountId: string },
  action: CustomerAdminAction,
): Promise<SiteRow> {
  assertCustomerAccountId(input.accountId);
  return authorizeSiteAction(ctx, input.siteSlug, action);
}

/** The customer an admin action names, locked for the action's transaction; 404 unless policies allow. */
export async function lockCustomerForAdmin(trx: Trx, site: SiteRow, accountId: string): Promise<CustomerRecord> {
  const customer = await lockCustomerInSite(trx, site.id, accountId);
  enforce(decideCustomerTarget(customer), { notFound: 'Customer not found.' });
  return customer!;
}

/** The audit event of an admin action (or a SCIM change) on one customer of `site`, inside the action's transaction. */
export async function appendCustomerAdminEvent(
  trx: Trx,
  ctx: AppContext,
  author: ChangeAuthor,
  site: SiteRow,
  event: { action: string; targetId: string; details?: Record<string, unknown> },
): Promise<void> {
  await auditSiteChangeBy(trx, ctx, author, site, event.action, event.details ?? {}, event.targetId);
}

/** The event appendCustomerAdminEvent appends, for a change that writes it as a part of its own statement (customer-access/change-customer-access.ts). */
export function customerAdminEvent(ctx: AppContext, author: ChangeAuthor, site: SiteRow, event: { action: string; targetId: string; details?: Record<string, unknown> }): AuditEventInput {
  return siteChangeEventBy(ctx, author, site, event.action, event.details ?? {}, event.targetId);
}

/** "Inactive for more than N days" goes up to ten years. */
export const MAX_INACTIVE_DAYS = 3650;

/** Normalizes the list filters shared by the list and the export; bad values are 400s. */
export function customerListQuery(input: { query?: string; status?: string; inactiveDays?: number }): {
  query: string;
  status: CustomerStatusFilter;
  inactiveDays?: number;
} {
  const status = input.status ?? 'all';
  if (status !== 'all' && status !== 'active' && status !== 'revoked') {
    throw badRequest("'status' must be one of all, active, revoked.", { status: "'status' must be one of all, active, revoked." });
  }
  const query = (input.query ?? '').trim();
  if (query.length > 255) throw badRequest("'query' must be at most 255 characters.", { query: "'query' must be at most 255 characters." });
  const days = input.inactiveDays;
  if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= MAX_INACTIVE_DAYS)) {
    const m = `'inactiveDays' must be a whole number of days from 1 to ${MAX_INACTIVE_DAYS}.`;
    throw badRequest(m, { inactiveDays: m });
  }
  return { query, status, ...(days !== undefined ? { inactiveDays: days } : {}) };
}
