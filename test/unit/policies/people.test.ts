import { describe, expect, it } from 'vitest';
import { decideSiteStanding } from '../../../src/domain/policies/actor.js';
import { decideUserLookup, pickerAudienceFor } from '../../../src/domain/policies/people.js';
import { acme, alice, eve, globex, greta, gus, sam } from './actors.js';

describe('people (domain/policies/people.ts)', () => {
  it('site-wide lists: people without standing on the site get 404', () => {
    expect(decideSiteStanding(sam, acme)).toBe('allow');
    expect(decideSiteStanding(alice, acme)).toBe('allow');
    expect(decideSiteStanding(gus, acme)).toBe('not_found');
    expect(decideSiteStanding(greta, acme)).toBe('not_found');
    expect(decideSiteStanding(eve, globex)).toBe('not_found');
  });

  it('one person: a customer of the site or staff of its organization, else not found', () => {
    expect(decideUserLookup(sam, acme, { kind: 'customer', siteId: acme.id }, false)).toBe('allow');
    expect(decideUserLookup(alice, acme, { kind: 'staff', siteId: null }, true)).toBe('allow');
    expect(decideUserLookup(sam, acme, { kind: 'customer', siteId: globex.id }, false)).toBe('not_found');
    expect(decideUserLookup(sam, acme, { kind: 'staff', siteId: null }, false)).toBe('not_found');
    expect(decideUserLookup(sam, acme, undefined, false)).toBe('not_found');
    expect(decideUserLookup(greta, acme, { kind: 'customer', siteId: acme.id }, false)).toBe('not_found');
  });

  it('pickers: staff are offered whom the field holds, customers customers only', () => {
    expect(pickerAudienceFor(sam, 'anyone')).toBe('anyone');
    expect(pickerAudienceFor(sam, 'customers')).toBe('customers');
    expect(pickerAudienceFor(alice, 'anyone')).toBe('customers');
  });
});
