import type { Db } from '../connection.js';
import type { UserManagement } from '../schema.js';

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

/** Whether `slug` can name a site at all: anything else (a NUL, 5,000 characters) is no site, without a query. */
export function isSiteSlug(slug: string): boolean {
  return SITE_SLUG.test(slug);
}

/** A site row with its organization's name and experience, as both look-ups select it. */
export function toSiteRow(row: { id: string; org_id: string; slug: string; name: string; org_name: string; user_management: UserManagement }): SiteRow {
  return { id: row.id, orgId: row.org_id, slug: row.slug, name: row.name, orgName: row.org_name, userManagement: row.user_management };
}

/** The site with this slug; anything that cannot be a slug (a NUL, 5,000 characters) is no site, without a query. */
export async function findSiteBySlug(db: Db, slug: string): Promise<SiteRow | undefined> {
  if (!isSiteSlug(slug)) return undefined;
  const row = await db
    .selectFrom('sites as s')
    .innerJoin('organizations as o', 'o.id', 's.org_id')
    .select(['s.id', 's.org_id', 's.slug', 's.name', 'o.name as org_name', 'o.user_management'])
    .where('s.slug', '=', slug)
    .executeTakeFirst();
  return row && toSiteRow(row);
}
