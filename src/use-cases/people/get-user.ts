import { badRequest } from '../../domain/errors.js';
import { decideSiteStanding, decideUserLookup, mayReadEmailOf, type SiteRef } from '../../domain/policies.js';
import { loadAccounts, type AccountView } from '../../db/queries/accounts.js';
import { staffOfSiteOrganization } from '../../db/queries/organization-staff.js';
import { enforce } from '../authorize.js';
import type { ActorContext } from '../context.js';

export type { AccountView };

export interface VisibleAccount {
  account: AccountView;
  /** staff of the site see every email; a customer sees only their own */
  emailVisible: boolean;
}

/**
 * GET /rest/api/3/user?accountId=: a customer of the site or a member of its staff, whatever their
 * status (revoked and deleted accounts answer with active:false). Anyone without standing on the
 * site, and any account of another site or organization, gets 404.
 */
export async function getUser(ctx: ActorContext, input: { site: SiteRef; accountId: string }): Promise<VisibleAccount> {
  const actor = ctx.actor;
  const id = input.accountId.trim();
  if (id.length === 0 || id.length > 128) throw badRequest("'accountId' must be 1 to 128 characters.", { accountId: "'accountId' must be 1 to 128 characters." });
  const missing = `The user with account ID '${id}' does not exist.`;
  enforce(decideSiteStanding(actor, input.site), { notFound: missing });
  const account = (await loadAccounts(ctx.db, [id])).get(id);
  const staffOfSite = account?.kind === 'staff' && (await staffOfSiteOrganization(ctx.db, input.site.id, [id])).has(id);
  enforce(decideUserLookup(actor, input.site, account, staffOfSite), { notFound: missing });
  return { account: account!, emailVisible: mayReadEmailOf(actor, id) };
}
