import type { ActorContext } from '../context.js';
import { authorizeOrgAdmin, orgOverview, type AdminOrg } from './org-admin.js';

export type { AdminOrg };

/** The organization's overview: name, user-management experience, its sites (org admins only). */
export async function getAdminOrg(ctx: ActorContext, input: { orgId: string }): Promise<AdminOrg> {
  const org = await authorizeOrgAdmin(ctx, input.orgId);
  return orgOverview(ctx.db, ctx.origin, org);
}
