import { sql, type Kysely } from 'kysely';
import type { Db } from '../connection.js';
import type { AccountStatus, Database, OutboxStatus } from '../schema.js';

export interface NewOutboxMail {
  to: string;
  subject: string;
  body: string;
  orgId: string | null;
  siteId: string | null;
  recipientId: string | null;
  /** a request notification's extras (src/use-cases/notifications/notify.ts) */
  notification?: {
    html: string;
    requestId: string;
    /** the request's thread: In-Reply-To and References of every mail about it */
    threadId: string;
    unsubscribeUrl: string;
    /** the From display name: the site's */
    senderName: string;
  };
  /** a revoke or welcome-back notice (docs/product.md#reason-and-notice): the one mail a revoked account may get */
  accessNotice?: 'revoked' | 'granted';
}

/** Writes one mail in the caller's transaction; returns its id. */
export async function insertOutboxMail(trx: Kysely<Database>, mail: NewOutboxMail, status: 'kept' | 'queued'): Promise<string> {
  const row = await trx
    .insertInto('outbox')
    .values({
      org_id: mail.orgId,
      site_id: mail.siteId,
      recipient_id: mail.recipientId,
      to_address: mail.to,
      subject: mail.subject,
      body: mail.body,
      status,
      html_body: mail.notification?.html ?? null,
      request_id: mail.notification?.requestId ?? null,
      thread_id: mail.notification?.threadId ?? null,
      unsubscribe_url: mail.notification?.unsubscribeUrl ?? null,
      sender_name: mail.notification?.senderName ?? null,
      access_notice: mail.accessNotice ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

export interface OutboxMailForDelivery {
  id: string;
  to: string;
  subject: string;
  body: string;
  status: OutboxStatus;
  /** null when the mail names no account; the account's status otherwise */
  recipientStatus: AccountStatus | null;
  recipientId: string | null;
  html: string | null;
  threadId: string | null;
  unsubscribeUrl: string | null;
  senderName: string | null;
  /** the recipient stopped mail about the request since this one was queued */
  muted: boolean;
  accessNotice: 'revoked' | 'granted' | null;
}

export async function findOutboxMailForDelivery(db: Db, id: string): Promise<OutboxMailForDelivery | undefined> {
  const row = await db
    .selectFrom('outbox as m')
    .leftJoin('accounts as a', 'a.account_id', 'm.recipient_id')
    .leftJoin('request_mail_mutes as mute', (join) => join.onRef('mute.request_id', '=', 'm.request_id').onRef('mute.account_id', '=', 'm.recipient_id'))
    .select(['m.id', 'm.to_address', 'm.subject', 'm.body', 'm.status', 'm.recipient_id', 'a.status as recipient_status'])
    .select(['m.html_body', 'm.thread_id', 'm.unsubscribe_url', 'm.sender_name', 'mute.account_id as muted_by', 'm.access_notice'])
    .where('m.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: String(row.id),
    to: row.to_address,
    subject: row.subject,
    body: row.body,
    status: row.status,
    recipientId: row.recipient_id,
    recipientStatus: row.recipient_status ?? null,
    html: row.html_body,
    threadId: row.thread_id,
    unsubscribeUrl: row.unsubscribe_url,
    senderName: row.sender_name,
    muted: row.muted_by !== null,
    accessNotice: row.access_notice,
  };
}

/**
 * Records the outcome of one delivery attempt on a queued mail. Only a row still `queued` changes, so
 * a repeated job (a worker that vanished mid-attempt) cannot turn a sent or cancelled mail back.
 */
export async function recordDeliveryAttempt(
  db: Db,
  id: string,
  outcome: { status: 'sent' } | { status: 'queued' | 'failed'; error: string },
): Promise<void> {
  let q = db
    .updateTable('outbox')
    .set({ status: outcome.status, attempts: sql<number>`attempts + 1` })
    .where('id', '=', id)
    .where('status', '=', 'queued');
  q = outcome.status === 'sent' ? q.set({ sent_at: sql<Date>`now()` }) : q.set({ last_error: outcome.error });
  await q.execute();
}

/** A queued mail whose recipient may no longer be mailed: never sent. */
export async function cancelQueuedMail(db: Db, id: string, reason: string): Promise<void> {
  await db.updateTable('outbox').set({ status: 'cancelled', last_error: reason }).where('id', '=', id).where('status', '=', 'queued').execute();
}
