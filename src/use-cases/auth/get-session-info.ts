import type { ActorContext } from '../context.js';
import { unauthenticated } from '../../domain/errors.js';
import { administersSite, isOrgAdminOf } from '../../domain/policies.js';

export interface SessionAccount {
  accountId: string;
  displayName: string;
  email: string;
}

export interface StaffSessionInfo {
  kind: 'staff';
  account: SessionAccount;
  csrfToken: string;
  organizations: Array<{
    id: string;
    name: string;
    userManagement: 'original' | 'centralized';
    isOrgAdmin: boolean;
    sites: Array<{ id: string; slug: string; name: string; url: string; isSiteAdmin: boolean }>;
  }>;
  agentProjects: Array<{ siteSlug: string; siteName: string; projectId: string; projectKey: string; projectName: string }>;
}

export interface CustomerSessionInfo {
  kind: 'customer';
  account: SessionAccount;
  csrfToken: string;
  site: { slug: string; name: string };
}

/**
 * What the web app needs to know about the signed-in person: who they are, the CSRF token for
 * writes, and for staff where they belong (organizations and sites they administer, projects
 * they are an agent of), read fresh from the database.
 */
export async function getSessionInfo(
  ctx: ActorContext,
  input: { csrfToken: string | null },
): Promise<StaffSessionInfo | CustomerSessionInfo> {
  const actor = ctx.actor;
  const row = await ctx.db
    .selectFrom('accounts')
    .select(['account_id', 'display_name', 'email', 'site_id'])
    .where('account_id', '=', actor.accountId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (!row) throw unauthenticated();
  const account = { accountId: row.account_id, displayName: row.display_name ?? '', email: row.email ?? '' };
  const csrfToken = input.csrfToken ?? '';

  if (actor.kind === 'customer') {
    const site = await ctx.db.selectFrom('sites').select(['slug', 'name']).where('id', '=', actor.siteId).executeTakeFirstOrThrow();
    return { kind: 'customer', account, csrfToken, site: { slug: site.slug, name: site.name } };
  }

  const siteIds = [...actor.roles.siteAdminOf];
  const orgIds = [...actor.roles.orgAdminOf];
  const sites =
    orgIds.length || siteIds.length
      ? await ctx.db
          .selectFrom('sites as s')
          .innerJoin('organizations as o', 'o.id', 's.org_id')
          .select(['s.id', 's.slug', 's.name', 's.org_id', 'o.name as org_name', 'o.user_management'])
          .where((eb) => {
            const ors = [];
            if (orgIds.length) ors.push(eb('s.org_id', 'in', orgIds));
            if (siteIds.length) ors.push(eb('s.id', 'in', siteIds));
            return eb.or(ors);
          })
          .orderBy('o.name')
          .orderBy('s.name')
          .execute()
      : [];
  // Org admins of an organization without sites still see the organization.
  const bareOrgs = orgIds.length
    ? await ctx.db.selectFrom('organizations').select(['id', 'name', 'user_management']).where('id', 'in', orgIds).orderBy('name').execute()
    : [];

  const organizations = new Map<string, StaffSessionInfo['organizations'][number]>();
  for (const o of bareOrgs) {
    organizations.set(o.id, { id: o.id, name: o.name, userManagement: o.user_management, isOrgAdmin: true, sites: [] });
  }
  for (const s of sites) {
    let org = organizations.get(s.org_id);
    if (!org) {
      org = { id: s.org_id, name: s.org_name, userManagement: s.user_management, isOrgAdmin: isOrgAdminOf(actor, s.org_id), sites: [] };
      organizations.set(s.org_id, org);
    }
    org.sites.push({
      id: s.id,
      slug: s.slug,
      name: s.name,
      url: `${ctx.origin}/s/${s.slug}`,
      isSiteAdmin: administersSite(actor, { id: s.id, orgId: s.org_id }),
    });
  }

  const projects = await ctx.db
    .selectFrom('project_agents as pa')
    .innerJoin('projects as p', 'p.id', 'pa.project_id')
    .innerJoin('sites as s', 's.id', 'p.site_id')
    .select(['s.slug', 's.name as site_name', 'p.id', 'p.key', 'p.name'])
    .where('pa.account_id', '=', actor.accountId)
    .orderBy('s.name')
    .orderBy('p.name')
    .execute();

  return {
    kind: 'staff',
    account,
    csrfToken,
    organizations: [...organizations.values()].sort((a, b) => a.name.localeCompare(b.name)),
    agentProjects: projects.map((p) => ({
      siteSlug: p.slug,
      siteName: p.site_name,
      projectId: String(p.id),
      projectKey: p.key,
      projectName: p.name,
    })),
  };
}
