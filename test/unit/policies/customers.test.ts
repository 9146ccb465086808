import { describe, expect, it } from 'vitest';
import {
  decideCreateCustomer,
  decideCustomerTarget,
  decideProjectCustomers,
  mayDeleteCustomers,
} from '../../../src/domain/policies/customers.js';
import { acme, ada, alice, eve, globex, greta, HELP, sam, sid, VIP } from './actors.js';

describe('customers (domain/policies/customers.ts)', () => {
  it('creating customers: admins and agents of the site; 403 for its customers, 404 for strangers', () => {
    expect(decideCreateCustomer(ada, acme)).toBe('allow');
    expect(decideCreateCustomer(sid, acme)).toBe('allow');
    expect(decideCreateCustomer(sam, acme)).toBe('allow');
    expect(decideCreateCustomer(alice, acme)).toBe('forbidden');
    expect(decideCreateCustomer(greta, acme)).toBe('not_found');
    expect(decideCreateCustomer(eve, globex)).toBe('not_found');
  });

  it('the admin console offers Delete to org admins only', () => {
    expect(mayDeleteCustomers(ada, acme)).toBe(true);
    expect(mayDeleteCustomers(sid, acme)).toBe(false);
    expect(mayDeleteCustomers(greta, acme)).toBe(false);
  });

  it('a deleted or missing customer is not found; active and revoked ones are acted on', () => {
    expect(decideCustomerTarget({ status: 'active' })).toBe('allow');
    expect(decideCustomerTarget({ status: 'revoked' })).toBe('allow');
    expect(decideCustomerTarget({ status: 'deleted' })).toBe('not_found');
    expect(decideCustomerTarget(undefined)).toBe('not_found');
  });

  it("a project's customer list: its agents and the site's admins, 403 for anyone else who sees the desk", () => {
    expect(decideProjectCustomers(sam, acme, HELP)).toBe('allow');
    expect(decideProjectCustomers(sid, acme, VIP)).toBe('allow');
    expect(decideProjectCustomers(sam, acme, VIP)).toBe('forbidden');
    expect(decideProjectCustomers(alice, acme, HELP)).toBe('forbidden');
  });
});
