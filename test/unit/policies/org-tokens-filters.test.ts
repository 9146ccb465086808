import { describe, expect, it } from 'vitest';
import { decideOrgAdmin } from '../../../src/domain/policies/org.js';
import { decideApiToken, decideOwnApiTokens } from '../../../src/domain/policies/tokens.js';
import { decideAgentWorkspace, decideSavedFilter } from '../../../src/domain/policies/filters.js';
import { acme, acmeOrg, ada, alice, eve, globex, globexOrg, greta, gus, sam, sid } from './actors.js';

describe('organizations (domain/policies/org.ts)', () => {
  it('only its org admins; for anyone else the organization does not exist (never 403)', () => {
    expect(decideOrgAdmin(ada, acmeOrg)).toBe('allow');
    expect(decideOrgAdmin(greta, globexOrg)).toBe('allow');
    expect(decideOrgAdmin(sid, acmeOrg)).toBe('not_found');
    expect(decideOrgAdmin(sam, acmeOrg)).toBe('not_found');
    expect(decideOrgAdmin(alice, acmeOrg)).toBe('not_found');
    expect(decideOrgAdmin(greta, acmeOrg)).toBe('not_found');
  });
});

describe('API tokens (domain/policies/tokens.ts)', () => {
  it('staff have them, customers are refused with 403', () => {
    expect(decideOwnApiTokens(sam)).toBe('allow');
    expect(decideOwnApiTokens(alice)).toBe('forbidden');
  });

  it("someone else's token, or none, is not found", () => {
    expect(decideApiToken(sam, { accountId: 'sam' })).toBe('allow');
    expect(decideApiToken(sam, { accountId: 'ada' })).toBe('not_found');
    expect(decideApiToken(sam, undefined)).toBe('not_found');
  });
});

describe('the agent tools of a site (domain/policies/filters.ts)', () => {
  it('staff with a role on the site; its customers 403; anyone else 404', () => {
    expect(decideAgentWorkspace(sam, acme)).toBe('allow');
    expect(decideAgentWorkspace(sid, acme)).toBe('allow');
    expect(decideAgentWorkspace(ada, acme)).toBe('allow');
    expect(decideAgentWorkspace(alice, acme)).toBe('forbidden');
    expect(decideAgentWorkspace(gus, acme)).toBe('not_found');
    expect(decideAgentWorkspace(greta, acme)).toBe('not_found');
    expect(decideAgentWorkspace(eve, globex)).toBe('not_found');
  });

  it("a saved filter is its owner's alone", () => {
    expect(decideSavedFilter(sam, { ownerId: 'sam' })).toBe('allow');
    expect(decideSavedFilter(sam, { ownerId: 'sid' })).toBe('not_found');
    expect(decideSavedFilter(sam, undefined)).toBe('not_found');
  });
});
