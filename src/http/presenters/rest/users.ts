import { isActive } from '../../../domain/display.js';
import type { AccountKind, AccountStatus } from '../../../domain/account-state.js';

/** Any stored person: an Person of get-user.ts or an AccountRef of db/queries/requests.ts. */
export interface Person {
  accountId: string;
  kind: AccountKind;
  displayName: string | null;
  email: string | null;
  status: AccountStatus;
}

// REST keeps displayName as stored and reports active:false for revoked and deleted accounts
// (docs/product.md#display-rule); a deleted account's name and email are erased, so it reads "Former user".

export interface PresentableAccount {
  account: Person;
  emailVisible: boolean;
}

function nameOf(a: Person): string {
  // Atlassian's REST name for an erased account (GET /myself says the same); the UI adds "(Deactivated)"
  return a.status === 'deleted' || !a.displayName ? 'Former user' : a.displayName;
}

const AVATAR_SIZES = ['16x16', '24x24', '32x32', '48x48'] as const;

/** The neutral avatar GET /rest/api/3/myself also links to (Portico has no uploaded avatars). */
export function avatarUrls(base: string): Record<(typeof AVATAR_SIZES)[number], string> {
  const origin = new URL(base).origin;
  return Object.fromEntries(AVATAR_SIZES.map((s) => [s, `${origin}/api/avatars/default.svg?size=${s.split('x')[0]}`])) as Record<(typeof AVATAR_SIZES)[number], string>;
}

function userUrl(base: string, version: '2' | '3', accountId: string): string {
  return `${base}/rest/api/${version}/user?accountId=${encodeURIComponent(accountId)}`;
}

function email(p: PresentableAccount): { emailAddress?: string } {
  return p.emailVisible && p.account.email && p.account.status !== 'deleted' ? { emailAddress: p.account.email } : {};
}

/** JSM `UserDTO` (docs/product.md#rest-shapes). */
export function presentJsmUser(base: string, p: PresentableAccount) {
  const a = p.account;
  return {
    accountId: a.accountId,
    displayName: nameOf(a),
    ...email(p),
    active: isActive(a),
    timeZone: 'UTC',
    _links: {
      self: userUrl(base, '2', a.accountId),
      jiraRest: userUrl(base, '2', a.accountId),
      avatarUrls: avatarUrls(base),
    },
  };
}

export function accountTypeOf(a: Person): 'atlassian' | 'customer' {
  return a.kind === 'customer' ? 'customer' : 'atlassian';
}

/** Platform `User` (docs/product.md#rest-shapes), for user and user/search: `UserDetails` plus the locale. */
export function presentPlatformUser(base: string, p: PresentableAccount) {
  return { ...presentUserDetails(base, p), locale: 'en_US' };
}

/** Platform `UserDetails` inside search results' `fields` (docs/product.md#rest-shapes). */
export function presentUserDetails(base: string, p: PresentableAccount) {
  const a = p.account;
  return {
    self: userUrl(base, '3', a.accountId),
    accountId: a.accountId,
    accountType: accountTypeOf(a),
    ...email(p),
    avatarUrls: avatarUrls(base),
    displayName: nameOf(a),
    active: isActive(a),
    timeZone: 'UTC',
  };
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Wraps the matched query words in <strong>, escaping everything else: prefixes of the name's words,
 * or (wholeOnly) a prefix of the whole text, as the picker matches an email.
 */
export function highlightHtml(text: string, words: string[], wholeOnly = false): string {
  const lower = text.toLowerCase();
  const marks = new Array<boolean>(text.length).fill(false);
  for (const w of words) {
    if (!w) continue;
    let i = lower.indexOf(w);
    while (i >= 0) {
      const atWordStart = i === 0 || (!wholeOnly && /[\s\p{P}]/u.test(text[i - 1]));
      if (atWordStart) for (let k = i; k < i + w.length; k++) marks[k] = true;
      i = lower.indexOf(w, i + 1);
    }
  }
  // each run of marked or unmarked characters escaped at once (a picker page presents 40 such texts)
  let out = '';
  for (let start = 0, i = 1; i <= text.length; i++) {
    if (i < text.length && marks[i] === marks[start]) continue;
    const part = escapeHtml(text.slice(start, i));
    out += marks[start] ? `<strong>${part}</strong>` : part;
    start = i;
  }
  return out;
}

/** `FoundUsers` (docs/product.md#rest-shapes). */
export function presentFoundUsers(base: string, query: string, found: { users: PresentableAccount[]; total: number }, showAvatar: boolean) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return {
    users: found.users.map((p) => {
      const name = nameOf(p.account);
      const mail = email(p).emailAddress;
      return {
        accountId: p.account.accountId,
        accountType: accountTypeOf(p.account),
        displayName: name,
        html: highlightHtml(name, words) + (mail ? ' - ' + highlightHtml(mail, words, true) : ''),
        ...(showAvatar ? { avatarUrl: avatarUrls(base)['16x16'] } : {}),
      };
    }),
    total: found.total,
    header: `Showing ${found.users.length} of ${found.total} matching users`,
  };
}
