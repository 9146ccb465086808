import { Readable } from 'node:stream';
import { Type } from 'typebox';
import type { FastifyReply } from 'fastify';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { pageWindow, presentPage } from '../../presenters/rest/common.js';
import { presentAttachment, presentComment } from '../../presenters/rest/requests.js';
import { AttachmentDtoSchema, CommentSchema, PageSchema, errorResponses } from '../../schemas/rest.js';
import { downloadAttachment, listAttachmentsWithAuthors } from '../../../use-cases/requests/request-attachments.js';
import { attachTemporaryFiles, commentWithAttachments, TEMPORARY_ATTACHMENTS_MAX } from '../../../use-cases/requests/temporary-attachments.js';
import { ATTACHMENT_MAX_BYTES } from '../../../domain/inbound-mail.js';
import { badRequest } from '../../../domain/errors.js';
import { JSM, PageQuery, restSite, emptyBodyAsObject } from './common.js';

// A request's attachments on the REST API (docs/product.md#rest-attachments), as jira.js reads them:
// the list (a page of AttachmentDTO), a file's bytes, and an image's thumbnail. The same rule as the
// help center's: whoever may see the request, a customer not the files of internal notes.

const RequestParams = Type.Object({ site: Type.String(), issueIdOrKey: Type.String({ maxLength: 40, description: 'issue id (10001) or key (HELP-1)' }) });
const FileParams = Type.Object({ ...RequestParams.properties, attachmentId: Type.String({ maxLength: 20 }) });
const Bytes = Type.Unsafe<Readable>({ type: 'string', description: "the file's bytes, with its stored type" });

/** The file as a download, never shown inline (the help center's download headers). */
function sendFile(reply: FastifyReply, file: { fileName: string; contentType: string; size: number; content: AsyncIterable<Buffer> }) {
  const ascii = file.fileName.replace(/[^\x20-\x7e]/g, '_');
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "sandbox; default-src 'none'")
    .header('content-length', String(file.size))
    .send(Readable.from(file.content));
}

/** The files of a multipart/form-data body's `file` fields (the body read whole, at most its limit). */
async function filesOf(body: Buffer, contentType: string): Promise<Array<{ fileName: string; contentType: string; content: Uint8Array }>> {
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw badRequest('The body is not multipart/form-data that can be read.', { file: 'Send the files as multipart/form-data.' });
  }
  const files = form.getAll('file').filter((v): v is File => typeof v !== 'string');
  return Promise.all(files.map(async (f) => ({ fileName: f.name, contentType: f.type || 'application/octet-stream', content: new Uint8Array(await f.arrayBuffer()) })));
}

export async function registerRestAttachmentRoutes(app: App, deps: AppDeps): Promise<void> {
  app.get('/s/:site/rest/servicedeskapi/request/:issueIdOrKey/attachment', {
    schema: {
      tags: [JSM],
      summary: "A request's attachments (customers: not those of internal notes)",
      params: RequestParams,
      querystring: Type.Object(PageQuery),
      response: { 200: PageSchema(AttachmentDtoSchema, 'Page of AttachmentDTO'), ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const ctx = await contextFor(deps, request);
    const page = await listAttachmentsWithAuthors(ctx, { site, key: request.params.issueIdOrKey, ...pageWindow(request.query) });
    return presentPage(request, base, { ...page, values: page.values.map((a) => presentAttachment(base, ctx.actor, request.params.issueIdOrKey, a)) });
  });

  app.get('/s/:site/rest/servicedeskapi/request/:issueIdOrKey/attachment/:attachmentId', {
    schema: { tags: [JSM], summary: "One attachment's bytes (as a download)", params: FileParams, response: { 200: Bytes, ...errorResponses } },
  }, async (request, reply) => {
    const { site } = restSite(request);
    const file = await downloadAttachment(await contextFor(deps, request), { site, key: request.params.issueIdOrKey, attachmentId: request.params.attachmentId });
    return sendFile(reply, file);
  });

  app.get('/s/:site/rest/servicedeskapi/request/:issueIdOrKey/attachment/:attachmentId/thumbnail', {
    schema: {
      tags: [JSM],
      summary: "An image attachment's thumbnail: Portico keeps no scaled copy, so it is the image itself; other files have none (404)",
      params: FileParams,
      response: { 200: Bytes, ...errorResponses },
    },
  }, async (request, reply) => {
    const { site } = restSite(request);
    const file = await downloadAttachment(await contextFor(deps, request), { site, key: request.params.issueIdOrKey, attachmentId: request.params.attachmentId, imagesOnly: true });
    return sendFile(reply, file);
  });

  // Atlassian's two steps to attach files with a comment: the files first, kept an hour for their
  // uploader and that desk; then the comment that carries them (use-cases/requests/temporary-attachments.ts).
  await app.register(async (scope: App) => {
    scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: ATTACHMENT_MAX_BYTES + 64 * 1024 }, (_request, body, done) => done(null, body));
    scope.post('/s/:site/rest/servicedeskapi/servicedesk/:serviceDeskId/attachTemporaryFile', {
      bodyLimit: ATTACHMENT_MAX_BYTES + 64 * 1024,
      schema: {
        tags: [JSM],
        summary: `Uploads files for a comment to come: multipart/form-data fields named 'file' (at most ${TEMPORARY_ATTACHMENTS_MAX}, 10 MB in all), kept an hour for the caller and this service desk`,
        params: Type.Object({ site: Type.String(), serviceDeskId: Type.String({ maxLength: 40, description: 'service desk id, project id or project key' }) }),
        body: Type.Unknown({ description: "multipart/form-data with one or more 'file' fields" }),
        response: {
          201: Type.Object({ temporaryAttachments: Type.Array(Type.Object({ temporaryAttachmentId: Type.String(), fileName: Type.String() })) }, { additionalProperties: true, description: 'TemporaryAttachments' }),
          ...errorResponses,
        },
      },
    }, async (request, reply) => {
      const { site } = restSite(request);
      const contentType = request.headers['content-type'] ?? '';
      if (!Buffer.isBuffer(request.body) || !contentType.startsWith('multipart/form-data')) {
        throw badRequest('Send the files as multipart/form-data fields named \'file\'.', { file: 'Send the files as multipart/form-data.' });
      }
      const files = await filesOf(request.body, contentType);
      const kept = await attachTemporaryFiles(await contextFor(deps, request), { site, serviceDeskId: request.params.serviceDeskId, files });
      return reply.code(201).send({ temporaryAttachments: kept });
    });
  });

  app.post('/s/:site/rest/servicedeskapi/request/:issueIdOrKey/attachment', {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: [JSM],
      summary: 'Adds a comment carrying files uploaded by attachTemporaryFile (customers: public only); the files become the request\'s',
      params: RequestParams,
      body: Type.Object({
        temporaryAttachmentIds: Type.Optional(Type.Array(Type.String(), { description: 'ids from attachTemporaryFile' })),
        public: Type.Optional(Type.Boolean()),
        additionalComment: Type.Optional(Type.Object({ body: Type.Optional(Type.String()) }, { additionalProperties: false })),
      }, { additionalProperties: false }),
      response: {
        201: Type.Object({ comment: CommentSchema, attachments: PageSchema(AttachmentDtoSchema, 'Page of AttachmentDTO') }, { additionalProperties: true, description: 'AttachmentCreateResultDTO' }),
        ...errorResponses,
      },
    },
  }, async (request, reply) => {
    const { site, base } = restSite(request);
    const ctx = await contextFor(deps, request);
    const b = request.body ?? {};
    const made = await commentWithAttachments(ctx, { site, key: request.params.issueIdOrKey, temporaryAttachmentIds: b.temporaryAttachmentIds, public: b.public, body: b.additionalComment?.body });
    // every file is the caller's, as the comment is
    const values = made.attachments.map((a) => presentAttachment(base, ctx.actor, request.params.issueIdOrKey, { ...a, author: made.comment.author }));
    return reply.code(201).send({
      comment: presentComment(base, ctx.actor, made.request, made.comment, new Set()),
      attachments: presentPage(request, base, { start: 0, limit: values.length, isLastPage: true, values }),
    });
  });
}
