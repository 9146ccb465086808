import type { UseCaseContext } from '../context.js';
import {
  authorizeSiteAction,
  countCustomers,
  listCustomers,
  type CustomerRecord,
  type CustomerStatusFilter,
} from '../../db/queries/customer-admin.js';
import { badRequest } from '../../domain/errors.js';
import { pageOffset } from '../../domain/limits.js';

export const CUSTOMER_PAGE_SIZE = 50;
export const CUSTOMER_PAGE_MAX = 100;

export interface CustomerPage {
  start: number;
  limit: number;
  total: number;
  isLastPage: boolean;
  values: CustomerRecord[];
}

/** Normalizes the list filters shared by the list and the export; bad values are 400s. */
export function customerListQuery(input: { query?: string; status?: string }): { query: string; status: CustomerStatusFilter } {
  const status = input.status ?? 'all';
  if (status !== 'all' && status !== 'active' && status !== 'revoked') {
    throw badRequest("'status' must be one of all, active, revoked.", { status: "'status' must be one of all, active, revoked." });
  }
  const query = (input.query ?? '').trim();
  if (query.length > 255) throw badRequest("'query' must be at most 255 characters.", { query: "'query' must be at most 255 characters." });
  return { query, status };
}

/**
 * The admin console's list of a site's portal-only customers (org admins of its org and its site
 * admins; docs/product.md#roles and docs/product.md#admin-console): search by name or email (word prefix, case-insensitive), status
 * filter, 50 per page in name order, with the total. Deleted customers are not listed.
 */
export async function listSiteCustomers(
  ctx: UseCaseContext,
  input: { siteSlug: string; query?: string; status?: string; start?: number; limit?: number },
): Promise<CustomerPage> {
  const site = await authorizeSiteAction(ctx.db, ctx.actor, input.siteSlug, 'list');
  const { query, status } = customerListQuery(input);
  const start = pageOffset(input.start);
  const limit = Math.max(1, Math.min(CUSTOMER_PAGE_MAX, Math.floor(input.limit ?? CUSTOMER_PAGE_SIZE)));
  const filter = { siteId: site.id, query, status };
  const [values, total] = await Promise.all([listCustomers(ctx.db, filter, { offset: start, limit }), countCustomers(ctx.db, filter)]);
  return { start, limit, total, isLastPage: start + values.length >= total, values };
}
