import type { UseCaseContext } from '../context.js';
import type { Db } from '../../db/connection.js';
import type { UserManagement } from '../../db/schema.js';
import { canAdministerOrganization } from '../../domain/policies.js';
import { notFound, unauthenticated } from '../../domain/errors.js';

export interface AdminOrg {
  id: string;
  name: string;
  userManagement: UserManagement;
  sites: Array<{ id: string; slug: string; name: string; url: string }>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The organization, for its org admins only; anyone else (and any malformed id) gets 404. */
export async function authorizeOrgAdmin(ctx: UseCaseContext, orgId: string): Promise<{ id: string; name: string; userManagement: UserManagement }> {
  if (!ctx.actor) throw unauthenticated();
  if (!UUID.test(orgId) || !canAdministerOrganization(ctx.actor, orgId)) throw notFound('Organization not found.');
  const org = await ctx.db.selectFrom('organizations').select(['id', 'name', 'user_management']).where('id', '=', orgId).executeTakeFirst();
  if (!org) throw notFound('Organization not found.');
  return { id: org.id, name: org.name, userManagement: org.user_management };
}

export async function presentOrg(db: Db, origin: string, org: { id: string; name: string; userManagement: UserManagement }): Promise<AdminOrg> {
  const sites = await db.selectFrom('sites').select(['id', 'slug', 'name']).where('org_id', '=', org.id).orderBy('name').orderBy('slug').execute();
  return { ...org, sites: sites.map((s) => ({ ...s, url: `${origin}/s/${s.slug}` })) };
}

/** The organization's overview: name, user-management experience, its sites (org admins only). */
export async function getAdminOrg(ctx: UseCaseContext, input: { orgId: string }): Promise<AdminOrg> {
  const org = await authorizeOrgAdmin(ctx, input.orgId);
  return presentOrg(ctx.db, ctx.origin, org);
}
