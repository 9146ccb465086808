import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_LOGIN_THROTTLE, accountThrottleKey, countedAttemptRefusedFor, loginRefusedFor, throttleAddress } from '../../src/domain/login-throttle.js';

describe('login throttle rules', () => {
  it('S8: an IPv4 address counts as itself, an IPv6 address by its /64, an IPv4-mapped one as IPv4', () => {
    expect(throttleAddress('192.0.2.7')).toBe('192.0.2.7');
    expect(throttleAddress('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(throttleAddress('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(throttleAddress('2001:0DB8:0001:0002:abcd:1234:5678:9abc')).toBe('2001:db8:1:2::/64');
    expect(throttleAddress('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(throttleAddress('::1')).toBe('::/64');
    expect(throttleAddress(null)).toBe('other:unknown');
    expect(throttleAddress('not an address')).toBe('other:not an address');
  });

  it('S8: every IPv6 address of one /64 shares its key (property)', () => {
    const group = fc.integer({ min: 0, max: 0xffff });
    fc.assert(
      fc.property(fc.array(group, { minLength: 4, maxLength: 4 }), fc.array(group, { minLength: 4, maxLength: 4 }), fc.array(group, { minLength: 4, maxLength: 4 }), (net, a, b) => {
        const ip = (host: number[]) => [...net, ...host].map((g) => g.toString(16)).join(':');
        expect(throttleAddress(ip(a))).toBe(throttleAddress(ip(b)));
        expect(throttleAddress(ip(a))).toMatch(/\/64$/);
      }),
      { numRuns: 200 },
    );
  });

  it('S8: the account key is what was typed, trimmed and lower-cased, per site or staff', () => {
    expect(accountThrottleKey('staff', '  Admin@ACME.test ')).toBe('acct:staff:admin@acme.test');
    expect(accountThrottleKey({ siteId: 's1' }, 'Bob@x.test')).toBe('acct:s1:bob@x.test');
  });

  it('S8: a known address is refused only for its own (account, address) lock; any other for any lock', () => {
    const none = { accountAddress: 0, address: 0, account: 0 };
    expect(loginRefusedFor({ ...none, knownAddress: false })).toBe(0);
    expect(loginRefusedFor({ ...none, account: 300, knownAddress: false })).toBe(300);
    expect(loginRefusedFor({ ...none, address: 200, knownAddress: false })).toBe(200);
    expect(loginRefusedFor({ accountAddress: 100, address: 200, account: 300, knownAddress: false })).toBe(300);
    expect(loginRefusedFor({ ...none, account: 300, address: 200, knownAddress: true })).toBe(0);
    expect(loginRefusedFor({ ...none, accountAddress: 100, account: 300, knownAddress: true })).toBe(100);
  });

  it('S8: a counted attempt past a limit that applies to it is refused, for as long as that key is locked', () => {
    const limits = { ...DEFAULT_LOGIN_THROTTLE, accountAddressMaxFailures: 2, ipMaxFailures: 5, accountMaxFailures: 6 };
    const at = (accountAddress: number, address: number, account: number, knownAddress = false) => ({
      accountAddress: { failures: accountAddress, lockedSeconds: 100 },
      address: { failures: address, lockedSeconds: 200 },
      account: { failures: account, lockedSeconds: 300 },
      knownAddress,
    });
    expect(countedAttemptRefusedFor(at(2, 5, 6), limits)).toBe(0); // the last try each limit allows
    expect(countedAttemptRefusedFor(at(3, 1, 1), limits)).toBe(100);
    expect(countedAttemptRefusedFor(at(1, 6, 1), limits)).toBe(200);
    expect(countedAttemptRefusedFor(at(3, 6, 7), limits)).toBe(300);
    expect(countedAttemptRefusedFor(at(1, 6, 7, true), limits)).toBe(0);
    expect(countedAttemptRefusedFor(at(3, 6, 7, true), limits)).toBe(100);
    expect(countedAttemptRefusedFor({ ...at(3, 1, 1), accountAddress: { failures: 3, lockedSeconds: 0 } }, limits)).toBe(1);
  });

  it('the defaults: 10 per account and address, 50 per address, 100 per account, over 15 minutes', () => {
    expect(DEFAULT_LOGIN_THROTTLE).toEqual({ accountAddressMaxFailures: 10, ipMaxFailures: 50, accountMaxFailures: 100, windowMinutes: 15, knownAddressDays: 30 });
  });
});
