import type { ActorContext } from '../context.js';
import { badRequest } from '../../domain/errors.js';
import {
  IdentityProviderSettingsError,
  parseAllowedDomains,
  parseEntityId,
  parseMetadataUrl,
  type IdentityProviderSettings,
} from '../../domain/identity-provider.js';
import { upsertIdentityProvider } from '../../db/queries/identity-providers.js';
import { auditSiteChange } from '../audit.js';
import { fetchIdpMetadata, parseIdpMetadata, SamlMetadataError, MAX_METADATA_CHARS } from '../../integrations/saml.js';
import { IdentityProviderUnreachable } from '../../integrations/oidc.js';
import { authorizeSiteSecurity, getIdentityProvider, refusePrivateIssuer, type SiteIdentityProvider } from './identity-provider-settings.js';
import { samlMetadataUrl } from './saml-service-provider.js';

// A site's SAML 2.0 identity provider in the admin console (docs/product.md#identity-providers): the
// provider is described by its metadata — read from a URL or pasted — which names its entity id,
// where to send the browser and the certificates its assertions must be signed with. Nothing of it
// is secret, so no PORTICO_SECRET_KEY is needed.

export interface SamlProviderInput {
  displayName: string;
  enabled?: boolean;
  /** one of the two: where to read the provider's metadata, or the metadata itself */
  metadataUrl?: string;
  metadataXml?: string;
  /** Portico's entity id at the provider; omitted or empty: Portico's metadata URL */
  entityId?: string;
  jitAccounts?: boolean;
  allowedDomains?: string[] | string;
  passwordLogin?: boolean;
}

function fieldError(field: string, message: string): never {
  throw badRequest(message, { [field]: message });
}

/**
 * Saves the site's SAML provider (replacing the one it had, OpenID Connect or SAML) after its
 * metadata was read — from a URL only through the network check that guards OIDC issuers
 * (docs/security.md, S21) — and found to name a sign-in address and a signing certificate.
 * Audited as `site.identity_provider.changed`.
 */
export async function saveSamlIdentityProvider(ctx: ActorContext, input: { siteSlug: string; provider: SamlProviderInput }): Promise<SiteIdentityProvider> {
  const site = await authorizeSiteSecurity(ctx, input.siteSlug);
  const p = input.provider;
  const displayName = p.displayName.trim();
  if (!displayName) fieldError('displayName', 'Enter the name people know the provider by, for example Okta.');
  const url = p.metadataUrl?.trim() ?? '';
  const pasted = p.metadataXml?.trim() ?? '';
  if (url && pasted) fieldError('metadataUrl', 'Give the metadata URL or paste the metadata, not both.');
  if (!url && !pasted) fieldError('metadataUrl', 'Give the URL of the provider’s SAML metadata, or paste the metadata.');
  let allowedDomains: string[];
  let entityId: string;
  let metadataUrl: URL | null = null;
  try {
    allowedDomains = parseAllowedDomains(p.allowedDomains ?? []);
    entityId = p.entityId?.trim() ? parseEntityId(p.entityId) : samlMetadataUrl(ctx.origin, site.slug);
    if (url) metadataUrl = parseMetadataUrl(url);
  } catch (error) {
    if (error instanceof IdentityProviderSettingsError) fieldError(error.field, error.message);
    throw error;
  }
  let xml = pasted;
  if (metadataUrl) {
    await refusePrivateIssuer(ctx, metadataUrl.href, 'metadataUrl');
    try {
      xml = await fetchIdpMetadata(metadataUrl, ctx.config.identityProviderAllowedHosts);
    } catch (error) {
      if (error instanceof IdentityProviderUnreachable) fieldError('metadataUrl', error.message);
      throw error;
    }
  }
  if (xml.length > MAX_METADATA_CHARS) fieldError(metadataUrl ? 'metadataUrl' : 'metadataXml', 'The metadata is larger than Portico accepts (200,000 characters).');
  let meta;
  try {
    meta = await parseIdpMetadata(xml);
  } catch (error) {
    if (error instanceof SamlMetadataError) fieldError(metadataUrl ? 'metadataUrl' : 'metadataXml', error.message);
    throw error;
  }
  const settings: IdentityProviderSettings = {
    protocol: 'saml',
    displayName: displayName.slice(0, 60),
    enabled: p.enabled ?? true,
    issuer: meta.entityId,
    clientId: entityId,
    scopes: [],
    jitAccounts: p.jitAccounts ?? false,
    allowedDomains,
    passwordLogin: p.passwordLogin ?? true,
    saml: { metadataUrl: metadataUrl?.href ?? null, metadataXml: xml, ssoUrl: meta.ssoUrl, certificates: meta.certificates },
  };
  await ctx.db.transaction().execute(async (trx) => {
    await upsertIdentityProvider(trx, site.id, { ...settings, clientSecretSealed: '', updatedBy: ctx.actor.accountId });
    const { saml, scopes: _scopes, clientId, issuer, ...audited } = settings;
    await auditSiteChange(trx, ctx, site, 'site.identity_provider.changed', {
      ...audited,
      idpEntityId: issuer,
      entityId: clientId,
      metadataUrl: saml!.metadataUrl,
      ssoUrl: saml!.ssoUrl,
      certificates: saml!.certificates.length,
    });
  });
  return getIdentityProvider(ctx, input);
}
