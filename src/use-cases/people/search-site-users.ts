import { badRequest } from '../../domain/errors.js';
import { decideSiteStanding, decideUserLookup, mayReadEmailOf, pickerAudienceFor, type SiteRef } from '../../domain/policies.js';
import { loadAccounts, type AccountView } from '../../db/queries/accounts.js';
import { staffOfSiteOrganization } from '../../db/queries/organization-staff.js';
import { searchUsersForPicker, PICKER_MAX_LIMIT } from '../../db/queries/user-picker.js';
import { pageOffset } from '../../domain/limits.js';
import { normalizeForSearch, searchTermsFor } from '../../domain/search-terms.js';
import { enforce } from '../authorize.js';
import type { ActorContext } from '../context.js';

export { clampPickerLimit, USER_SEARCH_MAX_LIMIT } from '../../db/queries/user-picker.js';

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
 * deleted one (docs/product.md#pickers). Staff of the site search customers and staff. A customer
 * finds only themselves: the site's customer list is never theirs to browse, and the help center's
 * pickers go through the portal's sharing circle (pick-users.ts, docs/product.md#customer-sharing). Results come from
 * the one picker, in its order: `start` skips accounts of that order, `limit` (at most `maxLimit`)
 * is the page size, so user/search pages through every match.
 */
export async function searchSiteUsers(ctx: ActorContext, input: SearchSiteUsersInput): Promise<SearchSiteUsersResult> {
  const actor = ctx.actor;
  enforce(decideSiteStanding(actor, input.site), { notFound: 'Site not found.' });
  const audience = pickerAudienceFor(actor, 'anyone');
  const start = pageOffset(input.start, 'startAt');

  if (input.accountId !== undefined) {
    const id = input.accountId.trim();
    if (!id || id.length > 128) throw badRequest("'accountId' must be 1 to 128 characters.", { accountId: "'accountId' must be 1 to 128 characters." });
    const account = (await loadAccounts(ctx.db, [id])).get(id);
    const offered =
      account !== undefined &&
      (actor.kind !== 'customer' || id === actor.accountId) &&
      account.status === 'active' &&
      !(input.excludeAccountIds ?? []).includes(id) &&
      (account.kind === 'customer' || audience === 'anyone') &&
      decideUserLookup(actor, input.site, account, account.kind === 'staff' && (await staffOfSiteOrganization(ctx.db, input.site.id, [id])).has(id)) === 'allow';
    const users = offered && start === 0 ? [{ account, emailVisible: mayReadEmailOf(actor, id) }] : [];
    return { users, total: offered ? 1 : 0 };
  }

  const limit = Math.max(0, Math.floor(input.limit ?? PICKER_MAX_LIMIT));
  if (limit === 0 || !input.query?.trim()) return { users: [], total: input.withTotal ? 0 : undefined };
  if (actor.kind === 'customer') return findSelf(ctx, input.query, start, input.excludeAccountIds);
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
  // the picker read each account with its hit (active ones only): no second read
  return {
    users: found.users.map((u) => ({
      account: { accountId: u.accountId, kind: u.kind, siteId: u.siteId, email: u.email, displayName: u.displayName, status: u.status },
      emailVisible: mayReadEmailOf(actor, u.accountId),
    })),
    total: found.total,
  };
}

/** A customer's user search: themselves, when every query word prefixes a word of their name or their email. */
async function findSelf(ctx: ActorContext, query: string, start: number, exclude: string[] | undefined): Promise<SearchSiteUsersResult> {
  const me = (await loadAccounts(ctx.db, [ctx.actor.accountId])).get(ctx.actor.accountId);
  const terms = me ? searchTermsFor(me.displayName ?? '', me.email ?? '') : [];
  const words = normalizeForSearch(query).split(/\s+/).filter(Boolean);
  const found = me !== undefined && me.status === 'active' && !(exclude ?? []).includes(me.accountId) && words.every((w) => terms.some((t) => t.startsWith(w)));
  return { users: found && start === 0 ? [{ account: me, emailVisible: true }] : [], total: found ? 1 : 0 };
}
