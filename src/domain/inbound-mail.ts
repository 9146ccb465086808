/**
 * The rules of requests by email (docs/product.md#requests-by-email) that need no I/O: what a
 * mailbox setting may be, which mail is automatic and never answered, which request a reply names,
 * and the limits on what is kept.
 */

export interface MailboxSettings {
  host: string;
  port: number;
  tls: boolean;
  user: string;
  password: string;
  folder: string;
}

/** The original of an accepted mail is kept up to this size (bytes); a longer one is cut. */
export const RAW_MAIL_MAX_BYTES = 2 * 1024 * 1024;
/** One attachment, by mail or upload; a larger one is not kept (and the request says so). */
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
/** At most this many attachments are kept from one mail. */
export const ATTACHMENTS_PER_MAIL_MAX = 20;
/** Mail from one address to one mailbox beyond this many an hour is ignored (a loop, a flood). */
export const MAILS_PER_SENDER_PER_HOUR = 20;
/** The neutral "not accepted" answer goes to one address at most once in this many hours. */
export const REFUSAL_ANSWER_HOURS = 24;

/**
 * What attachments may be: documents, images, text and archives a help desk is sent every day.
 * Types a browser would run (HTML, SVG, scripts) are not kept, whatever the sender calls them, and
 * every download is served as an attachment with nosniff anyway.
 */
export const ATTACHMENT_TYPES: ReadonlySet<string> = new Set([
  'application/pdf',
  'application/zip',
  'application/json',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/octet-stream',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'text/plain',
  'text/csv',
  'message/rfc822',
]);

export function attachmentTypeAllowed(contentType: string): boolean {
  return ATTACHMENT_TYPES.has(contentType.split(';')[0]!.trim().toLowerCase());
}

/** A file name safe to store and to put in a Content-Disposition header. */
export function cleanFileName(name: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = (name ?? '').replace(/[\u0000-\u001f\u007f"\\/]/g, '_').trim().slice(0, 200);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'attachment' : cleaned;
}

export class MailboxUrlError extends Error {}

/**
 * `imap://USER:PASSWORD@HOST:PORT/FOLDER` (TLS off unless asked; port 143) or `imaps://…` (TLS;
 * port 993). User and password are percent-decoded, so an `@` in a user name is written `%40`.
 */
export function parseMailboxUrl(text: string, tls?: boolean): MailboxSettings {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new MailboxUrlError('The mailbox must be a URL like imap://USER:PASSWORD@HOST:PORT/INBOX.');
  }
  if (url.protocol !== 'imap:' && url.protocol !== 'imaps:') throw new MailboxUrlError('The mailbox URL must start with imap:// or imaps://.');
  const secure = tls ?? url.protocol === 'imaps:';
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  if (!url.hostname) throw new MailboxUrlError('The mailbox URL must name a host.');
  if (!user || !password) throw new MailboxUrlError('The mailbox URL must carry a user name and a password (imap://USER:PASSWORD@HOST/INBOX).');
  const folder = decodeURIComponent(url.pathname.replace(/^\/+/, '')) || 'INBOX';
  const port = url.port ? Number(url.port) : secure ? 993 : 143;
  return checkMailboxSettings({ host: url.hostname.replace(/^\[|\]$/g, ''), port, tls: secure, user, password, folder });
}

export function checkMailboxSettings(s: MailboxSettings): MailboxSettings {
  const host = s.host.trim();
  if (!host || host.length > 255 || /[\s/]/.test(host)) throw new MailboxUrlError('The mailbox host must be a host name or an address.');
  if (!Number.isInteger(s.port) || s.port < 1 || s.port > 65535) throw new MailboxUrlError('The mailbox port must be a number from 1 to 65535.');
  if (!s.user || s.user.length > 320) throw new MailboxUrlError('The mailbox user name must be 1 to 320 characters.');
  if (!s.password || s.password.length > 1000) throw new MailboxUrlError('The mailbox password must be 1 to 1000 characters.');
  const folder = s.folder.trim() || 'INBOX';
  if (folder.length > 255) throw new MailboxUrlError('The mailbox folder name must be at most 255 characters.');
  return { host, port: s.port, tls: s.tls, user: s.user, password: s.password, folder };
}

/** Header values as the parser gives them, by lower-case name. */
export type HeaderLookup = (name: string) => string | undefined;

/**
 * Why a mail is automatic and must neither raise nor answer anything (RFC 3834 and the headers mail
 * programs and list servers set), or undefined for a mail a person sent.
 */
export function automaticMailReason(header: HeaderLookup, from: string, contentType: string): string | undefined {
  const autoSubmitted = (header('auto-submitted') ?? '').trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return `automatic reply (Auto-Submitted: ${autoSubmitted.slice(0, 40)})`;
  const precedence = (header('precedence') ?? '').trim().toLowerCase();
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(precedence)) return `bulk mail (Precedence: ${precedence})`;
  if (header('x-autoreply') !== undefined || header('x-autorespond') !== undefined || header('x-auto-response-suppress')?.toLowerCase().includes('all')) return 'automatic reply';
  if (header('list-id') !== undefined) return 'mailing list mail (List-Id)';
  if (/^multipart\/report/i.test(contentType)) return 'delivery report (bounce)';
  const local = from.split('@')[0]!.toLowerCase();
  if (['mailer-daemon', 'postmaster', 'noreply', 'no-reply', 'do-not-reply', 'donotreply'].includes(local)) return `automatic sender (${local})`;
  const returnPath = header('return-path');
  if (returnPath !== undefined && returnPath.replace(/\s/g, '') === '<>') return 'delivery report (empty Return-Path)';
  return undefined;
}

/** Message-IDs Portico writes (src/jobs/deliver-mail.ts and notifications): outbox mails and request threads. */
export interface OwnMessageId {
  kind: 'outbox' | 'request';
  id: string;
}

/** Whether a Message-ID is one Portico made on one of its `domains`, and what it names. */
export function ownMessageId(messageId: string, domains: readonly string[]): OwnMessageId | undefined {
  const m = /^<?(outbox-(\d+)|request-(\d+)\.[^@>]+)@([^>]+)>?$/i.exec(messageId.trim());
  if (!m || !domains.some((d) => d.toLowerCase() === m[4]!.toLowerCase())) return undefined;
  return m[2] ? { kind: 'outbox', id: m[2] } : { kind: 'request', id: m[3]! };
}

/** The request key a subject names in brackets (`Re: [HELP-12] VPN`), for this project only. */
export function subjectRequestKey(subject: string, projectKey: string): string | undefined {
  for (const m of subject.matchAll(/\[([A-Za-z][A-Za-z0-9]{0,9})-(\d{1,9})\]/g)) {
    if (m[1]!.toUpperCase() === projectKey.toUpperCase()) return `${projectKey.toUpperCase()}-${Number(m[2])}`;
  }
  return undefined;
}

/** A request's summary from a mail's subject: no reply prefixes, one line, at most `max` characters. */
export function summaryFromSubject(subject: string, max: number): string {
  let s = subject.replace(/\s+/g, ' ').trim();
  for (;;) {
    const next = s.replace(/^(re|fw|fwd|aw|sv|wg)\s*:\s*/i, '');
    if (next === s) break;
    s = next;
  }
  return s.slice(0, max).trim() || '(no subject)';
}

/** Normalises a Message-ID for storage and matching: `<local@domain>`, at most 998 characters. */
export function normalizeMessageId(value: string | undefined): string | undefined {
  const text = (value ?? '').trim();
  if (!text) return undefined;
  const bare = text.replace(/^<|>$/g, '');
  return bare ? `<${bare.slice(0, 990)}>` : undefined;
}
