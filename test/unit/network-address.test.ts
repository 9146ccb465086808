import { describe, expect, it } from 'vitest';
import { addressRange, allowedHostEntryValid, isPublicAddress, mayConnectTo } from '../../src/domain/network-address.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { MailHostRefused, MailHostUnresolved, resolveMailHost } from '../../src/integrations/mail-host.js';

// Which mail servers a mailbox may name (docs/security.md, E7).

describe('E7: the addresses a mailbox may not connect to without the operator allowing them', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['224.0.0.1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    // IPv4-mapped IPv6 is the IPv4 address it carries
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    // forms that embed an IPv4 address, and reserved space, are not public either
    ['64:ff9b::7f00:1', 'rfc6052'],
    ['2002:7f00:1::', '6to4'],
    ['192.0.2.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
  ])('%s (%s) is refused', (address, range) => {
    expect(addressRange(address)).toBe(range);
    expect(isPublicAddress(address)).toBe(false);
    expect(mayConnectTo('mail.example.com', address, [])).toBe(false);
  });

  it.each(['8.8.8.8', '93.184.216.34', '172.32.0.1', '100.128.0.1', '2001:4860:4860::8888', '::ffff:8.8.8.8'])('%s, a public address, is allowed', (address) => {
    expect(isPublicAddress(address)).toBe(true);
    expect(mayConnectTo('mail.example.com', address, [])).toBe(true);
  });

  it('text that is not an address is never one to connect to', () => {
    expect(addressRange('mail.example.com')).toBeUndefined();
    expect(mayConnectTo('mail.example.com', 'mail.example.com', ['mail.example.com'])).toBe(false);
  });

  it('the allow list lets a host name, an address or a range through, and nothing beside it', () => {
    expect(mayConnectTo('imap.internal', '10.0.0.7', ['imap.internal'])).toBe(true);
    expect(mayConnectTo('IMAP.Internal.', '10.0.0.7', ['imap.internal'])).toBe(true);
    expect(mayConnectTo('other.internal', '10.0.0.7', ['imap.internal'])).toBe(false);
    expect(mayConnectTo('x', '127.0.0.1', ['127.0.0.1'])).toBe(true);
    expect(mayConnectTo('x', '::ffff:127.0.0.1', ['127.0.0.1'])).toBe(true);
    expect(mayConnectTo('x', '127.0.0.2', ['127.0.0.1'])).toBe(false);
    expect(mayConnectTo('x', '10.20.30.40', ['10.0.0.0/8'])).toBe(true);
    expect(mayConnectTo('x', '::ffff:10.20.30.40', ['10.0.0.0/8'])).toBe(true);
    expect(mayConnectTo('x', '10.20.30.40', ['::ffff:10.0.0.0/104'])).toBe(true);
    expect(mayConnectTo('x', '192.168.0.1', ['10.0.0.0/8'])).toBe(false);
    expect(mayConnectTo('x', 'fd00::5', ['fd00::/8'])).toBe(true);
    expect(mayConnectTo('x', '::1', ['127.0.0.0/8'])).toBe(false);
  });
});

describe('PORTICO_MAILBOX_ALLOWED_HOSTS', () => {
  it('E7: is a list of host names, addresses and CIDR ranges, empty by default; anything else stops the start', () => {
    expect(loadConfig({}).mailboxAllowedHosts).toEqual([]);
    expect(loadConfig({ PORTICO_MAILBOX_ALLOWED_HOSTS: ' imap.internal, 10.0.0.0/8 ::1\tfd00::/8 ' }).mailboxAllowedHosts).toEqual(['imap.internal', '10.0.0.0/8', '::1', 'fd00::/8']);
    expect(() => loadConfig({ PORTICO_MAILBOX_ALLOWED_HOSTS: '10.0.0.0/99' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORTICO_MAILBOX_ALLOWED_HOSTS: 'imap_host!' })).toThrow(/not a host name, an IP address or a CIDR range/);
    expect(allowedHostEntryValid('mail.example.com')).toBe(true);
    expect(allowedHostEntryValid('*')).toBe(false);
  });
});

describe('resolving a mailbox host', () => {
  it('E7: a name that resolves to loopback is refused with the plain message; with the name or address allowed it resolves to the address to connect to', async () => {
    await expect(resolveMailHost('localhost', [])).rejects.toThrow(MailHostRefused);
    await expect(resolveMailHost('localhost', [])).rejects.toThrow("This mail server's address is on a private network that this Portico does not allow.");
    await expect(resolveMailHost('127.0.0.1', [])).rejects.toThrow(MailHostRefused);
    await expect(resolveMailHost('[::1]', [])).rejects.toThrow(MailHostRefused);
    // localhost may resolve to ::1 as well as 127.0.0.1: every address it has must be allowed
    expect(['127.0.0.1', '::1']).toContain(await resolveMailHost('localhost', ['localhost']));
    expect(await resolveMailHost('127.0.0.1', ['127.0.0.0/8'])).toBe('127.0.0.1');
  });

  it('a name that does not resolve is told apart from a refused one', async () => {
    await expect(resolveMailHost('no-such-host.invalid', [])).rejects.toThrow(MailHostUnresolved);
  });
});
