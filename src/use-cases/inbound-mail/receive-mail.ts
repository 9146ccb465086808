import { createPortalAccountByEmailInTransaction } from '../onboarding/portal-accounts.js';
import type { Transaction } from 'kysely';
import type { AddressObject, ParsedMail } from 'mailparser';
import type { Database } from '../../db/schema.js';
import type { AppContext, ActorContext } from '../context.js';
import { canWorkProject, type CustomerActor, type StaffActor } from '../../domain/policies.js';
import { findActiveStaffByEmail } from '../../db/queries/caller.js';
import { moveAfterPublicReply } from '../requests/move-status.js';
import type { ProjectRow } from '../../domain/requests.js';
import {
  ATTACHMENT_MAX_BYTES,
  ATTACHMENTS_PER_MAIL_MAX,
  attachmentTypeAllowed,
  automaticMailReason,
  cleanFileName,
  MAILS_PER_SENDER_PER_HOUR,
  normalizeMessageId,
  ownMessageId,
  RAW_MAIL_MAX_BYTES,
  REFUSAL_ANSWER_HOURS,
  subjectRequestKey,
  summaryFromSubject,
} from '../../domain/inbound-mail.js';
import { validCustomerEmail } from '../../domain/customer-email.js';
import { validDisplayName } from '../../domain/display-name.js';
import { outsidersOfSharingCircle } from '../customer-organizations/sharing-rule.js';
import { findProject } from '../../db/queries/projects.js';
import { findRequest, insertNumberedRequest, touchRequest } from '../../db/queries/requests.js';
import {
  claimInboundMessage,
  insertAttachment,
  messageIdSeen,
  recentMailFrom,
  requestOfOutboxMail,
  requestOfReceivedMail,
  settleInboundMessage,
  takeRefusalAnswer,
} from '../../db/queries/inbound-mail.js';
import { mayUseProjectPortal } from '../help-center/portals.js';
import { loadVisibleRequest } from '../requests/visible-request.js';
import { notifyRequestPeople } from '../notifications/notify.js';
import { DESCRIPTION_MAX, SUMMARY_MAX } from '../requests/raise-request.js';
import { COMMENT_MAX } from '../requests/add-comment.js';
import { replyText } from './reply-text.js';
import { stageAttachmentBytes, writeRowsOrDiscard, type StagedBytes } from '../requests/attachment-bytes.js';
import { AppError } from '../../domain/errors.js';

/**
 * A mail whose attachments could not be put in the object store: nothing of it was handled, and it
 * is read again at the next poll (the mailbox shows this message to the admins meanwhile).
 */
export class MailWaitsForStore extends Error {
  constructor(cause: unknown) {
    super('The attachments of a mail could not be stored because the file store is not reachable; the mail will be read again at the next poll.', { cause });
  }
}

export interface IncomingMail {
  projectId: string;
  siteId: string;
  /** the mailbox's own address (its IMAP user when it is an address): mail from it is a loop */
  mailboxAddress: string;
  uidValidity: string;
  uid: number;
  source: Buffer;
}

export type MailOutcome =
  | { outcome: 'request'; requestKey: string }
  | { outcome: 'comment'; requestKey: string }
  | { outcome: 'refused' | 'ignored'; reason: string }
  | { outcome: 'already handled' };

type Accepted = { requestId: string; requestKey: string; commentId?: string; accountId: string };
type Decided =
  | ({ outcome: 'request' } & Accepted)
  | ({ outcome: 'comment' } & Accepted)
  | { outcome: 'refused'; reason: string; accountId?: string }
  | { outcome: 'ignored'; reason: string };

interface Site {
  id: string;
  orgId: string;
  slug: string;
  name: string;
}

/**
 * Handles one mail of a project's mailbox, exactly once (docs/product.md#requests-by-email): the
 * mail is claimed by (project, UIDVALIDITY, UID) in the same transaction that raises the request,
 * adds the comment or logs the refusal, so a second poller finds it claimed and a poller that dies
 * midway leaves nothing and reads it again. A revoked or deleted sender's mail changes nothing but
 * the log, and gets at most one neutral answer a day.
 */
export async function receiveMail(ctx: AppContext, mail: IncomingMail): Promise<MailOutcome> {
  // mailparser is loaded with the first mail read (docs/architecture.md, "Loaded on first use")
  const { simpleParser } = await import('mailparser');
  const parsed = await simpleParser(mail.source, { skipHtmlToText: false, maxHtmlLengthToParse: 1024 * 1024 });
  const from = (firstAddress(parsed.from)?.address ?? '').trim();
  const messageId = normalizeMessageId(parsed.messageId) ?? null;
  const subject = (parsed.subject ?? '').slice(0, 998);
  // With an object store, the attachments are put there before the transaction (which then only
  // names them); the ones no row came to name — the mail was refused, ignored or failed — are
  // deleted again afterwards (docs/architecture.md#attachments).
  const files = await stageMailAttachments(ctx, mail.siteId, usableAttachments(parsed));
  try {
    return await writeRowsOrDiscard(
      files.map((f) => f.staged),
      () => handleInTransaction(ctx, mail, { parsed, from, messageId, subject, files }),
    );
  } finally {
    await Promise.all(files.filter((f) => !f.used).map((f) => f.staged.discard()));
  }
}

async function handleInTransaction(
  ctx: AppContext,
  mail: IncomingMail,
  { parsed, from, messageId, subject, files }: { parsed: ParsedMail; from: string; messageId: string | null; subject: string; files: StagedAttachment[] },
): Promise<MailOutcome> {
  return ctx.db.transaction().execute(async (trx) => {
    const claimId = await claimInboundMessage(trx, {
      siteId: mail.siteId,
      projectId: mail.projectId,
      uidValidity: mail.uidValidity,
      uid: mail.uid,
      messageId,
      from: from.slice(0, 320) || '(none)',
      subject: subject.slice(0, 255),
    });
    if (!claimId) return { outcome: 'already handled' } as const;
    const site = await trx.selectFrom('sites').select(['id', 'org_id', 'slug', 'name']).where('id', '=', mail.siteId).executeTakeFirstOrThrow();
    const siteRef: Site = { id: site.id, orgId: site.org_id, slug: site.slug, name: site.name };
    const project = await findProject(trx, mail.siteId, mail.projectId);
    if (!project) throw new Error(`project ${mail.projectId} of a mailbox is gone`);

    const decided = await decide(trx, ctx, { mail, parsed, from, messageId, subject, site: siteRef, project, claimId, files });
    if (decided.outcome === 'request' || decided.outcome === 'comment') {
      await settleInboundMessage(trx, claimId, {
        outcome: decided.outcome,
        reason: null,
        accountId: decided.accountId,
        requestId: decided.requestId,
        commentId: decided.commentId ?? null,
        raw: new Uint8Array(mail.source.subarray(0, RAW_MAIL_MAX_BYTES)),
        rawSize: mail.source.byteLength,
      });
      return { outcome: decided.outcome, requestKey: decided.requestKey };
    }
    // Refused or ignored: the log row only; the mail itself is not kept.
    await settleInboundMessage(trx, claimId, {
      outcome: decided.outcome,
      reason: decided.reason,
      accountId: decided.outcome === 'refused' ? (decided.accountId ?? null) : null,
      rawSize: mail.source.byteLength,
    });
    if (decided.outcome === 'refused') await answerRefusal(trx, ctx, siteRef, project, from);
    return { outcome: decided.outcome, reason: decided.reason };
  });
}

/**
 * A reply by mail as a public comment of its sender on `request`, with its attachments: the request
 * moves along as after any public reply, and its people are mailed.
 */
async function commentByMail(
  trx: Transaction<Database>,
  ctx: ActorContext,
  m: { site: Site; request: { id: string; key: string }; parsed: ParsedMail; by: 'support' | 'customer'; files: StagedAttachment[] },
): Promise<Decided> {
  const accountId = ctx.actor.accountId;
  const text = replyText(m.parsed.text ?? '').slice(0, COMMENT_MAX).trim();
  const kept = m.files;
  if (text === '' && kept.length === 0) return { outcome: 'ignored', reason: 'an empty reply' };
  const body = text || '(attachments only)';
  const comment = await trx
    .insertInto('comments')
    .values({ site_id: m.site.id, request_id: m.request.id, author_id: accountId, body, public: true })
    .returning('id')
    .executeTakeFirstOrThrow();
  await storeAttachments(trx, m.site, m.request.id, String(comment.id), accountId, kept);
  await touchRequest(trx, m.request.id);
  await moveAfterPublicReply(trx, ctx, { site: m.site, request: m.request, by: m.by });
  await notifyRequestPeople(trx, ctx, { siteId: m.site.id, requestId: m.request.id, event: 'commented', comment: body });
  return { outcome: 'comment', requestId: m.request.id, requestKey: m.request.key, commentId: String(comment.id), accountId };
}

async function decide(
  trx: Transaction<Database>,
  ctx: AppContext,
  m: { mail: IncomingMail; parsed: ParsedMail; from: string; messageId: string | null; subject: string; site: Site; project: ProjectRow; claimId: string; files: StagedAttachment[] },
): Promise<Decided> {
  const { parsed, from, site, project } = m;
  // Thread ids name the public URL's host; outbox ids that host, or portico.invalid without one (jobs/index.ts).
  const domain = [new URL(ctx.origin).hostname, ctx.config.publicUrl ? new URL(ctx.config.publicUrl).hostname : 'portico.invalid'];
  if (!from || !validCustomerEmail(from)) return { outcome: 'ignored', reason: 'no usable sender address' };
  const header = (name: string) => headerText(parsed, name);
  const automatic = automaticMailReason(header, from, header('content-type') ?? '');
  if (automatic) return { outcome: 'ignored', reason: automatic };
  if (m.messageId && ownMessageId(m.messageId, domain)) return { outcome: 'ignored', reason: 'a mail Portico sent (loop)' };
  const fromLower = from.toLowerCase();
  if (fromLower === m.mail.mailboxAddress.toLowerCase() || fromLower === addressOf(ctx.config.mail.from).toLowerCase()) {
    return { outcome: 'ignored', reason: 'sent from the mailbox itself (loop)' };
  }
  if (m.messageId && (await messageIdSeen(trx, site.id, m.messageId, m.claimId))) return { outcome: 'ignored', reason: 'the same mail was handled before (same Message-ID)' };
  if ((await recentMailFrom(trx, project.id, from, m.claimId)) >= MAILS_PER_SENDER_PER_HOUR) {
    return { outcome: 'ignored', reason: `more than ${MAILS_PER_SENDER_PER_HOUR} mails an hour from this address` };
  }

  // Staff of the project answer by mail too (docs/product.md#requests-by-email): a reply of theirs is a
  // public comment by them, moving the conversation as one from the agent view does. A staff member
  // who is also a customer of the site writes as staff on the projects they work.
  const staff = await findActiveStaffByEmail(trx, fromLower);
  if (staff) {
    const staffActor: StaffActor = { kind: 'staff', accountId: staff.accountId, roles: staff.roles };
    if (canWorkProject(staffActor, site, project.id)) {
      const requestId = await repliedRequest(trx, domain, site, project, parsed, m.subject);
      if (!requestId) return { outcome: 'refused', reason: 'a mail from staff that answers no request (staff raise requests in the agent workspace)', accountId: staff.accountId };
      const request = await loadVisibleRequest(trx, staffActor, site, requestId).catch(() => undefined);
      if (!request || request.projectId !== project.id) return { outcome: 'refused', reason: 'the request the mail answers is not of this project', accountId: staff.accountId };
      return commentByMail(trx, { ...ctx, actor: staffActor }, { site, request, parsed, by: 'support', files: m.files });
    }
  }

  // The sender: a customer account of this site with this email (one per site, any state).
  const account = await trx
    .selectFrom('accounts')
    .select(['account_id', 'status'])
    .where('kind', '=', 'customer')
    .where('site_id', '=', site.id)
    .where('email_lower', '=', fromLower)
    .forUpdate()
    .executeTakeFirst();
  let accountId: string;
  if (account) {
    if (account.status !== 'active') return { outcome: 'refused', reason: `the sender's account is ${account.status}`, accountId: account.account_id };
    accountId = account.account_id;
  } else if (project.customerAccess === 'open') {
    const made = await createAccountFromMail(trx, ctx, site, parsed, from);
    if (typeof made !== 'string') return { outcome: 'refused', reason: made.refused };
    accountId = made;
  } else {
    return { outcome: 'refused', reason: 'unknown sender, and the project is restricted to its customers' };
  }
  const actor: CustomerActor = { kind: 'customer', accountId, siteId: site.id };
  const actorCtx: ActorContext = { ...ctx, actor };

  // A reply: the thread names a request (our Message-IDs, or a mail we received), or the subject does.
  const requestId = await repliedRequest(trx, domain, site, project, parsed, m.subject);
  if (requestId) {
    const request = await loadVisibleRequest(trx, actor, site, requestId).catch(() => undefined);
    if (!request || request.projectId !== project.id) return { outcome: 'refused', reason: 'the sender may not comment on the request the mail answers', accountId };
    return commentByMail(trx, actorCtx, { site, request, parsed, by: 'customer', files: m.files });
  }

  if (!(await mayUseProjectPortal(trx, actor, site, project))) return { outcome: 'refused', reason: 'the sender is not a customer of this project', accountId };
  const requestType = await trx.selectFrom('request_types').select('id').where('project_id', '=', project.id).orderBy('position').orderBy('id').executeTakeFirst();
  if (!requestType) return { outcome: 'refused', reason: 'the project has no request type to raise requests with', accountId };

  const participants = await participantsOf(trx, actor, site, project, parsed, [fromLower, m.mail.mailboxAddress.toLowerCase()]);
  const { id: newId, key } = await insertNumberedRequest(trx, {
    siteId: site.id,
    projectId: project.id,
    projectKey: project.key,
    requestTypeId: requestType.id,
    summary: summaryFromSubject(m.subject, SUMMARY_MAX),
    description: (parsed.text ?? '').trim().slice(0, DESCRIPTION_MAX),
    reporterId: accountId,
  });
  if (participants.length) {
    await trx.insertInto('request_participants').values(participants.map((id) => ({ site_id: site.id, request_id: newId, account_id: id }))).execute();
    await notifyRequestPeople(trx, actorCtx, { siteId: site.id, requestId: newId, event: 'shared', recipients: participants });
  }
  await storeAttachments(trx, site, newId, null, accountId, m.files);
  return { outcome: 'request', requestId: newId, requestKey: key, accountId };
}

/** The request a reply belongs to, in this project: by its thread first, then by `[KEY-N]` in the subject. */
async function repliedRequest(trx: Transaction<Database>, domain: readonly string[], site: Site, project: ProjectRow, parsed: ParsedMail, subject: string): Promise<string | undefined> {
  const refs = [...listOf(parsed.inReplyTo), ...listOf(parsed.references)].map((r) => normalizeMessageId(r)).filter((r): r is string => Boolean(r));
  const own = refs.map((r) => ownMessageId(r, domain)).filter((o) => o !== undefined);
  const byThread = own.find((o) => o.kind === 'request')?.id;
  const candidates = [
    byThread,
    await requestOfOutboxMail(trx, site.id, own.filter((o) => o.kind === 'outbox').map((o) => o.id)),
    await requestOfReceivedMail(trx, site.id, refs.slice(0, 100)),
  ];
  for (const id of candidates) {
    if (!id) continue;
    const request = await findRequest(trx, site.id, id);
    if (request && request.projectId === project.id) return request.id;
  }
  const key = subjectRequestKey(subject, project.key);
  return key ? (await findRequest(trx, site.id, key))?.id : undefined;
}

/**
 * The other people a new mail was sent to (To, Cc) who are active customers of the site, when the
 * project's sharing lets the sender share with them; anyone else is left out without a word.
 */
async function participantsOf(trx: Transaction<Database>, actor: CustomerActor, site: Site, project: ProjectRow, parsed: ParsedMail, exclude: string[]): Promise<string[]> {
  const addresses = [...addressesOf(parsed.to), ...addressesOf(parsed.cc)].map((a) => a.toLowerCase()).filter((a) => !exclude.includes(a));
  const wanted = [...new Set(addresses)].slice(0, 50);
  if (wanted.length === 0) return [];
  const rows = await trx
    .selectFrom('accounts')
    .select('account_id')
    .where('kind', '=', 'customer')
    .where('site_id', '=', site.id)
    .where('status', '=', 'active')
    .where('email_lower', 'in', wanted)
    .execute();
  const ids = rows.map((r) => r.account_id).filter((id) => id !== actor.accountId);
  const outsiders = new Set(await outsidersOfSharingCircle(trx, actor, project, null, ids));
  return ids.filter((id) => !outsiders.has(id));
}

/**
 * A stranger's first mail to an open project: a portal-only account with their address and name, by
 * the site's sign-up rules (docs/product.md#signup: only while sign-up is on and the address's domain
 * is allowed), and a link to confirm the address by choosing a password — the one function every
 * path that makes an account from an address alone goes through. Undefined when the rules refuse it.
 */
async function createAccountFromMail(trx: Transaction<Database>, ctx: AppContext, site: Site, parsed: ParsedMail, from: string): Promise<string | { refused: string }> {
  const name = firstAddress(parsed.from)?.name?.trim() || from.split('@')[0]!;
  const made = await createPortalAccountByEmailInTransaction(ctx, trx, { site, email: from, displayName: safeDisplayName(name, from), via: 'email' });
  if (made.outcome === 'created') return made.accountId;
  if (made.outcome === 'existing') return made.status === 'active' ? made.accountId : { refused: `the sender's account is ${made.status}` };
  return {
    refused:
      made.reason === 'signup_closed'
        ? 'unknown sender, and the site does not take sign-ups'
        : made.reason === 'domain_not_allowed'
          ? "unknown sender, and the site's sign-up does not take their email domain"
          : 'the sender is not a valid email address',
  };
}

function safeDisplayName(name: string, from: string): string {
  try {
    return validDisplayName(name.slice(0, 255));
  } catch {
    return validDisplayName(from.split('@')[0]!.slice(0, 255) || 'Customer');
  }
}

/**
 * The neutral answer to refused mail: the same words whatever the reason (revoked, deleted, unknown,
 * not a customer), at most once a day per address, and never tied to an account (so the delivery
 * job does not look at one).
 */
async function answerRefusal(trx: Transaction<Database>, ctx: AppContext, site: Site, project: ProjectRow, to: string): Promise<void> {
  if (!(await takeRefusalAnswer(trx, site.id, to, REFUSAL_ANSWER_HOURS))) return;
  await ctx.mailer.send(trx, {
    to,
    subject: `Your message to ${site.name} was not accepted`,
    body: [
      'Hello,',
      '',
      `Your message to ${project.portalName} was not accepted, and no request was raised from it.`,
      'If you think this is a mistake, contact the people who gave you this address.',
      '',
      'This is an automatic answer; you will get at most one a day.',
    ].join('\n'),
    orgId: site.orgId,
    siteId: site.id,
    recipientId: null,
  });
}

interface KeptAttachment {
  fileName: string;
  contentType: string;
  content: Buffer;
}

/** The attachments of a mail that may be kept: allowed types, within the size cap, at most ATTACHMENTS_PER_MAIL_MAX. */
function usableAttachments(parsed: ParsedMail): KeptAttachment[] {
  return parsed.attachments
    .filter((a) => a.contentDisposition !== 'inline' || Boolean(a.filename))
    .filter((a) => a.size <= ATTACHMENT_MAX_BYTES && attachmentTypeAllowed(a.contentType))
    .slice(0, ATTACHMENTS_PER_MAIL_MAX)
    .map((a) => ({ fileName: cleanFileName(a.filename), contentType: a.contentType.split(';')[0]!.trim().toLowerCase(), content: a.content }));
}

/** A kept attachment whose bytes are staged (in memory, or already an object of the store). */
interface StagedAttachment {
  fileName: string;
  contentType: string;
  staged: StagedBytes;
  /** set when a row names it: the objects of the others are deleted after the transaction */
  used: boolean;
}

async function stageMailAttachments(ctx: AppContext, siteId: string, files: KeptAttachment[]): Promise<StagedAttachment[]> {
  const staged: StagedAttachment[] = [];
  try {
    for (const f of files) {
      staged.push({ fileName: f.fileName, contentType: f.contentType, staged: await stageAttachmentBytes(ctx.config, siteId, new Uint8Array(f.content), f.contentType), used: false });
    }
  } catch (error) {
    await Promise.all(staged.map((s) => s.staged.discard()));
    if (error instanceof AppError && error.code === 'unavailable') throw new MailWaitsForStore(error.cause ?? error);
    throw error;
  }
  return staged;
}

async function storeAttachments(trx: Transaction<Database>, site: Site, requestId: string, commentId: string | null, uploadedBy: string, files: StagedAttachment[]): Promise<void> {
  for (const f of files) {
    await insertAttachment(trx, { siteId: site.id, requestId, commentId, fileName: f.fileName, contentType: f.contentType, uploadedBy, ...f.staged.bytes });
    f.used = true;
  }
}

function firstAddress(value: AddressObject | AddressObject[] | undefined): { address?: string; name: string } | undefined {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((v) => v.value)[0];
}

function addressesOf(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  const out: string[] = [];
  const walk = (entries: Array<{ address?: string; group?: Array<{ address?: string }> }>) => {
    for (const e of entries) {
      if (e.address) out.push(e.address);
      if (e.group) walk(e.group);
    }
  };
  for (const v of list) walk(v.value);
  return out;
}

function listOf(value: string | string[] | undefined): string[] {
  if (!value) return [];
  return (Array.isArray(value) ? value : value.split(/\s+/)).filter(Boolean);
}

/** A header's value as text (mailparser gives structured values for some). */
function headerText(parsed: ParsedMail, name: string): string | undefined {
  const value = parsed.headers.get(name);
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && 'value' in value && typeof (value as { value: unknown }).value === 'string') return (value as { value: string }).value;
  return String(value);
}

function addressOf(from: string): string {
  return /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from.trim();
}
