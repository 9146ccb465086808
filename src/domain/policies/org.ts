import { isOrgAdminOf, type Actor } from './actor.js';

/**
 * An organization's own pages (overview, directory, groups, audit log, outbox, user-management
 * switch): its org admins only. For anyone else the organization does not exist (404).
 */
export function canAdministerOrganization(actor: Actor, orgId: string): boolean {
  return isOrgAdminOf(actor, orgId);
}

export function decideOrgAdmin(actor: Actor, orgId: string): 'allow' | 'not_found' {
  return canAdministerOrganization(actor, orgId) ? 'allow' : 'not_found';
}
