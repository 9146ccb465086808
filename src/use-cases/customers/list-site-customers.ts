import type { ActorContext } from '../context.js';
import type { CustomerRecord } from '../../db/queries/customer-records.js';
import { countCustomers, listCustomers, type CustomerSort } from '../../db/queries/customer-list.js';
import { authorizeSiteAction, customerListQuery } from './customer-admin.js';
import { pageOffset } from '../../domain/limits.js';
import { pendingEmails } from '../../db/queries/email-changes.js';

export const CUSTOMER_PAGE_SIZE = 50;
export const CUSTOMER_PAGE_MAX = 100;

export interface CustomerPage {
  start: number;
  limit: number;
  total: number;
  isLastPage: boolean;
  values: CustomerRecord[];
  /** the pending new address of the listed customers that have one (docs/product.md#change-customer-email) */
  pendingEmails: Map<string, string>;
}

/**
 * The admin console's list of a site's portal-only customers (org admins of its org and its site
 * admins; docs/product.md#roles and docs/product.md#admin-console): search by name or email (word prefix, case-insensitive), status
 * filter, 50 per page in name order, with the total and any pending email change. Deleted customers are not listed.
 */
export async function listSiteCustomers(
  ctx: ActorContext,
  input: { siteSlug: string; query?: string; status?: string; inactiveDays?: number; sort?: CustomerSort; start?: number; limit?: number },
): Promise<CustomerPage> {
  const site = await authorizeSiteAction(ctx, input.siteSlug, 'list');
  const filterInput = customerListQuery(input);
  const start = pageOffset(input.start);
  const limit = Math.max(1, Math.min(CUSTOMER_PAGE_MAX, Math.floor(input.limit ?? CUSTOMER_PAGE_SIZE)));
  const filter = { siteId: site.id, ...filterInput };
  const sort = input.sort ?? 'name';
  const [values, total] = await Promise.all([listCustomers(ctx.db, filter, { offset: start, limit, sort }), countCustomers(ctx.db, filter)]);
  const pending = await pendingEmails(ctx.db, site.id, values.map((v) => v.accountId));
  return { start, limit, total, isLastPage: start + values.length >= total, values, pendingEmails: pending };
}
