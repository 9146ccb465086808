import type { Db } from '../../db/connection.js';
import type { ActorContext } from '../context.js';
import { authorizeSiteAction } from '../customers/customer-admin.js';
import { authorizeOrgAdmin } from './org-admin.js';

// The staff directory (Users and Groups), shared by its two use cases: the scope a caller may read
// and every staff membership in it.

export interface StaffScope {
  orgId: string;
  /** only this site's staff (original experience: the site admin's Users page) */
  siteId?: string;
}

interface Membership {
  accountId: string;
  displayName: string;
  email: string;
  role: string;
}

/**
 * Every staff membership of an organization (or one of its sites), as rows: org admins, site admins
 * of each site, agents of each project. Shared by Users (grouped per person) and Groups (per role).
 */
export async function staffMemberships(db: Db, scope: StaffScope): Promise<Array<Membership & { group: string; groupDescription: string }>> {
  const sites = await db
    .selectFrom('sites')
    .select(['id', 'slug', 'name'])
    .where('org_id', '=', scope.orgId)
    .$if(!!scope.siteId, (q) => q.where('id', '=', scope.siteId!))
    .execute();
  const siteIds = sites.map((s) => s.id);
  const org = await db.selectFrom('organizations').select('name').where('id', '=', scope.orgId).executeTakeFirstOrThrow();
  const account = ['a.account_id', 'a.display_name', 'a.email'] as const;
  const [orgAdmins, siteAdmins, agents] = await Promise.all([
    db.selectFrom('org_admins as m').innerJoin('accounts as a', 'a.account_id', 'm.account_id').select(account)
      .where('m.org_id', '=', scope.orgId).where('a.status', '=', 'active').execute(),
    siteIds.length
      ? db.selectFrom('site_admins as m').innerJoin('accounts as a', 'a.account_id', 'm.account_id').select([...account, 'm.site_id'])
          .where('m.site_id', 'in', siteIds).where('a.status', '=', 'active').execute()
      : Promise.resolve([]),
    siteIds.length
      ? db.selectFrom('project_agents as m').innerJoin('accounts as a', 'a.account_id', 'm.account_id')
          .innerJoin('projects as p', 'p.id', 'm.project_id').select([...account, 'm.site_id', 'p.key', 'p.name as project_name'])
          .where('m.site_id', 'in', siteIds).where('a.status', '=', 'active').execute()
      : Promise.resolve([]),
  ]);
  const siteById = new Map(sites.map((s) => [s.id, s]));
  const person = (r: { account_id: string; display_name: string | null; email: string | null }) => ({
    accountId: r.account_id,
    displayName: r.display_name ?? '',
    email: r.email ?? '',
  });
  return [
    ...orgAdmins.map((r) => ({
      ...person(r),
      role: 'Organization admin',
      group: 'org-admins',
      groupDescription: `Organization admins of ${org.name}: manage every site, the directory and settings`,
    })),
    ...siteAdmins.map((r) => {
      const s = siteById.get(r.site_id)!;
      return {
        ...person(r),
        role: `Site admin of ${s.name}`,
        group: `site-admins-${s.slug}`,
        groupDescription: `Site admins of ${s.name}: manage its portal customers`,
      };
    }),
    ...agents.map((r) => {
      const s = siteById.get(r.site_id)!;
      return {
        ...person(r),
        role: `Agent on ${r.key} (${s.name})`,
        group: `agents-${s.slug}-${r.key.toLowerCase()}`,
        groupDescription: `Agents of ${r.project_name} (${r.key}) on ${s.name}`,
      };
    }),
  ];
}

/** Resolves and authorizes the scope: an organization (org admins) or one site (its admins). */
export async function authorizeStaffScope(ctx: ActorContext, input: { orgId: string } | { siteSlug: string }): Promise<StaffScope> {
  if ('orgId' in input) {
    const org = await authorizeOrgAdmin(ctx, input.orgId);
    return { orgId: org.id };
  }
  const site = await authorizeSiteAction(ctx, input.siteSlug, 'list');
  return { orgId: site.orgId, siteId: site.id };
}

