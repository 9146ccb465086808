import { describe, expect, it } from 'vitest';
import { belongsToSite, decideCustomerAdmin, isStaffOfOrganization, mayReadEmailOf, type Actor, type CustomerAdminAction, type StaffRoles } from '../../src/domain/policies.js';

const acmeOrg = 'org-acme';
const globexOrg = 'org-globex';
const acme = { id: 'site-acme', orgId: acmeOrg };
const globex = { id: 'site-globex', orgId: globexOrg };
const globexEu = { id: 'site-globex-eu', orgId: globexOrg };

function staff(roles: Partial<StaffRoles>): Actor {
  return {
    kind: 'staff',
    accountId: 'x',
    roles: {
      orgAdminOf: new Set(roles.orgAdminOf ?? []),
      siteAdminOf: new Set(roles.siteAdminOf ?? []),
      agentOfSites: new Set(roles.agentOfSites ?? []),
      agentOfProjects: new Set(roles.agentOfProjects ?? []),
      memberOfOrgs: new Set(roles.memberOfOrgs ?? []),
    },
  };
}

const ada = staff({ orgAdminOf: new Set([acmeOrg]), memberOfOrgs: new Set([acmeOrg]) });
const greta = staff({ orgAdminOf: new Set([globexOrg]), memberOfOrgs: new Set([globexOrg]) });
const sid = staff({ siteAdminOf: new Set([globex.id]), memberOfOrgs: new Set([globexOrg]) });
const sam = staff({ agentOfSites: new Set([acme.id]), agentOfProjects: new Set(['10000']), memberOfOrgs: new Set([acmeOrg]) });
const nobody = staff({});
const alice: Actor = { kind: 'customer', accountId: 'qm:a', siteId: acme.id };

const actions: CustomerAdminAction[] = ['list', 'import', 'revoke', 'grant', 'change_password', 'edit_name', 'delete'];

describe('who may administer portal-only customers (the permission matrix)', () => {
  it('org admin of the site’s org: everything, including delete', () => {
    for (const a of actions) expect(decideCustomerAdmin(ada, acme, a)).toBe('allow');
    for (const a of actions) expect(decideCustomerAdmin(greta, globexEu, a)).toBe('allow');
  });

  it('site admin of that site: everything except delete (403: they may know the site)', () => {
    for (const a of actions.filter((x) => x !== 'delete')) expect(decideCustomerAdmin(sid, globex, a)).toBe('allow');
    expect(decideCustomerAdmin(sid, globex, 'delete')).toBe('forbidden');
  });

  it("another site's or organization's admin gets 404, not 403", () => {
    for (const a of actions) {
      expect(decideCustomerAdmin(sid, globexEu, a)).toBe('not_found');
      expect(decideCustomerAdmin(sid, acme, a)).toBe('not_found');
      expect(decideCustomerAdmin(ada, globex, a)).toBe('not_found');
      expect(decideCustomerAdmin(greta, acme, a)).toBe('not_found');
    }
  });

  it('an agent and a customer of the site get 403; of another site 404', () => {
    for (const a of actions) {
      expect(decideCustomerAdmin(sam, acme, a)).toBe('forbidden');
      expect(decideCustomerAdmin(alice, acme, a)).toBe('forbidden');
      expect(decideCustomerAdmin(sam, globex, a)).toBe('not_found');
      expect(decideCustomerAdmin(alice, globex, a)).toBe('not_found');
      expect(decideCustomerAdmin(nobody, acme, a)).toBe('not_found');
    }
  });
});

describe('the people of a site', () => {
  it('T1: staff belong to the sites of their organization only; customers to their own site only', () => {
    expect(belongsToSite(ada, acme)).toBe(true);
    expect(belongsToSite(sam, acme)).toBe(true);
    expect(belongsToSite(sid, globexEu)).toBe(true); // staff of Globex, though without standing on globex-eu
    expect(belongsToSite(greta, acme)).toBe(false);
    expect(belongsToSite(sid, acme)).toBe(false);
    expect(belongsToSite(nobody, acme)).toBe(false);
    expect(belongsToSite(alice, acme)).toBe(true);
    expect(belongsToSite(alice, globex)).toBe(false);
    expect(isStaffOfOrganization(alice, acmeOrg)).toBe(false);
    expect(isStaffOfOrganization(greta, acmeOrg)).toBe(false);
  });

  it('T2: staff read emails; a customer reads only their own', () => {
    expect(mayReadEmailOf(sam, 'qm:b')).toBe(true);
    expect(mayReadEmailOf(alice, 'qm:a')).toBe(true);
    expect(mayReadEmailOf(alice, 'qm:b')).toBe(false);
  });
});
