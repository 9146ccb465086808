import type { Db } from '../connection.js';
import type { StaffRoles } from '../../domain/policies.js';

/** A staff account's roles, read fresh for the request that needs them (never cached). */
export async function loadStaffRoles(db: Db, accountId: string): Promise<StaffRoles> {
  const [orgs, sites, projects] = await Promise.all([
    db.selectFrom('org_admins').select('org_id').where('account_id', '=', accountId).execute(),
    db.selectFrom('site_admins as sa').innerJoin('sites as s', 's.id', 'sa.site_id').select(['sa.site_id', 's.org_id']).where('sa.account_id', '=', accountId).execute(),
    db.selectFrom('project_agents as pa').innerJoin('sites as s', 's.id', 'pa.site_id').select(['pa.project_id', 'pa.site_id', 's.org_id']).where('pa.account_id', '=', accountId).execute(),
  ]);
  return {
    orgAdminOf: new Set(orgs.map((r) => r.org_id)),
    siteAdminOf: new Set(sites.map((r) => r.site_id)),
    agentOfSites: new Set(projects.map((r) => r.site_id)),
    agentOfProjects: new Set(projects.map((r) => String(r.project_id))),
    memberOfOrgs: new Set([...orgs, ...sites, ...projects].map((r) => r.org_id)),
  };
}
