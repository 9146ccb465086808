import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type * as client from 'openid-client';
import { mayConnectTo } from '../domain/network-address.js';

// Portico's side of an OpenID Connect provider (docs/architecture.md#identity-providers): a thin
// adapter over openid-client — discovery, the authorization URL with PKCE, state and nonce, and the
// code exchange whose ID token openid-client checks (signature, issuer, audience, expiry, nonce).

/** The one message an admin sees for an issuer on a network Portico may not reach (docs/security.md, S21). */
export const PRIVATE_IDENTITY_PROVIDER_MESSAGE = "This identity provider's address is on a private network that this Portico does not allow.";

export class IdentityProviderUnreachable extends Error {}
export class IdentityProviderRefusedHost extends IdentityProviderUnreachable {
  constructor() {
    super(PRIVATE_IDENTITY_PROVIDER_MESSAGE);
  }
}

export interface OidcClientSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** PORTICO_IDP_ALLOWED_HOSTS: private hosts, addresses and ranges allowed (and only they over http) */
  allowedHosts: readonly string[];
  timeoutSeconds?: number;
}

/**
 * Every address the host resolves to must be public, or allowed by the operator — the mailbox
 * host check's rule (docs/security.md, E7) applied to every request made to the provider: the
 * discovery document names the other endpoints (token, keys, userinfo), and those are checked too.
 */
export async function checkHost(hostname: string, allowedHosts: readonly string[], timeoutMs = 10_000): Promise<void> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(bare)) addresses = [bare];
  else {
    let timer: NodeJS.Timeout | undefined;
    try {
      const found = await Promise.race([
        lookup(bare, { all: true, verbatim: true }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
        }),
      ]);
      addresses = found.map((a) => a.address);
    } catch {
      throw new IdentityProviderUnreachable(`The identity provider's name ${bare} could not be found.`);
    } finally {
      clearTimeout(timer);
    }
  }
  if (addresses.length === 0 || !addresses.every((address) => mayConnectTo(bare, address, allowedHosts))) throw new IdentityProviderRefusedHost();
}

export function hostAllowedInClear(url: URL, allowedHosts: readonly string[]): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return allowedHosts.some((entry) => entry === host || (isIP(host) !== 0 && mayConnectTo(host, host, [entry])));
}

/** openid-client, loaded with the first OpenID Connect discovery (docs/architecture.md, "Loaded on first use"). */
const openidClient = () => import('openid-client');

/** Discovery: the provider's metadata, through the host check, with Portico as the client. */
export async function discoverOidcProvider(settings: OidcClientSettings): Promise<client.Configuration> {
  const client = await openidClient();
  const issuer = new URL(settings.issuer);
  const clear = issuer.protocol === 'http:';
  if (clear && !hostAllowedInClear(issuer, settings.allowedHosts)) throw new IdentityProviderUnreachable('The issuer URL must start with https://.');
  const guardedFetch: client.CustomFetch = async (url, options) => {
    const target = new URL(url);
    if (target.protocol === 'http:' && !hostAllowedInClear(target, settings.allowedHosts)) throw new IdentityProviderUnreachable('The identity provider named an endpoint over plain http.');
    await checkHost(target.hostname, settings.allowedHosts);
    // no redirects followed: each hop would need its own check
    return fetch(url, { ...options, redirect: 'manual' } as RequestInit);
  };
  try {
    return await client.discovery(issuer, settings.clientId, settings.clientSecret, client.ClientSecretBasic(settings.clientSecret), {
      [client.customFetch]: guardedFetch,
      timeout: settings.timeoutSeconds ?? 10,
      execute: clear ? [client.allowInsecureRequests] : [],
    });
  } catch (error) {
    // openid-client may wrap what the fetch threw
    for (let e: unknown = error; e instanceof Error; e = e.cause) if (e instanceof IdentityProviderUnreachable) throw e;
    throw new IdentityProviderUnreachable(`Portico could not read the provider's discovery document at ${issuer.href.replace(/\/$/, '')}/.well-known/openid-configuration: ${describe(error)}`);
  }
}

function describe(error: unknown): string {
  const e = error as { message?: string; cause?: { message?: string; code?: string } };
  const cause = e.cause?.code ?? e.cause?.message;
  return `${e.message ?? 'unknown error'}${cause ? ` (${cause})` : ''}`.slice(0, 300);
}

export interface OidcAuthorizationStart {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The URL the browser is sent to: authorization code with PKCE (S256), a fresh state and nonce. */
export async function startOidcAuthorization(config: client.Configuration, input: { redirectUri: string; scopes: string[] }): Promise<OidcAuthorizationStart> {
  const client = await openidClient();
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: input.redirectUri,
    scope: input.scopes.join(' '),
    response_type: 'code',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url: url.href, state, nonce, codeVerifier };
}

export interface OidcIdentity {
  subject: string;
  email: string | undefined;
  emailVerified: boolean;
  name: string | undefined;
}

/** The code is exchanged and the ID token checked; any failure throws (the caller refuses the sign-in). */
export async function finishOidcAuthorization(
  config: client.Configuration,
  input: { callbackUrl: URL; state: string; nonce: string; codeVerifier: string },
): Promise<OidcIdentity> {
  const client = await openidClient();
  const tokens = await client.authorizationCodeGrant(config, input.callbackUrl, {
    pkceCodeVerifier: input.codeVerifier,
    expectedState: input.state,
    expectedNonce: input.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  if (!claims) throw new Error('no ID token');
  let source: Record<string, unknown> = claims;
  // many providers put email in the userinfo answer only
  if (claims.email === undefined && tokens.access_token) source = { ...(await client.fetchUserInfo(config, tokens.access_token, claims.sub)), ...claims };
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    subject: claims.sub,
    email: text(source.email),
    emailVerified: source.email_verified === true,
    name: text(source.name),
  };
}
