import type { AnonymousContext } from '../context.js';
import { AppError, notFound } from '../../domain/errors.js';
import { decideSsoSignIn, safeSitePath, SSO_SIGN_IN_MINUTES, vouchedEmail, type SsoRefusal, type VouchedIdentity } from '../../domain/identity-provider.js';
import { hashSecret, newSecret, safeEqual } from '../../domain/secrets.js';
import { openSecret } from '../../domain/secret-box.js';
import { normalizeForSearch } from '../../domain/search-terms.js';
import { appendAuditEvent } from '../../db/queries/audit.js';
import { insertCustomerIfNew, writeSearchTerms } from '../../db/queries/customers.js';
import { findIdentityProvider, insertPendingSignIn, passwordLoginAllowed, takePendingSignIn, type StoredIdentityProvider } from '../../db/queries/identity-providers.js';
import { discoverOidcProvider, finishOidcAuthorization, startOidcAuthorization, type OidcIdentity } from '../../integrations/oidc.js';
import { openSessionInTransaction } from '../auth/open-session.js';
import { oidcRedirectUri } from './identity-provider-settings.js';

// Sign-in with the site's identity provider (docs/product.md#identity-providers). The provider
// proves who someone is; Portico still decides whether they may in — the same account status the
// password login reads, checked when they come back, so a revoked customer whom the provider still
// knows is refused, with the page a wrong password gets (docs/security.md, S20).

export interface SiteRef {
  id: string;
  orgId: string;
  slug: string;
}

export interface SignInOptions {
  passwordLogin: boolean;
  providers: Array<{ protocol: 'oidc' | 'saml'; name: string }>;
}

/** What the help center's login page offers: the password form, "Continue with {name}", or both. */
export async function getSignInOptions(ctx: AnonymousContext, input: { site: SiteRef }): Promise<SignInOptions> {
  const p = await findIdentityProvider(ctx.db, input.site.id);
  const providers = p?.enabled ? [{ protocol: p.protocol, name: p.displayName }] : [];
  return { passwordLogin: await passwordLoginAllowed(ctx.db, input.site.id), providers };
}

export async function enabledProvider(ctx: AnonymousContext, site: SiteRef, protocol: 'oidc' | 'saml'): Promise<StoredIdentityProvider> {
  const p = await findIdentityProvider(ctx.db, site.id);
  if (!p?.enabled || p.protocol !== protocol) throw notFound('This help center does not sign in with an identity provider.');
  return p;
}

function clientOf(ctx: AnonymousContext, p: StoredIdentityProvider) {
  return discoverOidcProvider({
    issuer: p.issuer,
    clientId: p.clientId,
    clientSecret: openSecret(ctx.config.secretKey ?? '', p.clientSecretSealed),
    allowedHosts: ctx.config.identityProviderAllowedHosts,
  });
}

/** The provider could not be asked (down, refused by the network check, secret unreadable). */
export class IdentityProviderUnavailable extends AppError {
  constructor(cause: unknown) {
    super('unavailable', 'The sign-in service of this help center could not be reached. Try again later.', {}, { cause });
  }
}

export interface StartedSignIn {
  /** where the browser goes: the provider's authorization endpoint */
  redirectUrl: string;
  /** the secret the browser keeps in a cookie: the sign-in comes back only to the browser that holds it */
  browserSecret: string;
}

/**
 * Sends the browser to the provider: a fresh state, nonce and PKCE verifier, kept server-side for
 * SSO_SIGN_IN_MINUTES under the state's hash and the hash of a secret only this browser holds.
 */
export async function startSsoSignIn(ctx: AnonymousContext, input: { site: SiteRef; next?: string }): Promise<StartedSignIn> {
  const provider = await enabledProvider(ctx, input.site, 'oidc');
  let start;
  try {
    const config = await clientOf(ctx, provider);
    start = await startOidcAuthorization(config, { redirectUri: oidcRedirectUri(ctx.origin, input.site.slug), scopes: provider.scopes });
  } catch (error) {
    throw new IdentityProviderUnavailable(error);
  }
  const browserSecret = newSecret();
  await insertPendingSignIn(
    ctx.db,
    hashSecret(start.state),
    { siteId: input.site.id, browserHash: hashSecret(browserSecret), nonce: start.nonce, codeVerifier: start.codeVerifier, nextPath: safeSitePath(input.site.slug, input.next) },
    SSO_SIGN_IN_MINUTES,
  );
  return { redirectUrl: start.url, browserSecret };
}

export type CompletedSignIn =
  | { outcome: 'signed_in'; sessionId: string; csrfToken: string; account: { accountId: string; displayName: string; email: string }; next: string | null }
  | { outcome: 'refused' };

export const REFUSED = { outcome: 'refused' } as const;

/**
 * The provider sent the browser back. Refused alike — one answer, whatever the cause — when the
 * state is unknown, used, expired, of another site or another browser; when the provider reports an
 * error or the code exchange or ID token check fails (PKCE, nonce, signature, audience, expiry); and
 * for every rule of decideSsoSignIn. Refusals after the provider vouched for someone are audited
 * (`customer.sso.refused`, with the reason, for the site's admins); sign-ins too.
 */
export async function completeSsoSignIn(
  ctx: AnonymousContext,
  input: { site: SiteRef; query: string; browserSecret: string | undefined },
): Promise<CompletedSignIn> {
  const result = await attempt(ctx, input);
  if (result.outcome === 'refused') ctx.counters?.loginRefused('customer', 'credentials');
  return result;
}

async function attempt(ctx: AnonymousContext, input: { site: SiteRef; query: string; browserSecret: string | undefined }): Promise<CompletedSignIn> {
  const params = new URLSearchParams(input.query);
  const state = params.get('state');
  if (!state || state.length > 512 || !input.browserSecret) return REFUSED;
  const pending = await takePendingSignIn(ctx.db, hashSecret(state), input.site.id);
  if (!pending || !safeEqual(pending.browserHash, hashSecret(input.browserSecret))) return REFUSED;
  if (params.has('error')) return REFUSED;
  const provider = await findIdentityProvider(ctx.db, input.site.id);
  if (!provider?.enabled || provider.protocol !== 'oidc' || (pending.protocol ?? 'oidc') !== 'oidc') return REFUSED;

  let identity: OidcIdentity;
  try {
    const config = await clientOf(ctx, provider);
    identity = await finishOidcAuthorization(config, {
      callbackUrl: new URL(`${oidcRedirectUri(ctx.origin, input.site.slug)}?${input.query}`),
      state,
      nonce: pending.nonce,
      codeVerifier: pending.codeVerifier,
    });
  } catch {
    // the provider's error or a failed check (PKCE, nonce, signature, audience, expiry): refused alike
    return REFUSED;
  }

  return signInVouched(ctx, { site: input.site, provider, identity, nextPath: pending.nextPath });
}

/**
 * The provider vouched for someone (OIDC's checked ID token, SAML's checked assertion): the rules of
 * decideSsoSignIn with the account's row locked — a revoke that commits first is seen, one that
 * comes after waits — then a session. Refusals and sign-ins are audited for the site's admins.
 */
export async function signInVouched(
  ctx: AnonymousContext,
  input: { site: SiteRef; provider: StoredIdentityProvider; identity: VouchedIdentity; nextPath: string | null },
): Promise<CompletedSignIn> {
  const { provider, identity } = input;
  const email = vouchedEmail(identity);
  return ctx.db.transaction().execute(async (trx) => {
    const existing = email
      ? await trx
          .selectFrom('accounts')
          .select(['account_id', 'status', 'awaiting_verification', 'display_name', 'email'])
          .where('kind', '=', 'customer')
          .where('site_id', '=', input.site.id)
          .where('email_lower', '=', normalizeForSearch(email))
          .forUpdate()
          .executeTakeFirst()
      : undefined;
    const decision = decideSsoSignIn(
      identity,
      provider,
      existing && { accountId: existing.account_id, status: existing.status === 'active' ? 'active' : existing.status === 'revoked' ? 'revoked' : 'deleted' },
    );
    const audit = (action: string, accountId: string | null, details: Record<string, unknown>) =>
      appendAuditEvent(trx, { action, orgId: input.site.orgId, siteId: input.site.id, actorId: accountId, targetId: accountId, ip: ctx.ip, userAgent: ctx.userAgent, details });
    const base = { provider: provider.displayName, protocol: provider.protocol, email: email ?? identity.email?.slice(0, 254) ?? null };

    if (decision.outcome === 'refused') {
      await audit('customer.sso.refused', existing?.account_id ?? null, { ...base, reason: decision.reason satisfies SsoRefusal });
      return REFUSED;
    }
    let accountId: string;
    let account: { displayName: string; email: string };
    if (decision.outcome === 'create') {
      const created = await insertCustomerIfNew(trx, { siteId: input.site.id, email: decision.email, displayName: decision.displayName });
      // someone made the account a moment ago (a sign-up, a second tab): sign in again to use it
      if (!created) return REFUSED;
      accountId = created;
      account = { displayName: decision.displayName, email: decision.email };
      await audit('customer.sso.account_created', accountId, base);
    } else {
      accountId = decision.accountId;
      account = { displayName: existing?.display_name ?? '', email: existing?.email ?? '' };
      if (existing?.awaiting_verification) {
        // the provider verified the address the account was made from: it is proven now
        await trx.updateTable('accounts').set({ awaiting_verification: false }).where('account_id', '=', accountId).execute();
        await writeSearchTerms(trx, { accountId, siteId: input.site.id, displayName: existing.display_name ?? '', email: existing.email ?? '' });
      }
    }
    const session = await openSessionInTransaction(ctx, trx, { accountId, siteId: input.site.id });
    await audit('customer.sso.signed_in', accountId, base);
    return { outcome: 'signed_in' as const, sessionId: session.sessionId, csrfToken: session.csrfToken, account: { accountId, ...account }, next: input.nextPath };
  });
}
