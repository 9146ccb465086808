import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { requireSite } from '../../plugins/auth.js';
import { apiErrors } from '../../schemas/common.js';
import { downloadAttachment, listAttachments } from '../../../use-cases/requests/request-attachments.js';

// A request's attachments (docs/product.md#requests-by-email), for the help center and the agent
// view alike: whoever may see the request (customer or staff cookie, or an API token).

const Params = Type.Object({ site: Type.String({ minLength: 1, maxLength: 63 }), key: Type.String({ minLength: 1, maxLength: 40 }) });
const FileParams = Type.Object({ site: Type.String({ minLength: 1, maxLength: 63 }), key: Type.String({ minLength: 1, maxLength: 40 }), id: Type.String({ minLength: 1, maxLength: 20 }) });
const AttachmentsSchema = Type.Object({
  values: Type.Array(Type.Object({ id: Type.String(), fileName: Type.String(), contentType: Type.String(), size: Type.Integer(), created: Type.String({ format: 'date-time' }) })),
});

export async function registerAttachmentRoutes(app: App, deps: AppDeps): Promise<void> {
  const tags = ['help center (internal)'];
  app.get('/s/:site/api/portal/requests/:key/attachments', {
    schema: { tags, summary: "A request's attachments", params: Params, response: { 200: AttachmentsSchema, ...apiErrors } },
  }, async (request) => {
    const files = await listAttachments(await contextFor(deps, request), { site: requireSite(request), key: request.params.key });
    return { values: files.map((f) => ({ id: f.id, fileName: f.fileName, contentType: f.contentType, size: f.size, created: f.createdAt.toISOString() })) };
  });

  app.get('/s/:site/api/portal/requests/:key/attachments/:id', {
    schema: { tags, summary: 'Downloads one attachment (always as a download, never shown inline)', params: FileParams },
  }, async (request, reply) => {
    const file = await downloadAttachment(await contextFor(deps, request), { site: requireSite(request), key: request.params.key, attachmentId: request.params.id });
    const ascii = file.fileName.replace(/[^\x20-\x7e]/g, '_');
    return reply
      .header('content-type', file.contentType)
      .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "sandbox; default-src 'none'")
      .send(Buffer.from(file.content));
  });
}
