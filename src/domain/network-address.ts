import ipaddr from 'ipaddr.js';

// Which addresses a mailbox's mail server may have (docs/security.md, E7): the public internet only,
// unless the operator allows a host or a range (PORTICO_MAILBOX_ALLOWED_HOSTS). A site admin types a
// mailbox's host and port; without this rule Portico would connect, from inside the operator's
// network, wherever they point it (the database, a cloud metadata service, an internal admin port).

/** The message a site admin sees, whatever the address and wherever it was refused (saving or polling). */
export const PRIVATE_MAIL_SERVER_MESSAGE = "This mail server's address is on a private network that this Portico does not allow.";

/**
 * An address's kind as ipaddr.js names its ranges: `unicast` is an ordinary public address; every
 * other range (private, loopback, linkLocal, uniqueLocal, carrierGradeNat, multicast, unspecified,
 * broadcast, reserved, the IPv6 forms that embed an IPv4 address: 6to4, rfc6052, teredo …) is not.
 * IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) are classified as the IPv4 address they carry.
 * Undefined for text that is not an IP address.
 */
export function addressRange(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return undefined;
  return ipaddr.process(address).range();
}

/** Whether an address is an ordinary public one (false for text that is not an address). */
export function isPublicAddress(address: string): boolean {
  return addressRange(address) === 'unicast';
}

/** An entry of PORTICO_MAILBOX_ALLOWED_HOSTS: a host name, an IP address or a CIDR range. */
export function allowedHostEntryValid(entry: string): boolean {
  if (entry.includes('/')) return isCidr(entry);
  if (ipaddr.isValid(entry)) return true;
  return entry.length <= 253 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/i.test(entry);
}

function isCidr(text: string): boolean {
  try {
    ipaddr.parseCIDR(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether Portico may connect to `address`, which `host` (as the admin typed it) resolved to: a
 * public address always; any other only when the allow list names the host itself, the address or a
 * range holding it. Matching is on the address as connected to, so an allowed range cannot be
 * reached through an IPv4-mapped spelling of an address outside it.
 */
export function mayConnectTo(host: string, address: string, allowList: readonly string[]): boolean {
  if (!ipaddr.isValid(address)) return false;
  if (isPublicAddress(address)) return true;
  const hostLower = host.toLowerCase().replace(/\.$/, '');
  const ip = ipaddr.process(address);
  for (const entry of allowList) {
    if (entry.includes('/')) {
      if (!isCidr(entry)) continue;
      const [range, bits] = ipaddr.parseCIDR(entry);
      const rangeIp = range.kind() === 'ipv6' && (range as ipaddr.IPv6).isIPv4MappedAddress() ? (range as ipaddr.IPv6).toIPv4Address() : range;
      const prefix = rangeIp.kind() === range.kind() ? bits : Math.max(0, bits - 96);
      if (ip.kind() === 'ipv4' && rangeIp.kind() === 'ipv4' && (ip as ipaddr.IPv4).match(rangeIp as ipaddr.IPv4, prefix)) return true;
      if (ip.kind() === 'ipv6' && rangeIp.kind() === 'ipv6' && (ip as ipaddr.IPv6).match(rangeIp as ipaddr.IPv6, prefix)) return true;
    } else if (ipaddr.isValid(entry)) {
      if (ipaddr.process(entry).toNormalizedString() === ip.toNormalizedString()) return true;
    } else if (entry.replace(/\.$/, '') === hostLower) {
      return true;
    }
  }
  return false;
}
