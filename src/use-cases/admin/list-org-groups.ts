import type { ActorContext } from '../context.js';
import { authorizeStaffScope, staffMemberships } from './staff-directory.js';

export interface StaffGroup {
  name: string;
  description: string;
  memberCount: number;
}

/**
 * Directory → Groups. Portico has no free-form groups: the groups are derived from the roles (the
 * organization's admins, each site's admins, each project's agents), so they can never disagree
 * with what people may actually do.
 */
export async function listOrgGroups(ctx: ActorContext, input: { orgId: string } | { siteSlug: string }): Promise<{ values: StaffGroup[] }> {
  const scope = await authorizeStaffScope(ctx, input);
  const groups = new Map<string, { description: string; members: Set<string> }>();
  for (const m of await staffMemberships(ctx.db, scope)) {
    const g = groups.get(m.group) ?? { description: m.groupDescription, members: new Set<string>() };
    g.members.add(m.accountId);
    groups.set(m.group, g);
  }
  const values = [...groups.entries()].map(([name, g]) => ({ name, description: g.description, memberCount: g.members.size }));
  return { values: values.sort((a, b) => a.name.localeCompare(b.name)) };
}
