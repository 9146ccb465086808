import type { ActorContext } from '../context.js';
import { isOrgAdminOf, type SiteRef } from '../../domain/policies.js';
import type { AccountKind, AccountStatus } from '../../db/schema.js';

export interface Myself {
  accountId: string;
  kind: AccountKind;
  email: string | null;
  displayName: string | null;
  status: AccountStatus;
  /** the caller's role groups on this site (named as Directory → Groups names them) */
  groups: string[];
}

/**
 * GET /rest/api/3/myself: the caller (API token, staff cookie, or this site's customer cookie) as this
 * request's one caller statement read it (db/queries/caller.ts: only an active account comes back,
 * nothing cached), with the groups their roles on this site give them. No second read of the account:
 * it was read by this very request, a moment ago.
 */
export async function getMyself(
  ctx: ActorContext,
  input: { site: SiteRef & { slug: string }; caller: { email: string; displayName: string } },
): Promise<Myself> {
  const actor = ctx.actor;
  const groups: string[] = [];
  if (actor.kind === 'staff') {
    if (isOrgAdminOf(actor, input.site.orgId)) groups.push('org-admins');
    if (actor.roles.siteAdminOf.has(input.site.id)) groups.push(`site-admins-${input.site.slug}`);
    if (actor.roles.agentOfSites.has(input.site.id)) {
      const projects = await ctx.db
        .selectFrom('project_agents as pa')
        .innerJoin('projects as p', 'p.id', 'pa.project_id')
        .select('p.key')
        .where('pa.account_id', '=', actor.accountId)
        .where('pa.site_id', '=', input.site.id)
        .orderBy('p.key')
        .execute();
      for (const p of projects) groups.push(`agents-${input.site.slug}-${p.key.toLowerCase()}`);
    }
  }
  return { accountId: actor.accountId, kind: actor.kind, email: input.caller.email, displayName: input.caller.displayName, status: 'active', groups };
}
