import type { ActorContext } from '../context.js';
import type { SamlProviderSettings } from '../../domain/identity-provider.js';
import type { StoredIdentityProvider } from '../../db/queries/identity-providers.js';
import { describeCertificates, fetchIdpMetadata, parseIdpMetadata, SamlMetadataError } from '../../integrations/saml.js';
import { IdentityProviderUnreachable } from '../../integrations/oidc.js';

// Portico as a SAML service provider (docs/product.md#identity-providers): the addresses an identity
// provider is told about, and "Test connection" for a SAML provider.

/** What an admin gives the identity provider: Portico's metadata, entity id and ACS URL. */
export interface SamlServiceProvider {
  /** Portico's metadata for this site (the provider can read it, or the admin copies from it) */
  metadataUrl: string;
  /** the entity id assertions must name as their audience: the saved one, or the metadata URL */
  entityId: string;
  /** where the provider posts its response (the Assertion Consumer Service) */
  acsUrl: string;
}

const base = (origin: string, slug: string) => `${origin}/s/${encodeURIComponent(slug)}/api/portal/sso/saml`;

export function samlMetadataUrl(origin: string, slug: string): string {
  return new URL(`${base(origin, slug)}/metadata`).href;
}

export function samlAcsUrl(origin: string, slug: string): string {
  return new URL(`${base(origin, slug)}/acs`).href;
}

export function samlServiceProvider(origin: string, slug: string, stored: Pick<StoredIdentityProvider, 'protocol' | 'clientId'> | undefined): SamlServiceProvider {
  const metadataUrl = samlMetadataUrl(origin, slug);
  return { metadataUrl, entityId: stored?.protocol === 'saml' && stored.clientId ? stored.clientId : metadataUrl, acsUrl: samlAcsUrl(origin, slug) };
}

export interface SamlConnectionTest {
  ok: boolean;
  message: string;
  issuer?: string;
  authorizationEndpoint?: string;
}

/**
 * "Test connection" for SAML: the metadata is read again from its URL (through the host check) or,
 * when it was pasted, the saved copy is read; the answer says what it names and whether a signing
 * certificate is about to expire. Reads only.
 */
export async function testSamlProvider(ctx: ActorContext, saml: SamlProviderSettings): Promise<SamlConnectionTest> {
  let xml = saml.metadataXml;
  if (saml.metadataUrl) {
    try {
      xml = await fetchIdpMetadata(new URL(saml.metadataUrl), ctx.config.identityProviderAllowedHosts);
    } catch (error) {
      if (error instanceof IdentityProviderUnreachable) return { ok: false, message: error.message };
      throw error;
    }
  }
  try {
    const meta = await parseIdpMetadata(xml);
    const certs = describeCertificates(meta.certificates, new Date());
    const changed = saml.metadataUrl && (meta.ssoUrl !== saml.ssoUrl || meta.certificates.join() !== saml.certificates.join());
    const expiring = certs.find((c) => c.daysLeft < 30);
    const parts = [`Read the metadata of ${meta.entityId}: sign-in at ${meta.ssoUrl}, ${meta.certificates.length === 1 ? 'one signing certificate' : `${meta.certificates.length} signing certificates`}.`];
    if (expiring) parts.push(expiring.daysLeft < 0 ? `A signing certificate expired on ${expiring.notAfter.toISOString().slice(0, 10)}.` : `A signing certificate expires on ${expiring.notAfter.toISOString().slice(0, 10)}.`);
    if (changed) parts.push('It differs from the saved copy: save the provider again to use it.');
    return { ok: !changed && !(expiring && expiring.daysLeft < 0), message: parts.join(' '), issuer: meta.entityId, authorizationEndpoint: meta.ssoUrl };
  } catch (error) {
    if (error instanceof SamlMetadataError) return { ok: false, message: error.message };
    throw error;
  }
}
