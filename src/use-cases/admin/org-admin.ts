import type { Db } from '../../db/connection.js';
import type { UserManagement } from '../../db/schema.js';
import { notFound } from '../../domain/errors.js';
import { decideOrgAdmin } from '../../domain/policies.js';
import { enforce } from '../authorize.js';
import type { ActorContext } from '../context.js';

// An organization's own pages, shared by the admin use cases: the organization, for its org admins
// only (domain/policies/org.ts), and its overview as the admin console shows it.

export interface AdminOrg {
  id: string;
  name: string;
  userManagement: UserManagement;
  sites: Array<{ id: string; slug: string; name: string; url: string }>;
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The organization `orgId` names, if the actor administers it; anyone else (and any malformed id) gets 404. */
export function authorizeOrgAdminOf(ctx: ActorContext, orgId: string): void {
  if (!UUID.test(orgId)) throw notFound('Organization not found.');
  enforce(decideOrgAdmin(ctx.actor, orgId), { notFound: 'Organization not found.' });
}

/** The organization, for its org admins only; anyone else (and any malformed id) gets 404. */
export async function authorizeOrgAdmin(ctx: ActorContext, orgId: string): Promise<{ id: string; name: string; userManagement: UserManagement }> {
  authorizeOrgAdminOf(ctx, orgId);
  const org = await ctx.db.selectFrom('organizations').select(['id', 'name', 'user_management']).where('id', '=', orgId).executeTakeFirst();
  if (!org) throw notFound('Organization not found.');
  return { id: org.id, name: org.name, userManagement: org.user_management };
}

/** The organization's overview: name, user-management experience, its sites with their URLs. */
export async function orgOverview(db: Db, origin: string, org: { id: string; name: string; userManagement: UserManagement }): Promise<AdminOrg> {
  const sites = await db.selectFrom('sites').select(['id', 'slug', 'name']).where('org_id', '=', org.id).orderBy('name').orderBy('slug').execute();
  return { ...org, sites: sites.map((s) => ({ ...s, url: `${origin}/s/${s.slug}` })) };
}
