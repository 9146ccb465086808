import { sql, type ExpressionBuilder, type Transaction } from 'kysely';
import type { Db } from '../connection.js';
import type { Database, InboundOutcome } from '../schema.js';

type Executor = Transaction<Database> | Db;

/** A project's incoming mailbox as stored: the password still sealed. */
export interface StoredMailbox {
  projectId: string;
  projectKey: string;
  siteId: string;
  host: string;
  port: number;
  tls: boolean;
  user: string;
  passwordSealed: string;
  folder: string;
  /** when the mailbox was first saved: older mail in the folder is passed over */
  createdAt: Date;
  updatedAt: Date;
  lastPolledAt: Date | null;
  lastError: string | null;
}

function mailboxSelect(db: Executor) {
  return db
    .selectFrom('project_mailboxes as m')
    .innerJoin('projects as p', 'p.id', 'm.project_id')
    .select(['m.project_id', 'p.key', 'm.site_id', 'm.host', 'm.port', 'm.tls', 'm.username', 'm.password_sealed', 'm.folder', 'm.created_at', 'm.updated_at', 'm.last_polled_at', 'm.last_error']);
}

function toMailbox(r: {
  project_id: string; key: string; site_id: string; host: string; port: number; tls: boolean; username: string; password_sealed: string; folder: string;
  created_at: Date; updated_at: Date; last_polled_at: Date | null; last_error: string | null;
}): StoredMailbox {
  return {
    projectId: String(r.project_id),
    projectKey: r.key,
    siteId: r.site_id,
    host: r.host,
    port: Number(r.port),
    tls: r.tls,
    user: r.username,
    passwordSealed: r.password_sealed,
    folder: r.folder,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
    lastPolledAt: r.last_polled_at ? new Date(r.last_polled_at) : null,
    lastError: r.last_error,
  };
}

export async function findProjectMailbox(db: Executor, projectId: string): Promise<StoredMailbox | undefined> {
  const row = await mailboxSelect(db).where('m.project_id', '=', projectId).executeTakeFirst();
  return row && toMailbox(row);
}

export async function listSiteMailboxes(db: Executor, siteId: string): Promise<StoredMailbox[]> {
  const rows = await mailboxSelect(db).where('m.site_id', '=', siteId).orderBy('p.key').execute();
  return rows.map(toMailbox);
}

export async function listAllMailboxes(db: Executor): Promise<StoredMailbox[]> {
  const rows = await mailboxSelect(db).orderBy('m.project_id').execute();
  return rows.map(toMailbox);
}

export async function upsertProjectMailbox(
  trx: Executor,
  m: { projectId: string; siteId: string; host: string; port: number; tls: boolean; user: string; passwordSealed: string; folder: string; updatedBy: string | null },
): Promise<void> {
  const values = { host: m.host, port: m.port, tls: m.tls, username: m.user, password_sealed: m.passwordSealed, folder: m.folder, updated_by: m.updatedBy, updated_at: sql<Date>`now()`, last_error: null };
  await trx
    .insertInto('project_mailboxes')
    .values({ project_id: m.projectId, site_id: m.siteId, ...values })
    .onConflict((oc) => oc.column('project_id').doUpdateSet(values))
    .execute();
}

export async function deleteProjectMailbox(trx: Executor, projectId: string): Promise<boolean> {
  const r = await trx.deleteFrom('project_mailboxes').where('project_id', '=', projectId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function recordMailboxPoll(db: Executor, projectId: string, error: string | null): Promise<void> {
  await db.updateTable('project_mailboxes').set({ last_polled_at: sql<Date>`now()`, last_error: error }).where('project_id', '=', projectId).execute();
}

/** The highest UID handled in a mailbox under one UIDVALIDITY (0: none). */
export async function lastHandledUid(db: Executor, projectId: string, uidValidity: string): Promise<number> {
  const row = await db
    .selectFrom('inbound_messages')
    .select((eb) => eb.fn.max('uid').as('uid'))
    .where('project_id', '=', projectId)
    .where('uid_validity', '=', uidValidity)
    .executeTakeFirst();
  return Number(row?.uid ?? 0);
}

/**
 * Claims one mail for handling inside the caller's transaction: false when another transaction
 * holds or has committed it (the unique (project, UIDVALIDITY, UID)); on PostgreSQL a racing claim
 * waits for the first transaction and then finds the row.
 */
export async function claimInboundMessage(
  trx: Transaction<Database>,
  m: { siteId: string; projectId: string; uidValidity: string; uid: number; messageId: string | null; from: string; subject: string },
): Promise<string | undefined> {
  const row = await trx
    .insertInto('inbound_messages')
    .values({
      site_id: m.siteId,
      project_id: m.projectId,
      uid_validity: m.uidValidity,
      uid: m.uid,
      message_id: m.messageId,
      from_address: m.from,
      subject: m.subject,
      outcome: 'ignored',
      reason: 'being handled',
    })
    .onConflict((oc) => oc.columns(['project_id', 'uid_validity', 'uid']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row ? String(row.id) : undefined;
}

/**
 * A mail passed over without being read for people (it failed every try, or it was in the folder
 * before the mailbox was set): logged as ignored with why, so the mails after it are read.
 */
export async function recordPassedOverMail(db: Db, m: { siteId: string; projectId: string; uidValidity: string; uid: number; reason: string }): Promise<void> {
  await db
    .insertInto('inbound_messages')
    .values({ site_id: m.siteId, project_id: m.projectId, uid_validity: m.uidValidity, uid: m.uid, from_address: '(unknown)', outcome: 'ignored', reason: m.reason.slice(0, 500) })
    .onConflict((oc) => oc.columns(['project_id', 'uid_validity', 'uid']).doNothing())
    .execute();
}

export async function settleInboundMessage(
  trx: Transaction<Database>,
  id: string,
  s: { outcome: InboundOutcome; reason: string | null; accountId?: string | null; requestId?: string | null; commentId?: string | null; raw?: Uint8Array | null; rawSize?: number },
): Promise<void> {
  await trx
    .updateTable('inbound_messages')
    .set({
      outcome: s.outcome,
      reason: s.reason,
      account_id: s.accountId ?? null,
      request_id: s.requestId ?? null,
      comment_id: s.commentId ?? null,
      raw: s.raw ?? null,
      raw_size: s.rawSize ?? 0,
    })
    .where('id', '=', id)
    .execute();
}

/** Whether another mail with this Message-ID was already handled on the site (the same mail twice). */
export async function messageIdSeen(trx: Executor, siteId: string, messageId: string, exceptId: string): Promise<boolean> {
  const row = await trx.selectFrom('inbound_messages').select('id').where('site_id', '=', siteId).where('message_id', '=', messageId).where('id', '!=', exceptId).executeTakeFirst();
  return Boolean(row);
}

/** The request a received mail with one of these Message-IDs became or commented on. */
export async function requestOfReceivedMail(trx: Executor, siteId: string, messageIds: readonly string[]): Promise<string | undefined> {
  if (messageIds.length === 0) return undefined;
  const row = await trx
    .selectFrom('inbound_messages')
    .select('request_id')
    .where('site_id', '=', siteId)
    .where('message_id', 'in', messageIds)
    .where('request_id', 'is not', null)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row?.request_id ? String(row.request_id) : undefined;
}

export async function requestOfOutboxMail(trx: Executor, siteId: string, outboxIds: readonly string[]): Promise<string | undefined> {
  if (outboxIds.length === 0) return undefined;
  const row = await trx.selectFrom('outbox').select('request_id').where('site_id', '=', siteId).where('id', 'in', outboxIds).where('request_id', 'is not', null).executeTakeFirst();
  return row?.request_id ? String(row.request_id) : undefined;
}

/** Mail from this address to this mailbox in the last hour, the mail being handled not counted. */
export async function recentMailFrom(trx: Executor, projectId: string, address: string, exceptId: string): Promise<number> {
  const row = await trx
    .selectFrom('inbound_messages')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('project_id', '=', projectId)
    .where(sql<string>`lower(from_address)`, '=', address.toLowerCase())
    .where('received_at', '>', sql<Date>`now() - interval '1 hour'`)
    .where('id', '!=', exceptId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Notes that a refused sender is answered now, unless they were answered within `hours`: true when
 * the caller is to send the answer. One row per site and address, so two refusals racing answer once.
 */
export async function takeRefusalAnswer(trx: Executor, siteId: string, address: string, hours: number): Promise<boolean> {
  const row = await trx
    .insertInto('inbound_refusal_answers')
    .values({ site_id: siteId, address_lower: address.toLowerCase() })
    .onConflict((oc) =>
      oc
        .columns(['site_id', 'address_lower'])
        .doUpdateSet({ answered_at: sql<Date>`now()` })
        .where('inbound_refusal_answers.answered_at', '<', sql<Date>`now() - make_interval(hours => ${hours})`),
    )
    .returning('address_lower')
    .executeTakeFirst();
  return Boolean(row);
}

export interface InboundLogEntry {
  id: string;
  projectKey: string;
  from: string;
  subject: string;
  receivedAt: Date;
  outcome: InboundOutcome;
  reason: string | null;
}

/** The mail of a site's mailboxes that raised nothing (refused or ignored), newest first. */
export async function listInboundLog(db: Executor, siteId: string, limit: number, offset: number): Promise<InboundLogEntry[]> {
  const rows = await db
    .selectFrom('inbound_messages as i')
    .innerJoin('projects as p', 'p.id', 'i.project_id')
    .select(['i.id', 'p.key', 'i.from_address', 'i.subject', 'i.received_at', 'i.outcome', 'i.reason'])
    .where('i.site_id', '=', siteId)
    .where('i.outcome', 'in', ['refused', 'ignored'])
    .orderBy('i.received_at', 'desc')
    .orderBy('i.id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map((r) => ({ id: String(r.id), projectKey: r.key, from: r.from_address, subject: r.subject, receivedAt: new Date(r.received_at), outcome: r.outcome, reason: r.reason }));
}

export interface AttachmentInfo {
  id: string;
  requestId: string;
  fileName: string;
  contentType: string;
  size: number;
  createdAt: Date;
  /** the account that attached it */
  uploadedBy: string;
}

/**
 * Where an attachment's bytes are: in the row (`content`), or an object of the store whose key the
 * row keeps (`storageKey`, docs/architecture.md#attachments) — exactly one of the two.
 */
export type AttachmentBytes = { content: Uint8Array; storageKey?: undefined } | { storageKey: string; size: number; content?: undefined };

export async function insertAttachment(
  trx: Transaction<Database>,
  a: { siteId: string; requestId: string; commentId: string | null; fileName: string; contentType: string; uploadedBy: string } & AttachmentBytes,
): Promise<string> {
  const row = await trx
    .insertInto('request_attachments')
    .values({
      site_id: a.siteId,
      request_id: a.requestId,
      comment_id: a.commentId,
      file_name: a.fileName,
      content_type: a.contentType,
      size: a.content ? a.content.byteLength : a.size,
      content: a.content ?? null,
      storage_key: a.storageKey ?? null,
      uploaded_by: a.uploadedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return String(row.id);
}

/** Files on internal notes are left out with `publicOnly` (what a customer may see). */
function visibleTo(publicOnly: boolean) {
  return (eb: ExpressionBuilder<Database, 'request_attachments'>) =>
    publicOnly
      ? eb.or([eb('request_attachments.comment_id', 'is', null), eb.exists(eb.selectFrom('comments as c').select('c.id').whereRef('c.id', '=', 'request_attachments.comment_id').where('c.public', '=', true))])
      : eb.lit(true);
}

export async function listRequestAttachments(db: Executor, requestId: string, options: { publicOnly: boolean }): Promise<AttachmentInfo[]> {
  const rows = await db
    .selectFrom('request_attachments')
    .select(['id', 'request_id', 'file_name', 'content_type', 'size', 'created_at', 'uploaded_by'])
    .where('request_id', '=', requestId)
    .where(visibleTo(options.publicOnly))
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: String(r.id), requestId: String(r.request_id), fileName: r.file_name, contentType: r.content_type, size: Number(r.size), createdAt: new Date(r.created_at), uploadedBy: r.uploaded_by }));
}

/**
 * An attachment's description, if the caller may see it, and the key of its object when its bytes
 * are in the object store (otherwise they are read by readAttachmentChunks).
 */
export async function findAttachment(db: Executor, requestId: string, attachmentId: string, options: { publicOnly: boolean }): Promise<(AttachmentInfo & { storageKey: string | null }) | undefined> {
  const r = await db
    .selectFrom('request_attachments')
    .select(['id', 'request_id', 'file_name', 'content_type', 'size', 'created_at', 'uploaded_by', 'storage_key'])
    .where('request_id', '=', requestId)
    .where('id', '=', attachmentId)
    .where(visibleTo(options.publicOnly))
    .executeTakeFirst();
  return r && { id: String(r.id), requestId: String(r.request_id), fileName: r.file_name, contentType: r.content_type, size: Number(r.size), createdAt: new Date(r.created_at), uploadedBy: r.uploaded_by, storageKey: r.storage_key };
}

/** How much of an attachment one statement reads while it is streamed. */
export const ATTACHMENT_CHUNK_BYTES = 256 * 1024;

/**
 * An attachment's bytes, read in chunks of ATTACHMENT_CHUNK_BYTES as the answer is sent, so a
 * download holds one chunk in memory, not the file (an attachment never changes once stored).
 */
export async function* readAttachmentChunks(db: Executor, attachmentId: string, size: number, chunkBytes = ATTACHMENT_CHUNK_BYTES): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < size; offset += chunkBytes) {
    const r = await db
      .selectFrom('request_attachments')
      .select(sql<Uint8Array>`substring(content from ${offset + 1}::int for ${chunkBytes}::int)`.as('chunk'))
      .where('id', '=', attachmentId)
      .executeTakeFirst();
    if (!r || r.chunk.byteLength === 0) return;
    yield Buffer.from(r.chunk.buffer, r.chunk.byteOffset, r.chunk.byteLength);
  }
}
