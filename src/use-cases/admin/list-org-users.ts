import type { ActorContext } from '../context.js';
import { authorizeStaffScope, staffMemberships } from './staff-directory.js';

export interface StaffMember {
  accountId: string;
  displayName: string;
  email: string;
  roles: string[];
}

/**
 * Directory → Users: the staff of an organization (or of one site, for the original experience's
 * site admin), one row per person with their roles, in name order.
 */
export async function listOrgUsers(ctx: ActorContext, input: { orgId: string } | { siteSlug: string }): Promise<{ values: StaffMember[] }> {
  const scope = await authorizeStaffScope(ctx, input);
  const byPerson = new Map<string, StaffMember>();
  for (const m of await staffMemberships(ctx.db, scope)) {
    const p = byPerson.get(m.accountId) ?? { accountId: m.accountId, displayName: m.displayName, email: m.email, roles: [] };
    if (!p.roles.includes(m.role)) p.roles.push(m.role);
    byPerson.set(m.accountId, p);
  }
  const values = [...byPerson.values()].sort((a, b) => a.displayName.localeCompare(b.displayName) || a.accountId.localeCompare(b.accountId));
  return { values };
}
