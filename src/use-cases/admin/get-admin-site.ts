import type { ActorContext } from '../context.js';
import { authorizeSiteAction } from '../customers/customer-admin.js';
import { mayDeleteCustomers } from '../../domain/policies.js';
import type { UserManagement } from '../../db/schema.js';

export interface AdminSite {
  id: string;
  slug: string;
  name: string;
  url: string;
  org: { id: string; name: string; userManagement: UserManagement };
  permissions: { canDelete: boolean };
}

/** A site's admin page header: for org admins of its org and its site admins (403/404 per policies). */
export async function getAdminSite(ctx: ActorContext, input: { siteSlug: string }): Promise<AdminSite> {
  const site = await authorizeSiteAction(ctx, input.siteSlug, 'list');
  return {
    id: site.id,
    slug: site.slug,
    name: site.name,
    url: `${ctx.origin}/s/${site.slug}`,
    org: { id: site.orgId, name: site.orgName, userManagement: site.userManagement },
    permissions: { canDelete: mayDeleteCustomers(ctx.actor, site) },
  };
}
