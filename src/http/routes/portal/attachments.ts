import { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { FastifyReply } from 'fastify';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { requireSite } from '../../plugins/auth.js';
import { apiErrors } from '../../schemas/common.js';
import { AttachmentSchema, AttachmentsSchema } from '../../schemas/inbound-mail.js';
import { downloadAttachment, listAttachments, uploadAttachment } from '../../../use-cases/requests/request-attachments.js';
import { ATTACHMENT_MAX_BYTES } from '../../../domain/inbound-mail.js';
import { AppError } from '../../../domain/errors.js';
import { TOO_LARGE } from '../../../use-cases/requests/attachment-bytes.js';

// A request's attachments (docs/product.md#requests-by-email), for the help center and the agent
// view alike: whoever may see the request (customer or staff cookie, or an API token).

const Params = Type.Object({ site: Type.String({ minLength: 1, maxLength: 63 }), key: Type.String({ minLength: 1, maxLength: 40 }) });
const FileParams = Type.Object({ site: Type.String({ minLength: 1, maxLength: 63 }), key: Type.String({ minLength: 1, maxLength: 40 }), id: Type.String({ minLength: 1, maxLength: 20 }) });
const present = (f: { id: string; fileName: string; contentType: string; size: number; createdAt: Date }) => ({ id: f.id, fileName: f.fileName, contentType: f.contentType, size: f.size, created: f.createdAt.toISOString() });

export async function registerAttachmentRoutes(app: App, deps: AppDeps): Promise<void> {
  const tags = ['help center (internal)'];
  app.get('/s/:site/api/portal/requests/:key/attachments', {
    schema: { tags, summary: "A request's attachments", params: Params, response: { 200: AttachmentsSchema, ...apiErrors } },
  }, async (request) => {
    const files = await listAttachments(await contextFor(deps, request), { site: requireSite(request), key: request.params.key });
    return { values: files.map(present) };
  });

  // The file is the whole body, with its own Content-Type; its name is in the query. Kept in the
  // database, it is read whole (at most 10 MB) and stored in one statement; with an object store the
  // body is passed on as a stream and goes to the store as it arrives (the use case counts it).
  await app.register(async (scope: App) => {
    scope.removeAllContentTypeParsers();
    if (deps.config.objectStore) {
      scope.addContentTypeParser('*', (request, payload, done) => {
        const declared = Number(request.headers['content-length'] ?? 0);
        if (declared > ATTACHMENT_MAX_BYTES) return done(new AppError('payload_too_large', TOO_LARGE, { file: 'The file is too large.' }), undefined);
        done(null, payload);
      });
    } else {
      scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: ATTACHMENT_MAX_BYTES }, (_request, body, done) => done(null, body));
    }
    scope.post('/s/:site/api/portal/requests/:key/attachments', {
      bodyLimit: ATTACHMENT_MAX_BYTES,
      schema: {
        tags,
        summary: 'Attaches a file to a request (the body is the file, Content-Type its type; at most 10 MB)',
        params: Params,
        body: Type.Unknown({ description: 'the file itself, any bytes; its type in Content-Type (the allowed types: docs/product.md#requests-by-email)' }),
        querystring: Type.Object({ filename: Type.String({ minLength: 1, maxLength: 255 }) }, { additionalProperties: false }),
        response: { 201: AttachmentSchema, ...apiErrors },
      },
    }, async (request, reply) => {
      const body = request.body;
      const content = Buffer.isBuffer(body) ? new Uint8Array(body) : body instanceof Readable ? (body as AsyncIterable<Uint8Array>) : new Uint8Array();
      try {
        const file = await uploadAttachment(await contextFor(deps, request), {
          site: requireSite(request),
          key: request.params.key,
          fileName: request.query.filename,
          contentType: request.headers['content-type'] ?? '',
          content,
        });
        return reply.code(201).send(present(file));
      } catch (error) {
        // A streamed body refused before its end (too large, no such request, a type not allowed):
        // the rest is not read, so the connection is closed after the answer instead of left waiting.
        if (body instanceof Readable && !body.readableEnded) reply.header('connection', 'close');
        throw error;
      }
    });
  });

  app.get('/s/:site/api/portal/requests/:key/attachments/:id', {
    schema: {
      tags,
      summary: 'Downloads one attachment (always as a download, never shown inline)',
      params: FileParams,
      response: { 200: Type.Unsafe<Readable>({ type: 'string', description: "the file's bytes, with its stored type" }), ...apiErrors },
    },
  }, async (request, reply) => {
    const file = await downloadAttachment(await contextFor(deps, request), { site: requireSite(request), key: request.params.key, attachmentId: request.params.id });
    return sendAttachment(reply, file);
  });
}

/**
 * A stored file as a download, never shown inline, whoever asks for it (the help center, REST's
 * attachment routes): its stored type, its name in both forms a browser reads (ASCII and UTF-8),
 * no sniffing, and a sandbox should a browser render it anyway.
 */
export function sendAttachment(reply: FastifyReply, file: { fileName: string; contentType: string; size: number; content: AsyncIterable<Buffer> }) {
  const ascii = file.fileName.replace(/[^\x20-\x7e]/g, '_');
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "sandbox; default-src 'none'")
    .header('content-length', String(file.size))
    .send(Readable.from(file.content));
}
