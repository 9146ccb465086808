import type { AccountStatus } from '../../db/schema.js';
import type { SiteRef } from '../../domain/policies.js';
import { normalizeForSearch } from '../../domain/search-terms.js';
import { assertAgentWorkspace } from '../requests/agent-access.js';
import type { ActorContext } from '../context.js';
import { searchUsersForPicker } from '../../db/queries/user-picker.js';

export interface FilterUser {
  accountId: string;
  displayName: string | null;
  email: string | null;
  status: AccountStatus;
  kind: 'staff' | 'customer';
}

export const FILTER_USERS_LIMIT = 10;

/**
 * The issue search page's user autocomplete (docs/product.md#filters): active people by word prefix through
 * the one picker, and a revoked customer of the site ONLY when the typed text is their whole email
 * (case-insensitive, surrounding spaces ignored) — the one way filters may still find them.
 */
export async function searchFilterUsers(ctx: ActorContext, input: { site: SiteRef; query: string }): Promise<FilterUser[]> {
  assertAgentWorkspace(ctx, input.site);
  const query = input.query.slice(0, 256);
  const picked = await searchUsersForPicker(ctx.db, { siteId: input.site.id, query, audience: 'anyone', limit: FILTER_USERS_LIMIT });
  const users: FilterUser[] = picked.users.map((u) => ({
    accountId: u.accountId,
    displayName: u.displayName,
    email: u.email,
    status: 'active',
    kind: u.kind,
  }));
  const email = normalizeForSearch(query);
  if (email.includes('@')) {
    const revoked = await ctx.db
      .selectFrom('accounts')
      .select(['account_id', 'display_name', 'email', 'status', 'kind'])
      .where('kind', '=', 'customer')
      .where('site_id', '=', input.site.id)
      .where('email_lower', '=', email)
      .where('status', '=', 'revoked')
      .executeTakeFirst();
    if (revoked) {
      users.push({ accountId: revoked.account_id, displayName: revoked.display_name, email: revoked.email, status: revoked.status, kind: revoked.kind });
    }
  }
  return users;
}
