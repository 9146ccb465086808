import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { ActorContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import { AppError, badRequest } from '../../domain/errors.js';
import { ATTACHMENT_MAX_BYTES, attachmentTypeAllowed, cleanFileName } from '../../domain/inbound-mail.js';
import { insertAttachment, listRequestAttachments, type AttachmentInfo } from '../../db/queries/inbound-mail.js';
import type { RequestRow } from '../../db/queries/requests.js';
import type { CommentRow } from '../../db/queries/request-detail.js';
import { resolveServiceDesk } from '../help-center/portals.js';
import { stageAttachmentBytes, writeRowsOrDiscard } from './attachment-bytes.js';
import { addComment } from './add-comment.js';
import { assertActorStillActive } from './visible-request.js';

// Files attached with a comment over REST (docs/product.md#rest-attachments), in Atlassian's two
// steps: `POST …/servicedesk/{id}/attachTemporaryFile` keeps the files, for their uploader and that
// service desk, for an hour; `POST …/request/{key}/attachment` adds a comment that carries them,
// and the files become the request's attachments, in the comment's transaction.

export const TEMPORARY_ATTACHMENT_MINUTES = 60;
/** Files one upload, and one comment, may carry. */
export const TEMPORARY_ATTACHMENTS_MAX = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const fieldError = (message: string) => badRequest(message, { temporaryAttachmentIds: message });

/** Keeps `files` for the caller on the service desk they may raise requests on (404 otherwise). */
export async function attachTemporaryFiles(
  ctx: ActorContext,
  input: { site: SiteRef; serviceDeskId: string; files: Array<{ fileName: string; contentType: string; content: Uint8Array }> },
): Promise<Array<{ temporaryAttachmentId: string; fileName: string }>> {
  const desk = await resolveServiceDesk(ctx.db, ctx.actor, input.site, input.serviceDeskId);
  if (input.files.length === 0) throw badRequest("Send the files as multipart/form-data fields named 'file'.", { file: "Send a field named 'file'." });
  if (input.files.length > TEMPORARY_ATTACHMENTS_MAX) throw badRequest(`At most ${TEMPORARY_ATTACHMENTS_MAX} files at once.`, { file: 'Too many files.' });
  const files = input.files.map((f) => {
    const contentType = f.contentType.split(';')[0]!.trim().toLowerCase();
    if (!attachmentTypeAllowed(contentType)) {
      throw new AppError('unsupported_media_type', `Files of type '${contentType.slice(0, 100)}' cannot be attached. Attach documents, images, text, CSV or ZIP files.`);
    }
    if (f.content.byteLength === 0) throw badRequest('The file is empty.', { file: 'The file is empty.' });
    if (f.content.byteLength > ATTACHMENT_MAX_BYTES) throw badRequest(`A file can be at most ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB.`, { file: 'The file is too large.' });
    return { id: randomUUID(), fileName: cleanFileName(f.fileName), contentType, content: f.content };
  });
  await ctx.db.transaction().execute(async (trx) => {
    await assertActorStillActive(trx, ctx.actor);
    // files never used are cleared as new ones come
    await trx.deleteFrom('temporary_attachments').where('created_at', '<', sql<Date>`now() - make_interval(mins => ${TEMPORARY_ATTACHMENT_MINUTES})`).execute();
    await trx
      .insertInto('temporary_attachments')
      .values(files.map((f) => ({ id: f.id, site_id: input.site.id, project_id: desk.projectId, uploaded_by: ctx.actor.accountId, file_name: f.fileName, content_type: f.contentType, content: f.content })))
      .execute();
  });
  return files.map((f) => ({ temporaryAttachmentId: f.id, fileName: f.fileName }));
}

/**
 * A comment carrying the caller's temporary files of the request's service desk: `body` or, without
 * one, "Attached: <names>". A customer's comment is public (400 for `public: false`, as Atlassian).
 * An id that is not the caller's, is of another desk, was used or has expired is a 400 that changes
 * nothing.
 */
export async function commentWithAttachments(
  ctx: ActorContext,
  input: { site: SiteRef; key: string; temporaryAttachmentIds: unknown; public: unknown; body: unknown },
): Promise<{ request: RequestRow; comment: CommentRow; attachments: AttachmentInfo[] }> {
  const raw = input.temporaryAttachmentIds;
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > TEMPORARY_ATTACHMENTS_MAX || !raw.every((id) => typeof id === 'string' && UUID.test(id))) {
    throw fieldError(`'temporaryAttachmentIds' must list 1 to ${TEMPORARY_ATTACHMENTS_MAX} ids from attachTemporaryFile.`);
  }
  const ids = [...new Set(raw as string[])];
  if (typeof input.public !== 'boolean') throw badRequest("'public' must be true or false.", { public: "'public' must be true or false." });
  if (ctx.actor.kind === 'customer' && !input.public) throw badRequest('Customers add public comments only.', { public: 'Customers add public comments only.' });
  const files = await ctx.db
    .selectFrom('temporary_attachments')
    .select(['id', 'project_id', 'file_name', 'content_type', 'content'])
    .where('id', 'in', ids)
    .where('site_id', '=', input.site.id)
    .where('uploaded_by', '=', ctx.actor.accountId)
    .where('created_at', '>=', sql<Date>`now() - make_interval(mins => ${TEMPORARY_ATTACHMENT_MINUTES})`)
    .execute();
  const unknown = "Some of 'temporaryAttachmentIds' are not files you attached in the last hour.";
  if (files.length !== ids.length) throw fieldError(unknown);
  const body = typeof input.body === 'string' && input.body.trim() !== '' ? input.body : `Attached: ${files.map((f) => f.file_name).join(', ')}`;
  const staged = await Promise.all(files.map((f) => stageAttachmentBytes(ctx.config, input.site.id, f.content, f.content_type)));
  const added: string[] = [];
  const { request, comment } = await writeRowsOrDiscard(staged, () =>
    addComment(ctx, {
      site: input.site,
      key: input.key,
      body,
      public: input.public,
      alsoInTransaction: async (trx, request, commentId) => {
        if (files.some((f) => String(f.project_id) !== request.projectId)) throw fieldError(unknown);
        // used once: a second comment with the same ids finds none
        const taken = await trx.deleteFrom('temporary_attachments').where('id', 'in', ids).where('uploaded_by', '=', ctx.actor.accountId).executeTakeFirst();
        if (Number(taken.numDeletedRows) !== ids.length) throw fieldError(unknown);
        for (const [i, f] of files.entries()) {
          added.push(await insertAttachment(trx, { siteId: input.site.id, requestId: request.id, commentId, fileName: f.file_name, contentType: f.content_type, uploadedBy: ctx.actor.accountId, ...staged[i]!.bytes }));
        }
      },
    }),
  );
  const attachments = (await listRequestAttachments(ctx.db, request.id, { publicOnly: false })).filter((a) => added.includes(a.id));
  return { request, comment, attachments };
}
