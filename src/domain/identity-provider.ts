/**
 * Sign-in with a site's identity provider (docs/product.md#identity-providers): the settings an
 * admin gives and the rule that decides, from what the provider vouched for and the account the site
 * has, whether someone signs in, gets a new account, or is refused. No I/O.
 */
import { validCustomerEmail } from './customer-email.js';
import { parseSignupDomains, SignupDomainError, signupDomainAllowed } from './signup.js';

export type IdentityProviderProtocol = 'oidc' | 'saml';

/** What a SAML identity provider's metadata gave Portico (docs/product.md#identity-providers). */
export interface SamlProviderSettings {
  /** where the metadata was read from; null when the admin pasted it */
  metadataUrl: string | null;
  metadataXml: string;
  /** the provider's SingleSignOnService for the HTTP-Redirect binding */
  ssoUrl: string;
  /** base64 DER of the certificates its signatures must verify with */
  certificates: string[];
}

export interface IdentityProviderSettings {
  protocol: IdentityProviderProtocol;
  /** the name on the help center's "Continue with {name}" button */
  displayName: string;
  enabled: boolean;
  /** OIDC: the issuer URL; SAML: the provider's entity id */
  issuer: string;
  /** OIDC: Portico's client id there; SAML: Portico's entity id (the audience assertions must name) */
  clientId: string;
  /** OIDC only (empty for SAML) */
  scopes: string[];
  /** an unknown (verified) email gets a new portal-only account on its first sign-in */
  jitAccounts: boolean;
  /** lower-case email domains that may sign in this way; empty: any */
  allowedDomains: string[];
  /** false: the help center's password form is off, sign-in goes through the provider only */
  passwordLogin: boolean;
  /** SAML only */
  saml: SamlProviderSettings | null;
}

export class IdentityProviderSettingsError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/;

/** An issuer as an admin may give it: an absolute http(s) URL, no credentials, query or fragment. */
export function parseIssuerUrl(raw: string): URL {
  return parseProviderUrl(raw, 'issuer', 'issuer', 'https://login.example.com', false);
}

/** A SAML provider's metadata URL: as an issuer, except that a query is allowed (many providers put the app's id there). */
export function parseMetadataUrl(raw: string): URL {
  return parseProviderUrl(raw, 'metadataUrl', 'metadata', 'https://login.example.com/saml/metadata', true);
}

function parseProviderUrl(raw: string, field: string, what: string, example: string, queryAllowed: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new IdentityProviderSettingsError(field, `Enter the ${what} as a URL, for example ${example}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new IdentityProviderSettingsError(field, `The ${what} URL must start with https://.`);
  if (url.username || url.password || (url.search && !queryAllowed) || url.hash) {
    throw new IdentityProviderSettingsError(field, `The ${what} URL may not hold a user name, a password,${queryAllowed ? '' : ' a query'} or a fragment.`);
  }
  return url;
}

/** Portico's SAML entity id as an admin may give it: a URI (a URL or a URN), at most 500 characters. */
export function parseEntityId(raw: string): string {
  const id = raw.trim();
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(id) || id.length > 500) throw new IdentityProviderSettingsError('entityId', 'Enter the entity ID as a URI, for example https://help.example.com/saml or urn:example:portico.');
  return id;
}

/** Scopes as typed (spaces or commas); `openid` is always asked for, first. */
export function parseScopes(raw: string | string[]): string[] {
  const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((s) => s.split(/[\s,]+/)).filter(Boolean);
  const scopes = ['openid'];
  for (const scope of parts) {
    if (!SCOPE.test(scope)) throw new IdentityProviderSettingsError('scopes', `'${scope.slice(0, 100)}' is not a scope.`);
    if (!scopes.includes(scope)) scopes.push(scope);
  }
  if (scopes.length > 20) throw new IdentityProviderSettingsError('scopes', 'Ask for at most 20 scopes.');
  return scopes;
}

export function parseAllowedDomains(raw: string | string[]): string[] {
  try {
    return parseSignupDomains(raw);
  } catch (error) {
    if (error instanceof SignupDomainError) throw new IdentityProviderSettingsError('allowedDomains', error.message);
    throw error;
  }
}

/** What the provider vouched for about the person who signed in there. */
export interface VouchedIdentity {
  email: string | undefined;
  /** the provider's `email_verified`: only `true` counts */
  emailVerified: boolean;
  name: string | undefined;
}

/** The site's account with that email, if it has one. */
export interface ExistingAccount {
  accountId: string;
  status: 'active' | 'revoked' | 'deleted';
}

export type SsoRefusal = 'no_email' | 'email_not_verified' | 'domain_not_allowed' | 'account_not_active' | 'no_account';

export type SsoDecision =
  | { outcome: 'sign_in'; accountId: string }
  | { outcome: 'create'; email: string; displayName: string }
  | { outcome: 'refused'; reason: SsoRefusal };

/** The email the provider vouched for, as a customer's email would be stored, or undefined. */
export function vouchedEmail(identity: VouchedIdentity): string | undefined {
  return identity.email === undefined ? undefined : (validCustomerEmail(identity.email) ?? undefined);
}

/**
 * Whether the person the provider vouched for signs in (docs/product.md#identity-providers):
 * - only an email the provider says it verified is trusted, to link to an account or to make one:
 *   an unverified claim is anybody's to type;
 * - the email's domain must be one the site allows for this provider (any when none are listed);
 * - an existing account signs in only while it is active: a revoked or deleted customer is refused
 *   however well the provider knows them (the caller shows the wrong-password page, never why);
 * - an unknown email gets an account only when the site creates them just in time.
 */
export function decideSsoSignIn(identity: VouchedIdentity, settings: Pick<IdentityProviderSettings, 'jitAccounts' | 'allowedDomains'>, existing: ExistingAccount | undefined): SsoDecision {
  const email = vouchedEmail(identity);
  if (!email) return { outcome: 'refused', reason: 'no_email' };
  if (!identity.emailVerified) return { outcome: 'refused', reason: 'email_not_verified' };
  if (!signupDomainAllowed(email, settings.allowedDomains)) return { outcome: 'refused', reason: 'domain_not_allowed' };
  if (existing) return existing.status === 'active' ? { outcome: 'sign_in', accountId: existing.accountId } : { outcome: 'refused', reason: 'account_not_active' };
  if (!settings.jitAccounts) return { outcome: 'refused', reason: 'no_account' };
  const displayName = identity.name?.trim().slice(0, 255) || email;
  return { outcome: 'create', email, displayName };
}

/** Where the help center goes after a sign-in: a path of this site's help center, nothing else. */
export function safeSitePath(slug: string, next: string | undefined): string | null {
  if (!next) return null;
  const prefix = `/s/${slug}/`;
  if (!next.startsWith(prefix) || next.includes('\\') || next.startsWith('//') || next.length > 2000) return null;
  // reject anything that would leave the path (a second scheme, protocol-relative tricks)
  try {
    const url = new URL(next, 'http://portico.invalid');
    return url.origin === 'http://portico.invalid' && url.pathname.startsWith(prefix) ? `${url.pathname}${url.search}` : null;
  } catch {
    return null;
  }
}

/** How long a sign-in sent to the provider may take to come back. */
export const SSO_SIGN_IN_MINUTES = 10;
