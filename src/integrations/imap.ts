import { isIP } from 'node:net';
import type { MailboxSettings } from '../domain/inbound-mail.js';
import { resolveMailHost } from './mail-host.js';

/** A mail as the IMAP server holds it. */
export interface FetchedMail {
  uid: number;
  source: Buffer;
  /** when the server received it (IMAP INTERNALDATE) */
  receivedAt: Date | undefined;
}

/** Mail beyond this size is read only this far (its start: headers and text) — no one mail may fill memory. */
export const FETCH_MAX_BYTES = 40 * 1024 * 1024;

/**
 * Portico's side of an IMAP server (imapflow): reads the mail of one folder whose UID is above the
 * highest one Portico has handled for the folder's UIDVALIDITY, one message at a time, oldest first.
 * It changes nothing on the server (no flags, no deletes): what Portico has handled is recorded in
 * its own database, in the transaction that handles it (docs/architecture.md#incoming-mail).
 */
export async function readNewMail(
  settings: MailboxSettings,
  options: {
    timeoutSeconds: number;
    /** the highest UID already handled under this UIDVALIDITY (0: none) */
    lastHandledUid(uidValidity: string): Promise<number>;
    /** called for each new mail in UID order; an error stops the read (the rest waits for the next poll) */
    onMail(uidValidity: string, mail: FetchedMail): Promise<void>;
    /** at most this many mails per read */
    max: number;
    /** private or local mail servers the operator allows (PORTICO_MAILBOX_ALLOWED_HOSTS) */
    allowedHosts: readonly string[];
  },
): Promise<number> {
  const ms = options.timeoutSeconds * 1000;
  // Resolved and checked once; the connection goes to that address (docs/security.md, E7), and TLS
  // still checks the certificate against the name the admin typed (SNI and the identity check).
  const address = await resolveMailHost(settings.host, options.allowedHosts, ms);
  const name = settings.host.replace(/^\[|\]$/g, '');
  // imapflow is loaded with the first mailbox read (docs/architecture.md, "Loaded on first use")
  const { ImapFlow } = await import('imapflow');
  const client = new ImapFlow({
    host: address,
    ...(isIP(name) ? {} : { servername: name }),
    port: settings.port,
    secure: settings.tls,
    auth: { user: settings.user, pass: settings.password },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: ms,
    greetingTimeout: ms,
    socketTimeout: ms,
  });
  // A dropped connection is reported through the command that was waiting; nothing else listens.
  client.on('error', () => {});
  await client.connect();
  let handled = 0;
  try {
    const lock = await client.getMailboxLock(settings.folder, { readOnly: true });
    try {
      const mailbox = client.mailbox;
      if (!mailbox) throw new Error(`the folder ${settings.folder} could not be opened`);
      const uidValidity = String(mailbox.uidValidity);
      const after = await options.lastHandledUid(uidValidity);
      // `N:*` always includes the last message, even below N: keep only UIDs above the last handled.
      const uids = ((await client.search({ uid: `${after + 1}:*` }, { uid: true })) || []).filter((uid) => uid > after).sort((a, b) => a - b);
      for (const uid of uids.slice(0, options.max)) {
        const message = await client.fetchOne(String(uid), { uid: true, internalDate: true, source: { maxLength: FETCH_MAX_BYTES } }, { uid: true });
        if (!message || !message.source) continue; // expunged meanwhile
        const internal = message.internalDate;
        const receivedAt = internal instanceof Date ? internal : typeof internal === 'string' ? new Date(internal) : undefined;
        await options.onMail(uidValidity, { uid, source: message.source, receivedAt: receivedAt && !Number.isNaN(receivedAt.getTime()) ? receivedAt : undefined });
        handled++;
      }
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  return handled;
}
