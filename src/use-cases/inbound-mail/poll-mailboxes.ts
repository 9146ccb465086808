import type { AppContext } from '../context.js';
import { listAllMailboxes, lastHandledUid, recordMailboxPoll, recordPassedOverMail, type StoredMailbox } from '../../db/queries/inbound-mail.js';
import { openSecret } from '../../domain/secret-box.js';
import { readNewMail } from '../../integrations/imap.js';
import { MailWaitsForStore, receiveMail, type MailOutcome } from './receive-mail.js';

/** Mails read from one mailbox per poll; the rest wait for the next. */
export const MAILS_PER_POLL = 200;
export const IMAP_TIMEOUT_SECONDS = 30;

export const OLDER_THAN_MAILBOX = 'in the folder before the mailbox was set up';
/** The mail server's clock and ours may differ a little: mail this much older than the set-up still counts. */
const CLOCK_SLACK_MS = 10 * 60_000;

/** Tries at handling one mail (over successive polls of this process) before it is passed over. */
export const TRIES_PER_MAIL = 3;
const failures = new Map<string, number>();

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 300);
}

export interface PollReport {
  projectId: string;
  handled: MailOutcome[];
  error?: string;
}

/**
 * Reads every project's mailbox once and handles each new mail (receive-mail.ts). A mailbox that
 * cannot be read (down, wrong password, no key to open it) is noted on the mailbox for the admins
 * and the others are read all the same.
 */
export async function pollMailboxes(ctx: AppContext): Promise<PollReport[]> {
  const reports: PollReport[] = [];
  for (const mailbox of await listAllMailboxes(ctx.db)) reports.push(await pollMailbox(ctx, mailbox));
  return reports;
}

export async function pollMailbox(ctx: AppContext, mailbox: StoredMailbox): Promise<PollReport> {
  const handled: MailOutcome[] = [];
  try {
    if (!ctx.config.secretKey) throw new Error('PORTICO_SECRET_KEY is not set: the mailbox password cannot be opened');
    const password = openSecret(ctx.config.secretKey, mailbox.passwordSealed);
    await readNewMail(
      { host: mailbox.host, port: mailbox.port, tls: mailbox.tls, user: mailbox.user, password, folder: mailbox.folder },
      {
        timeoutSeconds: IMAP_TIMEOUT_SECONDS,
        max: MAILS_PER_POLL,
        allowedHosts: ctx.config.mailboxAllowedHosts,
        lastHandledUid: (uidValidity) => lastHandledUid(ctx.db, mailbox.projectId, uidValidity),
        onMail: async (uidValidity, mail) => {
          const key = `${mailbox.projectId}/${uidValidity}/${mail.uid}`;
          // Mail already in the folder when the mailbox was set up is history, not new requests.
          if (mail.receivedAt && mail.receivedAt.getTime() < mailbox.createdAt.getTime() - CLOCK_SLACK_MS) {
            await recordPassedOverMail(ctx.db, { siteId: mailbox.siteId, projectId: mailbox.projectId, uidValidity, uid: mail.uid, reason: OLDER_THAN_MAILBOX });
            handled.push({ outcome: 'ignored', reason: OLDER_THAN_MAILBOX });
            return;
          }
          try {
            handled.push(
              await receiveMail(ctx, {
                projectId: mailbox.projectId,
                siteId: mailbox.siteId,
                mailboxAddress: mailbox.user.includes('@') ? mailbox.user : '',
                uidValidity,
                uid: mail.uid,
                source: mail.source,
              }),
            );
            failures.delete(key);
          } catch (error) {
            // The object store is down: the mail is not at fault, and waits (unread) for the next poll.
            if (error instanceof MailWaitsForStore) throw error;
            // A mail that fails again and again (one that breaks the parser, say) must not hold up
            // every mail after it: after a few tries it is logged as not handled and passed over.
            const tries = (failures.get(key) ?? 0) + 1;
            failures.set(key, tries);
            if (tries < TRIES_PER_MAIL) throw error;
            failures.delete(key);
            await recordPassedOverMail(ctx.db, { siteId: mailbox.siteId, projectId: mailbox.projectId, uidValidity, uid: mail.uid, reason: `could not be handled: ${messageOf(error)}` });
            handled.push({ outcome: 'ignored', reason: 'could not be handled' });
          }
        },
      },
    );
    await recordMailboxPoll(ctx.db, mailbox.projectId, null);
    return { projectId: mailbox.projectId, handled };
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    await recordMailboxPoll(ctx.db, mailbox.projectId, message).catch(() => {});
    return { projectId: mailbox.projectId, handled, error: message };
  }
}
