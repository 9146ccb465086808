import type { Db } from '../../db/connection.js';
import type { AccountKind, AccountStatus } from '../../db/schema.js';
import { badRequest, notFound } from '../../domain/errors.js';
import { hasStandingOnSite, mayReadEmailOf, type Actor, type SiteRef } from '../../domain/policies.js';
import { staffOfSiteOrganization } from '../../db/queries/organization-staff.js';
import type { UseCaseContext } from '../context.js';
import { requireActor } from '../help-center/get-service-desk.js';

/** A person as the REST presenters need them. displayName and email are null once deleted. */
export interface AccountView {
  accountId: string;
  kind: AccountKind;
  siteId: string | null;
  email: string | null;
  displayName: string | null;
  status: AccountStatus;
}

export interface VisibleAccount {
  account: AccountView;
  /** staff of the site see every email; a customer sees only their own */
  emailVisible: boolean;
}

export async function loadAccounts(db: Db, accountIds: string[]): Promise<Map<string, AccountView>> {
  const ids = [...new Set(accountIds)].filter((id) => id.length > 0 && id.length <= 128);
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('accounts')
    .select(['account_id', 'kind', 'site_id', 'email', 'display_name', 'status'])
    .where('account_id', 'in', ids)
    .execute();
  return new Map(
    rows.map((r) => [r.account_id, { accountId: r.account_id, kind: r.kind, siteId: r.site_id, email: r.email, displayName: r.display_name, status: r.status }]),
  );
}

/** Staff accounts among `accountIds` that are staff of the site's organization (policies.isStaffOfOrganization). */
export async function staffOfSite(db: Db, site: SiteRef, accountIds: string[]): Promise<Set<string>> {
  return staffOfSiteOrganization(db, site.id, accountIds);
}

/** Staff see emails (of the people of the sites they work on); a customer sees only their own. */
export function emailVisibleTo(actor: Actor, accountId: string): boolean {
  return mayReadEmailOf(actor, accountId);
}

/**
 * GET /rest/api/3/user?accountId=: a customer of the site or a member of its staff, whatever their
 * status (revoked and deleted accounts answer with active:false). Anyone without standing on the
 * site, and any account of another site or organization, gets 404.
 */
export async function getUser(ctx: UseCaseContext, input: { site: SiteRef; accountId: string }): Promise<VisibleAccount> {
  const actor = requireActor(ctx);
  const id = input.accountId.trim();
  if (id.length === 0 || id.length > 128) throw badRequest("'accountId' must be 1 to 128 characters.", { accountId: "'accountId' must be 1 to 128 characters." });
  const missing = notFound(`The user with account ID '${id}' does not exist.`);
  if (!hasStandingOnSite(actor, input.site)) throw missing;
  const account = (await loadAccounts(ctx.db, [id])).get(id);
  if (!account) throw missing;
  const belongs = account.kind === 'customer' ? account.siteId === input.site.id : (await staffOfSite(ctx.db, input.site, [id])).has(id);
  if (!belongs) throw missing;
  return { account, emailVisible: emailVisibleTo(actor, id) };
}
