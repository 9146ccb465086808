import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { mayConnectTo, PRIVATE_MAIL_SERVER_MESSAGE } from '../domain/network-address.js';

/** A mailbox's host whose address Portico may not connect to (docs/security.md, E7). */
export class MailHostRefused extends Error {
  constructor() {
    super(PRIVATE_MAIL_SERVER_MESSAGE);
  }
}

/** A host name that could not be resolved (no such name, or DNS did not answer in time). */
export class MailHostUnresolved extends Error {}

/**
 * Resolves a mailbox's host ONCE and checks every address it has (docs/security.md, E7): if any is
 * not a public address and the operator's allow list does not name the host, the address or a range
 * holding it, the host is refused — a name that resolves to a public and a private address cannot
 * slip through on the public one. The caller connects to the address returned, never to the name
 * again, so the answer of a second DNS look-up (DNS rebinding) cannot change where it connects.
 */
export async function resolveMailHost(host: string, allowList: readonly string[], timeoutMs = 10_000): Promise<string> {
  const bare = host.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(bare)) {
    addresses = [bare];
  } else {
    let timer: NodeJS.Timeout | undefined;
    try {
      const found = await Promise.race([
        lookup(bare, { all: true, verbatim: true }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new MailHostUnresolved(`the mail server's name ${bare} did not resolve in time`)), timeoutMs);
        }),
      ]);
      addresses = found.map((a) => a.address);
    } catch (error) {
      if (error instanceof MailHostUnresolved) throw error;
      throw new MailHostUnresolved(`the mail server's name ${bare} could not be found`);
    } finally {
      clearTimeout(timer);
    }
    if (addresses.length === 0) throw new MailHostUnresolved(`the mail server's name ${bare} could not be found`);
  }
  if (!addresses.every((address) => mayConnectTo(bare, address, allowList))) throw new MailHostRefused();
  return addresses[0]!;
}
