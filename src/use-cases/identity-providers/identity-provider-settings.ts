import type { ActorContext } from '../context.js';
import { AppError, badRequest, notFound } from '../../domain/errors.js';
import { decideSiteSettings } from '../../domain/policies.js';
import {
  IdentityProviderSettingsError,
  parseAllowedDomains,
  parseIssuerUrl,
  parseScopes,
  type IdentityProviderSettings,
} from '../../domain/identity-provider.js';
import { openSecret, sealSecret } from '../../domain/secret-box.js';
import { deleteIdentityProvider, findIdentityProvider, upsertIdentityProvider, type StoredIdentityProvider } from '../../db/queries/identity-providers.js';
import { findSiteBySlug, type SiteRow } from '../../db/queries/sites.js';
import { enforce } from '../authorize.js';
import { auditSiteChange } from '../audit.js';
import { samlServiceProvider, testSamlProvider, type SamlServiceProvider } from './saml-service-provider.js';
import { checkHost, discoverOidcProvider, hostAllowedInClear, IdentityProviderRefusedHost, IdentityProviderUnreachable } from '../../integrations/oidc.js';

// A site's identity provider in the admin console (docs/product.md#identity-providers): its org
// admins and site admins read, change, remove and test it. The client secret goes in, never out.

export const NO_SECRET_KEY_FOR_IDP_MESSAGE =
  'Portico cannot keep a client secret: PORTICO_SECRET_KEY is not set. Set it (at least 32 characters, e.g. `openssl rand -base64 32`) and restart Portico, then save again.';

/** The provider as admins see it: never the client secret. */
export interface IdentityProviderView extends IdentityProviderSettings {
  hasClientSecret: boolean;
  updatedAt: Date;
  /** where the provider must send people back (its "redirect URI" for this client) */
  redirectUri: string;
}

export interface SiteIdentityProvider {
  /** whether PORTICO_SECRET_KEY is set, so an OpenID Connect provider can be saved at all */
  canSave: boolean;
  redirectUri: string;
  /** what a SAML provider needs to know about Portico */
  saml: SamlServiceProvider;
  provider: IdentityProviderView | null;
}

/** The help-center page the provider sends people back to; it hands the answer to the callback API. */
export function oidcRedirectUri(origin: string, slug: string): string {
  // normalised (a default port dropped) as the code exchange will send it: providers compare exactly
  return new URL(`${origin}/s/${encodeURIComponent(slug)}/servicedesk/customer/user/sso/callback`).href;
}

export async function authorizeSiteSecurity(ctx: ActorContext, siteSlug: string): Promise<SiteRow> {
  const site = ctx.urlSite?.slug === siteSlug ? ctx.urlSite : await findSiteBySlug(ctx.db, siteSlug);
  if (!site) throw notFound('Site not found.');
  enforce(decideSiteSettings(ctx.actor, site), { notFound: 'Site not found.', forbidden: "You do not have permission to change this site's settings." });
  return site;
}

function view(ctx: ActorContext, site: SiteRow, p: StoredIdentityProvider): IdentityProviderView {
  const { clientSecretSealed, siteId: _siteId, ...settings } = p;
  return { ...settings, hasClientSecret: clientSecretSealed !== '', redirectUri: oidcRedirectUri(ctx.origin, site.slug) };
}

export async function getIdentityProvider(ctx: ActorContext, input: { siteSlug: string }): Promise<SiteIdentityProvider> {
  const site = await authorizeSiteSecurity(ctx, input.siteSlug);
  const stored = await findIdentityProvider(ctx.db, site.id);
  return {
    canSave: Boolean(ctx.config.secretKey),
    redirectUri: oidcRedirectUri(ctx.origin, site.slug),
    saml: samlServiceProvider(ctx.origin, site.slug, stored),
    provider: stored ? view(ctx, site, stored) : null,
  };
}

export interface IdentityProviderInput {
  displayName: string;
  enabled?: boolean;
  issuer: string;
  clientId: string;
  /** omitted or empty: keep the secret saved before (there must be one) */
  clientSecret?: string;
  scopes?: string[] | string;
  jitAccounts?: boolean;
  allowedDomains?: string[] | string;
  passwordLogin?: boolean;
}

function settingsError(error: unknown): never {
  if (error instanceof IdentityProviderSettingsError) throw badRequest(error.message, { [error.field]: error.message });
  throw error;
}

/**
 * Saves the site's OpenID Connect provider (replacing the one it had), the client secret sealed
 * under PORTICO_SECRET_KEY, after the issuer's host passed the network check (docs/security.md,
 * S21). Audited as `site.identity_provider.changed` with the settings, never the secret.
 */
export async function saveIdentityProvider(ctx: ActorContext, input: { siteSlug: string; provider: IdentityProviderInput }): Promise<SiteIdentityProvider> {
  const site = await authorizeSiteSecurity(ctx, input.siteSlug);
  if (!ctx.config.secretKey) throw badRequest(NO_SECRET_KEY_FOR_IDP_MESSAGE);
  const p = input.provider;
  let settings: IdentityProviderSettings;
  try {
    const displayName = p.displayName.trim();
    if (!displayName) throw new IdentityProviderSettingsError('displayName', 'Enter the name people know the provider by, for example Okta.');
    const clientId = p.clientId.trim();
    if (!clientId) throw new IdentityProviderSettingsError('clientId', 'Enter the client ID the provider gave Portico.');
    settings = {
      protocol: 'oidc',
      displayName: displayName.slice(0, 60),
      enabled: p.enabled ?? true,
      // kept as typed: discovery compares it exactly with the `issuer` the provider states
      issuer: parseIssuerUrl(p.issuer) && p.issuer.trim(),
      clientId,
      scopes: parseScopes(p.scopes ?? 'openid email profile'),
      jitAccounts: p.jitAccounts ?? false,
      allowedDomains: parseAllowedDomains(p.allowedDomains ?? []),
      passwordLogin: p.passwordLogin ?? true,
      saml: null,
    };
  } catch (error) {
    settingsError(error);
  }
  await refusePrivateIssuer(ctx, settings.issuer);
  const previous = await findIdentityProvider(ctx.db, site.id);
  const secret = p.clientSecret ?? '';
  if (!secret && !previous) throw badRequest('Enter the client secret the provider gave Portico.', { clientSecret: 'Enter the client secret the provider gave Portico.' });
  const sealed = secret ? sealSecret(ctx.config.secretKey, secret) : previous!.clientSecretSealed;
  await ctx.db.transaction().execute(async (trx) => {
    await upsertIdentityProvider(trx, site.id, { ...settings, clientSecretSealed: sealed, updatedBy: ctx.actor.accountId });
    await auditSiteChange(trx, ctx, site, 'site.identity_provider.changed', { ...settings, clientSecretChanged: Boolean(secret) });
  });
  return getIdentityProvider(ctx, input);
}

/** An issuer whose address is private, unless the operator allows it: refused with the one message. */
export async function refusePrivateIssuer(ctx: ActorContext, issuer: string, field = 'issuer'): Promise<void> {
  const url = new URL(issuer);
  const allowed = ctx.config.identityProviderAllowedHosts;
  try {
    await checkHost(url.hostname, allowed, 5_000);
  } catch (error) {
    if (error instanceof IdentityProviderRefusedHost) throw badRequest(error.message, { [field]: error.message });
    // a name that does not resolve now is saved ("Test connection" says why); every sign-in checks again
  }
  if (url.protocol === 'http:' && !hostAllowedInClear(url, allowed)) {
    const message = `The ${field === 'issuer' ? 'issuer' : 'metadata'} URL must start with https://.`;
    throw badRequest(message, { [field]: message });
  }
}

export async function removeIdentityProvider(ctx: ActorContext, input: { siteSlug: string }): Promise<void> {
  const site = await authorizeSiteSecurity(ctx, input.siteSlug);
  await ctx.db.transaction().execute(async (trx) => {
    if (await deleteIdentityProvider(trx, site.id)) await auditSiteChange(trx, ctx, site, 'site.identity_provider.removed', {});
  });
}

export interface ConnectionTest {
  ok: boolean;
  /** one sentence for the admin: what was found, or what went wrong */
  message: string;
  issuer?: string;
  authorizationEndpoint?: string;
}

/**
 * "Test connection": reads the saved provider's discovery document (through the same host check)
 * and says plainly what it found or what failed. Reads only; no event.
 */
export async function testIdentityProviderConnection(ctx: ActorContext, input: { siteSlug: string }): Promise<ConnectionTest> {
  const site = await authorizeSiteSecurity(ctx, input.siteSlug);
  const stored = await findIdentityProvider(ctx.db, site.id);
  if (!stored) throw notFound('This site has no identity provider yet: save one first.');
  if (stored.saml) return testSamlProvider(ctx, stored.saml);
  let secret: string;
  try {
    secret = openSecret(ctx.config.secretKey ?? '', stored.clientSecretSealed);
  } catch {
    return { ok: false, message: 'The client secret does not open with the configured PORTICO_SECRET_KEY: enter it again and save.' };
  }
  try {
    const config = await discoverOidcProvider({ issuer: stored.issuer, clientId: stored.clientId, clientSecret: secret, allowedHosts: ctx.config.identityProviderAllowedHosts, timeoutSeconds: 10 });
    const meta = config.serverMetadata();
    const missing = ['authorization_endpoint', 'token_endpoint', 'jwks_uri'].filter((k) => !meta[k as keyof typeof meta]);
    if (missing.length > 0) return { ok: false, message: `The provider's discovery document has no ${missing.join(', ')}.`, issuer: meta.issuer };
    if (meta.code_challenge_methods_supported && !meta.code_challenge_methods_supported.includes('S256')) {
      return { ok: false, message: 'The provider does not offer PKCE with S256, which Portico requires.', issuer: meta.issuer };
    }
    return { ok: true, message: `Connected: ${meta.issuer} answered its discovery document.`, issuer: meta.issuer, authorizationEndpoint: meta.authorization_endpoint };
  } catch (error) {
    if (error instanceof IdentityProviderUnreachable) return { ok: false, message: error.message };
    if (error instanceof AppError) throw error;
    return { ok: false, message: `The provider could not be reached: ${String((error as Error).message ?? error).slice(0, 200)}` };
  }
}
