import { badRequest, notFound } from '../../domain/errors.js';
import { hasStandingOnSite, type SiteRef } from '../../domain/policies.js';
import type { UseCaseContext } from '../context.js';
import { requireActor } from '../help-center/get-service-desk.js';
import { emailVisibleTo, loadAccounts, staffOfSite, type AccountView } from './get-user.js';
import { searchUsersForPicker, PICKER_MAX_LIMIT } from './search-users-for-picker.js';
import { pageOffset } from '../../domain/limits.js';

export interface SearchSiteUsersInput {
  site: SiteRef;
  /** word-prefix search over names and emails (the one picker) */
  query?: string;
  /** exact lookup of one account */
  accountId?: string;
  /** accounts of the result order to skip (REST startAt) */
  start?: number;
  /** page size, capped at maxLimit */
  limit?: number;
  /** the picker's 50 (default) or USER_SEARCH_MAX_LIMIT for REST user/search */
  maxLimit?: number;
  excludeAccountIds?: string[];
  withTotal?: boolean;
}

export interface SearchSiteUsersResult {
  users: Array<{ account: AccountView; emailVisible: boolean }>;
  total?: number;
}

/**
 * GET /rest/api/3/user/search and /user/picker: ACTIVE people of the site, never a revoked or
 * deleted one (docs/product.md#pickers). Staff of the site search customers and staff; a customer searches
 * the customers of their own site (the help center's "Share with" needs it). Results come from
 * the one picker, in its order: `start` skips accounts of that order, `limit` (at most `maxLimit`)
 * is the page size, so user/search pages through every match.
 */
export async function searchSiteUsers(ctx: UseCaseContext, input: SearchSiteUsersInput): Promise<SearchSiteUsersResult> {
  const actor = requireActor(ctx);
  if (!hasStandingOnSite(actor, input.site)) throw notFound('Site not found.');
  const audience = actor.kind === 'staff' ? 'anyone' : 'customers';
  const start = pageOffset(input.start, 'startAt');

  if (input.accountId !== undefined) {
    const id = input.accountId.trim();
    if (!id || id.length > 128) throw badRequest("'accountId' must be 1 to 128 characters.", { accountId: "'accountId' must be 1 to 128 characters." });
    const account = (await loadAccounts(ctx.db, [id])).get(id);
    const belongs =
      account &&
      account.status === 'active' &&
      !(input.excludeAccountIds ?? []).includes(id) &&
      (account.kind === 'customer' ? account.siteId === input.site.id : audience === 'anyone' && (await staffOfSite(ctx.db, input.site, [id])).has(id));
    const users = belongs && start === 0 ? [{ account: account!, emailVisible: emailVisibleTo(actor, id) }] : [];
    return { users, total: belongs ? 1 : 0 };
  }

  const limit = Math.max(0, Math.floor(input.limit ?? PICKER_MAX_LIMIT));
  if (limit === 0 || !input.query?.trim()) return { users: [], total: input.withTotal ? 0 : undefined };
  const found = await searchUsersForPicker(ctx.db, {
    siteId: input.site.id,
    query: input.query,
    offset: start,
    limit,
    maxLimit: input.maxLimit,
    audience,
    excludeAccountIds: input.excludeAccountIds,
    withTotal: input.withTotal,
  });
  const page = found.users;
  const accounts = await loadAccounts(ctx.db, page.map((u) => u.accountId));
  return {
    users: page
      .map((u) => accounts.get(u.accountId))
      .filter((a): a is AccountView => a !== undefined && a.status === 'active')
      .map((account) => ({ account, emailVisible: emailVisibleTo(actor, account.accountId) })),
    total: found.total,
  };
}
