import { describe, expect, it } from 'vitest';
import { accountMayUsePortal, decidePortal, decideWorkProject, mayUsePortal } from '../../../src/domain/policies/projects.js';
import { acme, ada, alice, eve, globex, greta, gus, HELP, sam, sid, VIP } from './actors.js';

const open = { id: HELP, siteId: acme.id, customerAccess: 'open' as const };
const restricted = { id: VIP, siteId: acme.id, customerAccess: 'restricted' as const };

describe('portals (domain/policies/projects.ts)', () => {
  it('an open portal serves every customer of the site; a restricted one its customers only', () => {
    expect(mayUsePortal(alice, acme, open, false)).toBe(true);
    expect(mayUsePortal(alice, acme, restricted, false)).toBe(false);
    expect(mayUsePortal(alice, acme, restricted, true)).toBe(true);
  });

  it('staff use the portals of the projects they work', () => {
    expect(mayUsePortal(sam, acme, open, false)).toBe(true);
    expect(mayUsePortal(sam, acme, restricted, false)).toBe(false);
    expect(mayUsePortal(sid, acme, restricted, false)).toBe(true);
    expect(mayUsePortal(ada, acme, restricted, false)).toBe(true);
  });

  it('people of another site or organization use none of them, and a missing portal is 404 too', () => {
    expect(mayUsePortal(gus, acme, open, true)).toBe(false);
    expect(mayUsePortal(greta, acme, open, false)).toBe(false);
    expect(mayUsePortal(alice, globex, { ...open, siteId: globex.id }, true)).toBe(false);
    expect(decidePortal(alice, acme, restricted, false)).toBe('not_found');
    expect(decidePortal(alice, acme, undefined, true)).toBe('not_found');
    expect(decidePortal(alice, acme, open, false)).toBe('allow');
  });

  it('a named reporter: staff of the organization, or a customer of the site who may use the portal', () => {
    const none = { isStaffOfSiteOrganization: false, isProjectCustomer: false };
    expect(accountMayUsePortal({ kind: 'staff', siteId: null }, restricted, { ...none, isStaffOfSiteOrganization: true })).toBe(true);
    expect(accountMayUsePortal({ kind: 'staff', siteId: null }, open, none)).toBe(false);
    expect(accountMayUsePortal({ kind: 'customer', siteId: acme.id }, open, none)).toBe(true);
    expect(accountMayUsePortal({ kind: 'customer', siteId: acme.id }, restricted, none)).toBe(false);
    expect(accountMayUsePortal({ kind: 'customer', siteId: acme.id }, restricted, { ...none, isProjectCustomer: true })).toBe(true);
    expect(accountMayUsePortal({ kind: 'customer', siteId: globex.id }, open, { ...none, isProjectCustomer: true })).toBe(false);
  });
});

describe('working a project', () => {
  it('its agents and the site admins; 403 for others with standing on the site, 404 for strangers', () => {
    expect(decideWorkProject(sam, acme, HELP)).toBe('allow');
    expect(decideWorkProject(sid, acme, VIP)).toBe('allow');
    expect(decideWorkProject(sam, acme, VIP)).toBe('forbidden');
    expect(decideWorkProject(alice, acme, HELP)).toBe('forbidden');
    expect(decideWorkProject(greta, acme, HELP)).toBe('not_found');
    expect(decideWorkProject(eve, globex, '30000')).toBe('not_found');
    expect(decideWorkProject(gus, acme, HELP)).toBe('not_found');
  });
});
