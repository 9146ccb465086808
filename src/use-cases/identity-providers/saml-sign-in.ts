import type { AnonymousContext } from '../context.js';
import { safeSitePath, SSO_SIGN_IN_MINUTES } from '../../domain/identity-provider.js';
import { hashSecret, newSecret, safeEqual } from '../../domain/secrets.js';
import { appendAuditEvent } from '../../db/queries/audit.js';
import {
  dropPendingSignIn,
  findIdentityProvider,
  findUncheckedSamlSignIn,
  insertPendingSignIn,
  markSamlSignInVouched,
  recordSamlAssertion,
  takePendingSignIn,
  type StoredIdentityProvider,
} from '../../db/queries/identity-providers.js';
import { checkSamlResponse, decodeSamlResponse, SamlResponseRefused, serviceProviderMetadata, startSamlAuthorization, type SamlPeer } from '../../integrations/saml.js';
import { enabledProvider, REFUSED, signInVouched, type CompletedSignIn, type SiteRef, type StartedSignIn } from './sso-sign-in.js';
import { samlAcsUrl, samlServiceProvider } from './saml-service-provider.js';

// SAML 2.0 sign-in with the site's identity provider (docs/product.md#identity-providers), the rules
// of the OpenID Connect one (docs/security.md, S20) in three steps:
// 1. start: an AuthnRequest by the HTTP-Redirect binding; its id and the hash of a secret only this
//    browser holds are kept under the hash of the RelayState, for SSO_SIGN_IN_MINUTES;
// 2. the provider posts its response to the ACS, cross-site, so without the browser's cookies: the
//    response is checked (S24) against the request its RelayState names, its assertion's id recorded
//    (a replay on any instance is refused), and what it asserted is kept with the sign-in;
// 3. the help center's callback page, now on Portico's own origin with the browser's cookie,
//    finishes it: only the browser that started it, once; the account's status decides.

export function samlPeer(origin: string, site: Pick<SiteRef, 'slug'>, provider: StoredIdentityProvider): SamlPeer {
  return {
    entityId: provider.clientId,
    acsUrl: samlAcsUrl(origin, site.slug),
    idpEntityId: provider.issuer,
    ssoUrl: provider.saml?.ssoUrl ?? '',
    certificates: provider.saml?.certificates ?? [],
  };
}

/** Portico's SAML metadata for the site: its entity id (the saved one, else the metadata URL) and ACS. */
export async function getSamlServiceProviderMetadata(ctx: AnonymousContext, input: { site: SiteRef }): Promise<string> {
  const stored = await findIdentityProvider(ctx.db, input.site.id);
  const sp = samlServiceProvider(ctx.origin, input.site.slug, stored);
  return serviceProviderMetadata({ entityId: sp.entityId, acsUrl: sp.acsUrl });
}

/** Sends the browser to the provider with a fresh AuthnRequest (the RelayState names the sign-in). */
export async function startSamlSignIn(ctx: AnonymousContext, input: { site: SiteRef; next?: string }): Promise<StartedSignIn> {
  const provider = await enabledProvider(ctx, input.site, 'saml');
  const state = newSecret();
  const { url, requestId } = await startSamlAuthorization(samlPeer(ctx.origin, input.site, provider), state);
  const browserSecret = newSecret();
  await insertPendingSignIn(
    ctx.db,
    hashSecret(state),
    { siteId: input.site.id, browserHash: hashSecret(browserSecret), nonce: requestId, codeVerifier: '', nextPath: safeSitePath(input.site.slug, input.next), protocol: 'saml' },
    SSO_SIGN_IN_MINUTES,
  );
  return { redirectUrl: url, browserSecret };
}

/** A RelayState Portico could have made (newSecret's shape), or null. */
export function relayStateOf(value: unknown): string | null {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : null;
}

/**
 * The provider posted its response. A body that is no SAML response at all throws
 * SamlMalformedResponse (the route answers 400); anything else returns, and the browser goes on to
 * the callback page, which finishes the sign-in or shows the refusal a wrong password gets.
 * A response checked here belongs to its sign-in only: a failed check ends the sign-in, and is
 * audited (`customer.sso.refused`, reason `response_refused`, with node-saml's words) for the
 * site's admins when it answered a sign-in under way.
 */
export async function receiveSamlResponse(ctx: AnonymousContext, input: { site: SiteRef; samlResponse: unknown; relayState: unknown }): Promise<void> {
  await decodeSamlResponse(input.samlResponse);
  const state = relayStateOf(input.relayState);
  if (!state) return;
  const stateHash = hashSecret(state);
  const pending = await findUncheckedSamlSignIn(ctx.db, stateHash, input.site.id);
  if (!pending) return;
  const provider = await findIdentityProvider(ctx.db, input.site.id);
  const refuse = async (reason: string, why: string) => {
    await dropPendingSignIn(ctx.db, stateHash);
    await ctx.db.transaction().execute((trx) => appendAuditEvent(trx, {
      action: 'customer.sso.refused',
      orgId: input.site.orgId,
      siteId: input.site.id,
      actorId: null,
      targetId: null,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      details: { provider: provider?.displayName ?? null, protocol: 'saml', email: null, reason, detail: why.slice(0, 300) },
    }));
  };
  if (!provider?.enabled || provider.protocol !== 'saml') return refuse('response_refused', 'the site no longer signs in with a SAML provider');
  let assertion;
  try {
    assertion = await checkSamlResponse(samlPeer(ctx.origin, input.site, provider), { samlResponse: input.samlResponse as string, requestId: pending.requestId });
  } catch (error) {
    if (error instanceof SamlResponseRefused) return refuse('response_refused', error.message);
    throw error;
  }
  if (!(await recordSamlAssertion(ctx.db, input.site.id, assertion.assertionId, assertion.notOnOrAfter))) return refuse('response_replayed', `assertion ${assertion.assertionId} was used before`);
  await markSamlSignInVouched(ctx.db, stateHash, { email: assertion.email?.slice(0, 320) ?? null, name: assertion.name?.slice(0, 255) ?? null });
}

/**
 * The callback page hands over the RelayState with the browser's cookie. Refused alike — the
 * password login's answer — when the sign-in is unknown, used, expired, of another site or another
 * browser, when its response failed a check, and for every rule of decideSsoSignIn.
 */
export async function completeSamlSignIn(ctx: AnonymousContext, input: { site: SiteRef; query: string; browserSecret: string | undefined }): Promise<CompletedSignIn> {
  const result = await attempt(ctx, input);
  if (result.outcome === 'refused') ctx.counters?.loginRefused('customer', 'credentials');
  return result;
}

async function attempt(ctx: AnonymousContext, input: { site: SiteRef; query: string; browserSecret: string | undefined }): Promise<CompletedSignIn> {
  const state = relayStateOf(new URLSearchParams(input.query).get('state'));
  if (!state || !input.browserSecret) return REFUSED;
  const pending = await takePendingSignIn(ctx.db, hashSecret(state), input.site.id);
  if (!pending || !safeEqual(pending.browserHash, hashSecret(input.browserSecret))) return REFUSED;
  if (pending.protocol !== 'saml' || !pending.vouched) return REFUSED;
  const provider = await findIdentityProvider(ctx.db, input.site.id);
  if (!provider?.enabled || provider.protocol !== 'saml') return REFUSED;
  // a signed assertion of the site's provider is its word for the address: SAML has no separate
  // "verified" flag, and the provider is the one the site trusts to say who people are
  const identity = { email: pending.vouched.email ?? undefined, emailVerified: true, name: pending.vouched.name ?? undefined };
  return signInVouched(ctx, { site: input.site, provider, identity, nextPath: pending.nextPath });
}
