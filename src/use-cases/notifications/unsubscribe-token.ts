import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The token of a request's unsubscribe link: which request and which recipient, signed with the
 * site's secret (`sites.mail_key`) so nobody can make one for someone else. It changes nothing by
 * itself and never logs anyone in; it only turns one person's mail about one request off or on.
 */
export function signUnsubscribeToken(mailKey: string, siteId: string, requestId: string, accountId: string): string {
  const payload = Buffer.from(`${requestId}.${accountId}`, 'utf8').toString('base64url');
  return `${payload}.${mac(mailKey, siteId, payload)}`;
}

/** The request and account a token names, when its signature is the site's; undefined otherwise. */
export function readUnsubscribeToken(mailKey: string, siteId: string, token: string): { requestId: string; accountId: string } | undefined {
  const parts = token.split('.');
  if (parts.length !== 2) return undefined;
  const [payload, signature] = parts;
  const expected = Buffer.from(mac(mailKey, siteId, payload), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const text = Buffer.from(payload, 'base64url').toString('utf8');
  const dot = text.indexOf('.');
  if (dot <= 0) return undefined;
  const requestId = text.slice(0, dot);
  const accountId = text.slice(dot + 1);
  if (!/^[0-9]{1,18}$/.test(requestId) || accountId === '') return undefined;
  return { requestId, accountId };
}

function mac(mailKey: string, siteId: string, payload: string): string {
  return createHmac('sha256', mailKey).update(`portico-unsubscribe:${siteId}:${payload}`).digest('base64url');
}
