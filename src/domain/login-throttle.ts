import ipaddr from 'ipaddr.js';

/**
 * Login throttling: what is counted and who is refused. Failed logins are counted under three
 * keys, each over a window of `windowMinutes`:
 *
 * - (account, address): an address guessing one account is stopped after a few tries, and only
 *   for that account: its owner, anywhere else, is not affected;
 * - address: one address spraying many accounts (a password-spraying bot) is stopped;
 * - account, from every address: a ceiling far above the first, against guessing one account from
 *   many addresses. Reaching it refuses new addresses only: an address the account logged in from
 *   lately (a "known" address) still gets in with the right password, so strangers cannot keep the
 *   owner out — however many addresses they have. A shorter lock would not serve the owner instead:
 *   the next failure past the ceiling would lock again.
 *
 * Each attempt is counted before its password is checked, and taken back if it is refused or right,
 * so a burst of concurrent attempts gets no more guesses than the same attempts one by one.
 * A key that reaches its limit is locked for one window. The account is the email as typed (trimmed,
 * lower-cased), scoped to the site or to staff, whether or not such an account exists, so the
 * answers — 401, or 429 with its Retry-After — are the same for existing and unknown accounts.
 * A known address needs a correct password for an active account first, which a stranger cannot
 * supply.
 */
export interface LoginThrottleLimits {
  /** failed logins for one account from one address within the window */
  accountAddressMaxFailures: number;
  /** failed logins from one address, whatever the account, within the window */
  ipMaxFailures: number;
  /** failed logins for one account from all addresses within the window (known addresses exempt) */
  accountMaxFailures: number;
  /** the counting window, and how long a key that reached its limit stays locked */
  windowMinutes: number;
  /** how long an address stays known after a successful login from it */
  knownAddressDays: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleLimits = {
  accountAddressMaxFailures: 10,
  ipMaxFailures: 50,
  accountMaxFailures: 100,
  windowMinutes: 15,
  knownAddressDays: 30,
};

export function throttleLimits(overrides: Partial<LoginThrottleLimits> | undefined): LoginThrottleLimits {
  return { ...DEFAULT_LOGIN_THROTTLE, ...overrides };
}

/**
 * The address a throttle counts: an IPv4 address as is (an IPv4-mapped IPv6 address too), an IPv6
 * address by its /64 — one subscriber's network, inside which a host picks new addresses at will
 * (privacy extensions), so counting single IPv6 addresses would count nothing.
 */
export function throttleAddress(ip: string | null): string {
  if (ip === null || !ipaddr.isValid(ip)) return `other:${(ip ?? 'unknown').slice(0, 100)}`;
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...parts, 0, 0, 0, 0]).toString()}/64`;
}

/** The account a login attempt is counted against: what was typed, for a site's customers or for staff. */
export function accountThrottleKey(scope: { siteId: string } | 'staff', typedEmail: string): string {
  const where = scope === 'staff' ? 'staff' : scope.siteId;
  // keys stay bounded whatever was typed (the email is validated ≤ 254 characters before this anyway)
  return `acct:${where}:${typedEmail.trim().toLowerCase().slice(0, 320)}`;
}

export function ipThrottleKey(address: string): string {
  return `ip:${address}`;
}

export function accountAddressThrottleKey(accountKey: string, address: string): string {
  return `${accountKey}|${address}`;
}

/** Seconds each key stays locked (0: not locked). */
export interface ThrottleState {
  accountAddress: number;
  address: number;
  account: number;
  /** the account logged in from this address lately */
  knownAddress: boolean;
}

/** Seconds until this attempt may be made, or 0 when it may be made now. */
export function loginRefusedFor(state: ThrottleState): number {
  const applicable = state.knownAddress ? [state.accountAddress] : [state.accountAddress, state.address, state.account];
  return Math.max(0, ...applicable);
}

/** A key's failures in its window once this attempt is counted, and how long it is locked. */
export interface KeyTally {
  failures: number;
  lockedSeconds: number;
}

/**
 * Once this attempt is counted: seconds to refuse it for when it went past a limit that applies
 * to it (another attempt, running at the same time, got there first), or 0.
 */
export function countedAttemptRefusedFor(
  counted: { accountAddress: KeyTally; address: KeyTally; account: KeyTally; knownAddress: boolean },
  limits: LoginThrottleLimits,
): number {
  const applicable: Array<[KeyTally, number]> = [[counted.accountAddress, limits.accountAddressMaxFailures]];
  if (!counted.knownAddress) applicable.push([counted.address, limits.ipMaxFailures], [counted.account, limits.accountMaxFailures]);
  const over = applicable.filter(([tally, limit]) => tally.failures > limit);
  return over.length === 0 ? 0 : Math.max(1, ...over.map(([tally]) => tally.lockedSeconds));
}

/**
 * When a refused login or sign-up may try again, in words ("in 45 seconds", "in 15 minutes", "in 2
 * hours"), rounded up so that trying at the time said is never refused for the same reason. The same
 * Retry-After is sent as a header; the words say nothing the header does not.
 */
export function tryAgainIn(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return s === 1 ? 'in 1 second' : `in ${s} seconds`;
  const minutes = Math.ceil(s / 60);
  if (minutes < 90) return minutes === 1 ? 'in 1 minute' : `in ${minutes} minutes`;
  const hours = Math.ceil(s / 3600);
  return `in ${hours} hours`;
}
