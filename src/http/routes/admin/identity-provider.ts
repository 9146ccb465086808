import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { apiErrors } from '../../schemas/common.js';
import {
  getIdentityProvider,
  removeIdentityProvider,
  saveIdentityProvider,
  testIdentityProviderConnection,
  type SiteIdentityProvider,
} from '../../../use-cases/identity-providers/identity-provider-settings.js';
import { SiteSlugParams, TAGS } from './schemas.js';
import { ConnectionTestSchema, IdentityProviderBody, SamlProviderBody, SiteIdentityProviderSchema } from '../../schemas/identity-provider.js';
import { saveSamlIdentityProvider } from '../../../use-cases/identity-providers/saml-settings.js';

// A site's identity provider in the console's Security tab (docs/product.md#identity-providers).

const present = (r: SiteIdentityProvider) => ({ ...r, provider: r.provider && { ...r.provider, updatedAt: r.provider.updatedAt.toISOString() } });

export async function registerIdentityProviderRoutes(app: App, deps: AppDeps): Promise<void> {
  app.get('/api/admin/sites/:slug/identity-provider', {
    schema: { tags: TAGS, summary: "The site's identity provider for customer sign-in (never the client secret)", params: SiteSlugParams, response: { 200: SiteIdentityProviderSchema, ...apiErrors } },
  }, async (request) => present(await getIdentityProvider(await contextFor(deps, request), { siteSlug: request.params.slug })));

  app.put('/api/admin/sites/:slug/identity-provider', {
    schema: { tags: TAGS, summary: "Sets the site's OpenID Connect provider (the client secret is stored encrypted)", params: SiteSlugParams, body: IdentityProviderBody, response: { 200: SiteIdentityProviderSchema, ...apiErrors } },
  }, async (request) => present(await saveIdentityProvider(await contextFor(deps, request), { siteSlug: request.params.slug, provider: request.body })));

  app.put('/api/admin/sites/:slug/identity-provider/saml', {
    schema: {
      tags: TAGS,
      summary: "Sets the site's SAML 2.0 provider from its metadata (a URL Portico reads, or the XML)",
      params: SiteSlugParams,
      body: SamlProviderBody,
      response: { 200: SiteIdentityProviderSchema, ...apiErrors },
    },
  }, async (request) => present(await saveSamlIdentityProvider(await contextFor(deps, request), { siteSlug: request.params.slug, provider: request.body })));

  app.delete('/api/admin/sites/:slug/identity-provider', {
    schema: { tags: TAGS, summary: "Removes the site's identity provider (customers sign in with passwords again)", params: SiteSlugParams, response: { 204: Type.Null(), ...apiErrors } },
  }, async (request, reply) => {
    await removeIdentityProvider(await contextFor(deps, request), { siteSlug: request.params.slug });
    return reply.code(204).send(null);
  });

  app.post('/api/admin/sites/:slug/identity-provider/test', {
    schema: { tags: TAGS, summary: "Reads the saved provider's discovery document (OIDC) or metadata (SAML) and says what it found", params: SiteSlugParams, response: { 200: ConnectionTestSchema, ...apiErrors } },
  }, async (request) => testIdentityProviderConnection(await contextFor(deps, request), { siteSlug: request.params.slug }));
}
