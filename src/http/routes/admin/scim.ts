import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { anonymousContext, contextFor, originOf } from '../../deps.js';
import { apiErrors } from '../../schemas/common.js';
import { CreatedScimTokenSchema, ScimSettingsSchema } from '../../schemas/scim.js';
import { presentScimSettings, scimBaseUrl } from '../../presenters/scim.js';
import { createScimToken, createScimTokenFromCli, getScimSettings, revokeScimToken, setScimOnDelete } from '../../../use-cases/scim/scim-tokens.js';
import { SiteSlugParams, TAGS } from './schemas.js';
import { cliOnly } from '../auth/cli.js';

// The SCIM section of a site's Security tab (docs/product.md#scim-provisioning): its tokens (the
// secret shown once, at creation) and what a SCIM DELETE does; and `portico scim-token create`'s
// route while a server holds the embedded data directory.

const TokenParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 63 }), tokenId: Type.String({ minLength: 1, maxLength: 64 }) });

export async function registerScimAdminRoutes(app: App, deps: AppDeps): Promise<void> {
  app.get('/api/admin/sites/:slug/scim', {
    schema: { tags: TAGS, summary: "The site's SCIM server: its base URL, tokens and what DELETE does", params: SiteSlugParams, response: { 200: ScimSettingsSchema, ...apiErrors } },
  }, async (request) => {
    const settings = await getScimSettings(await contextFor(deps, request), { siteSlug: request.params.slug });
    return presentScimSettings(settings, scimBaseUrl(originOf(request), request.params.slug));
  });

  app.post('/api/admin/sites/:slug/scim/tokens', {
    schema: {
      tags: TAGS,
      summary: 'Creates a SCIM token for the site (the token is in this answer only)',
      params: SiteSlugParams,
      body: Type.Object({ label: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false }),
      response: { 201: CreatedScimTokenSchema, ...apiErrors },
    },
  }, async (request, reply) => {
    const created = await createScimToken(await contextFor(deps, request), { siteSlug: request.params.slug, label: request.body?.label });
    return reply.code(201).header('cache-control', 'no-store').send(created);
  });

  app.delete('/api/admin/sites/:slug/scim/tokens/:tokenId', {
    schema: { tags: TAGS, summary: 'Revokes a SCIM token: the identity provider is refused from its next call', params: TokenParams, response: { 204: Type.Null(), ...apiErrors } },
  }, async (request, reply) => {
    await revokeScimToken(await contextFor(deps, request), { siteSlug: request.params.slug, tokenId: request.params.tokenId });
    return reply.code(204).send(null);
  });

  app.put('/api/admin/sites/:slug/scim/settings', {
    schema: {
      tags: TAGS,
      summary: 'Sets what a SCIM DELETE does: revoke access, or delete the customer (org admins only)',
      params: SiteSlugParams,
      body: Type.Object({ onDelete: Type.Union([Type.Literal('revoke'), Type.Literal('delete')]) }, { additionalProperties: false }),
      response: { 200: Type.Object({ onDelete: Type.Union([Type.Literal('revoke'), Type.Literal('delete')]) }), ...apiErrors },
    },
  }, async (request) => ({ onDelete: await setScimOnDelete(await contextFor(deps, request), { siteSlug: request.params.slug, onDelete: request.body.onDelete }) }));

  app.post('/api/internal/cli/scim-tokens', {
    schema: {
      hide: true,
      body: Type.Object({ site: Type.String({ minLength: 1, maxLength: 63 }), label: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false }),
      response: { 201: CreatedScimTokenSchema, ...apiErrors },
    },
    onRequest: cliOnly(deps),
  }, async (request, reply) => {
    const created = await createScimTokenFromCli(anonymousContext(deps, request), { siteSlug: request.body.site, label: request.body.label });
    return reply.code(201).send(created);
  });
}
