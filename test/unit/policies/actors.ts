import type { Actor, StaffActor, StaffRoles } from '../../../src/domain/policies.js';

// Two organizations: Acme (site acme, project 10000 HELP, restricted 10001 VIP) and Globex (sites
// globex and globex-eu). The people below are what each policy test asks about.
export const acmeOrg = 'org-acme';
export const globexOrg = 'org-globex';
export const acme = { id: 'site-acme', orgId: acmeOrg };
export const globex = { id: 'site-globex', orgId: globexOrg };
export const globexEu = { id: 'site-globex-eu', orgId: globexOrg };
export const HELP = '10000';
export const VIP = '10001';

export function staff(accountId: string, roles: Partial<Record<keyof StaffRoles, string[]>>): StaffActor {
  return {
    kind: 'staff',
    accountId,
    roles: {
      orgAdminOf: new Set(roles.orgAdminOf ?? []),
      siteAdminOf: new Set(roles.siteAdminOf ?? []),
      agentOfSites: new Set(roles.agentOfSites ?? []),
      agentOfProjects: new Set(roles.agentOfProjects ?? []),
      memberOfOrgs: new Set(roles.memberOfOrgs ?? []),
    },
  };
}

/** org admin of Acme */
export const ada = staff('ada', { orgAdminOf: [acmeOrg], memberOfOrgs: [acmeOrg] });
/** site admin of acme */
export const sid = staff('sid', { siteAdminOf: [acme.id], memberOfOrgs: [acmeOrg] });
/** agent of HELP on acme */
export const sam = staff('sam', { agentOfSites: [acme.id], agentOfProjects: [HELP], memberOfOrgs: [acmeOrg] });
/** org admin of Globex: a stranger to Acme */
export const greta = staff('greta', { orgAdminOf: [globexOrg], memberOfOrgs: [globexOrg] });
/** agent on globex-eu only: staff of Globex without standing on globex */
export const eve = staff('eve', { agentOfSites: [globexEu.id], agentOfProjects: ['20000'], memberOfOrgs: [globexOrg] });
export const alice: Actor = { kind: 'customer', accountId: 'qm:alice', siteId: acme.id };
export const bob: Actor = { kind: 'customer', accountId: 'qm:bob', siteId: acme.id };
export const gus: Actor = { kind: 'customer', accountId: 'qm:gus', siteId: globex.id };
