/**
 * Sign-up and invitations (docs/product.md#signup): the rules that need no database — a site's
 * sign-up settings, the email domains sign-up is limited to, the list of emails an agent pastes to
 * invite, and the keys sign-up attempts are counted under (like login throttling,
 * domain/login-throttle.ts).
 */

export interface SignupSettings {
  /** strangers may create a portal-only account from the help center's sign-up form */
  customerSignup: boolean;
  /** lower-case email domains sign-up is limited to; empty: any domain */
  domains: string[];
  /** how long an invitation's set-password link stays valid */
  invitationDays: number;
  /** false: visitors who are not logged in may browse the open portals and their articles */
  loginRequired: boolean;
}

export const INVITATION_DAYS_MIN = 1;
export const INVITATION_DAYS_MAX = 30;
export const MAX_SIGNUP_DOMAINS = 100;
/** emails one invitation call may name (each is mailed) */
export const MAX_INVITATIONS_PER_CALL = 100;
/** a sign-up's verification link (it also sets the first password) */
export const VERIFICATION_LINK_HOURS = 24;

/** A domain as an admin may list it: letters, digits, hyphens and dots, at least one dot. */
const DOMAIN = /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export class SignupDomainError extends Error {}

/**
 * The domains an admin typed (separated by commas, spaces or lines; "@" in front forgiven), checked
 * and lower-cased, without repeats. Throws SignupDomainError naming the first that is no domain.
 */
export function parseSignupDomains(input: string | string[]): string[] {
  const parts = (Array.isArray(input) ? input : [input]).flatMap((s) => s.split(/[\s,;]+/));
  const domains: string[] = [];
  for (const raw of parts) {
    const domain = raw.trim().toLowerCase().replace(/^@/, '');
    if (!domain) continue;
    if (!DOMAIN.test(domain)) throw new SignupDomainError(`'${raw.trim().slice(0, 100)}' is not an email domain.`);
    if (!domains.includes(domain)) domains.push(domain);
  }
  if (domains.length > MAX_SIGNUP_DOMAINS) throw new SignupDomainError(`List at most ${MAX_SIGNUP_DOMAINS} domains.`);
  return domains;
}

/** Stored one a line (sites.signup_domains). */
export function storedSignupDomains(text: string): string[] {
  return text.split('\n').filter(Boolean);
}

/**
 * Whether sign-up accepts this (valid) email: any domain when none is listed, else exactly one of
 * them — `user@sub.example.com` is not `example.com`, so an admin lists each domain they mean.
 */
export function signupDomainAllowed(email: string, domains: string[]): boolean {
  if (domains.length === 0) return true;
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return domains.includes(domain);
}

/** The emails of a pasted invitation list: separated by commas, semicolons, spaces or lines. */
export function splitEmailList(text: string): string[] {
  return text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
}

/** Sign-up attempts counted per address and per typed email, like failed logins (domain/login-throttle.ts). */
export interface SignupThrottleLimits {
  /** sign-ups from one address (IPv4, or IPv6 /64) within the window */
  perAddress: number;
  /** sign-ups for one email of one site within the window, from anywhere (each may send a mail) */
  perEmail: number;
  windowMinutes: number;
}

export const DEFAULT_SIGNUP_THROTTLE: SignupThrottleLimits = { perAddress: 20, perEmail: 3, windowMinutes: 60 };

export function signupThrottleLimits(overrides: Partial<SignupThrottleLimits> | undefined): SignupThrottleLimits {
  return { ...DEFAULT_SIGNUP_THROTTLE, ...overrides };
}

export function signupAddressKey(address: string): string {
  return `signup-ip:${address}`;
}

/** The email as typed (trimmed, lower-cased), whether or not an account has it: the answer is alike. */
export function signupEmailKey(siteId: string, typedEmail: string): string {
  return `signup:${siteId}:${typedEmail.trim().toLowerCase().slice(0, 320)}`;
}
