import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { listOutbox } from '../../../use-cases/admin/list-outbox.js';
import { OFFSET_SCHEMA } from '../../../domain/limits.js';
import { OutboxPageSchema } from '../../schemas/admin.js';
import { apiErrors } from '../../schemas/common.js';

// The organization's outgoing mail and what became of each (kept without SMTP_URL; queued, sent,
// failed or cancelled with it), for the organization's admins.
export async function registerOutboxRoutes(app: App, deps: AppDeps): Promise<void> {
  app.get('/api/orgs/:orgId/outbox', {
    schema: {
      tags: ['admin console (internal)'],
      summary: "This organization's mail and its delivery status, newest first (org admins)",
      params: Type.Object({ orgId: Type.String({ minLength: 1, maxLength: 64 }) }),
      querystring: Type.Object({
        start: Type.Integer({ ...OFFSET_SCHEMA, default: 0 }),
        limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
      }),
      response: { 200: OutboxPageSchema, ...apiErrors },
    },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    return listOutbox(ctx, { orgId: request.params.orgId, start: request.query.start, limit: request.query.limit });
  });
}
