import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { apiErrors } from '../../schemas/common.js';
import { OFFSET_SCHEMA } from '../../../domain/limits.js';
import {
  INBOUND_LOG_PAGE_MAX,
  listInboundMailLog,
  listSiteMailboxesFor,
  removeProjectMailbox,
  setProjectMailbox,
  type MailboxView,
} from '../../../use-cases/inbound-mail/project-mailbox.js';
import { SiteSlugParams, TAGS } from './schemas.js';
import { InboundLogSchema, MailboxSchema, SiteMailboxesSchema } from '../../schemas/inbound-mail.js';

// Requests by email (docs/product.md#requests-by-email): a site's admins set each project's incoming
// mailbox and read the log of mail that was refused or ignored. The password goes in, never out.

const ProjectParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 63 }), key: Type.String({ minLength: 1, maxLength: 20 }) });
const MailboxBody = Type.Object(
  {
    host: Type.String({ minLength: 1, maxLength: 255 }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    tls: Type.Boolean(),
    user: Type.String({ minLength: 1, maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: 1000 }),
    folder: Type.Optional(Type.String({ maxLength: 255 })),
  },
  { additionalProperties: false },
);

const presentMailbox = (m: MailboxView) => ({ ...m, updatedAt: m.updatedAt.toISOString(), lastPolledAt: m.lastPolledAt?.toISOString() ?? null });

export async function registerMailboxRoutes(app: App, deps: AppDeps): Promise<void> {
  app.get('/api/admin/sites/:slug/mailboxes', {
    schema: { tags: TAGS, summary: "The site's projects and their incoming mailboxes (never the password)", params: SiteSlugParams, response: { 200: SiteMailboxesSchema, ...apiErrors } },
  }, async (request) => {
    const r = await listSiteMailboxesFor(await contextFor(deps, request), { siteSlug: request.params.slug });
    return { canSave: r.canSave, projects: r.projects.map((p) => ({ ...p, mailbox: p.mailbox && presentMailbox(p.mailbox) })) };
  });

  app.put('/api/admin/sites/:slug/projects/:key/mailbox', {
    schema: { tags: TAGS, summary: "Sets a project's incoming mailbox (the password is stored encrypted)", params: ProjectParams, body: MailboxBody, response: { 200: MailboxSchema, ...apiErrors } },
  }, async (request) =>
    presentMailbox(await setProjectMailbox(await contextFor(deps, request), { siteSlug: request.params.slug, projectKey: request.params.key, mailbox: request.body })),
  );

  app.delete('/api/admin/sites/:slug/projects/:key/mailbox', {
    schema: { tags: TAGS, summary: "Removes a project's incoming mailbox (mail already handled stays)", params: ProjectParams, response: { 204: Type.Null(), ...apiErrors } },
  }, async (request, reply) => {
    await removeProjectMailbox(await contextFor(deps, request), { siteSlug: request.params.slug, projectKey: request.params.key });
    return reply.code(204).send(null);
  });

  app.get('/api/admin/sites/:slug/inbound-mail-log', {
    schema: {
      tags: TAGS,
      summary: "Mail the site's mailboxes refused or ignored (sender, time, project, why), newest first",
      params: SiteSlugParams,
      querystring: Type.Object({ start: Type.Optional(Type.Integer(OFFSET_SCHEMA)), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: INBOUND_LOG_PAGE_MAX })) }),
      response: { 200: InboundLogSchema, ...apiErrors },
    },
  }, async (request) => {
    const page = await listInboundMailLog(await contextFor(deps, request), { siteSlug: request.params.slug, start: request.query.start ?? 0, limit: request.query.limit ?? 50 });
    return { isLastPage: page.isLastPage, values: page.values.map((e) => ({ ...e, receivedAt: e.receivedAt.toISOString() })) };
  });
}
