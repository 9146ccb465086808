import type { Db } from '../connection.js';

export interface SiteRow {
  id: string;
  orgId: string;
  slug: string;
  name: string;
  orgName: string;
  userManagement: 'original' | 'centralized';
}

/** The shape every site slug has (the sites table checks the same pattern). */
const SITE_SLUG = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** The site with this slug; anything that cannot be a slug (a NUL, 5,000 characters) is no site, without a query. */
export async function findSiteBySlug(db: Db, slug: string): Promise<SiteRow | undefined> {
  if (!SITE_SLUG.test(slug)) return undefined;
  const row = await db
    .selectFrom('sites as s')
    .innerJoin('organizations as o', 'o.id', 's.org_id')
    .select(['s.id', 's.org_id', 's.slug', 's.name', 'o.name as org_name', 'o.user_management'])
    .where('s.slug', '=', slug)
    .executeTakeFirst();
  return row && {
    id: row.id,
    orgId: row.org_id,
    slug: row.slug,
    name: row.name,
    orgName: row.org_name,
    userManagement: row.user_management,
  };
}
