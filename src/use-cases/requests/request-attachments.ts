import type { ActorContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import { AppError, badRequest, notFound } from '../../domain/errors.js';
import { ATTACHMENT_MAX_BYTES, attachmentTypeAllowed, cleanFileName } from '../../domain/inbound-mail.js';
import { findAttachment, insertAttachment, listRequestAttachments, readAttachmentChunks, type AttachmentInfo } from '../../db/queries/inbound-mail.js';
import { readStoredObject, stageAttachmentBytes, writeRowsOrDiscard } from './attachment-bytes.js';
import { touchRequest } from '../../db/queries/requests.js';
import { loadAccounts, type AccountView } from '../../db/queries/accounts.js';
import { assertActorStillActive, loadVisibleRequest } from './visible-request.js';

/**
 * A request's attachments, for whoever may see the request (404 for anyone else, as for the request
 * itself). A customer does not see files of internal notes. An uploader's revoke or delete removes
 * nothing: the files stay with the request like every other reference to them.
 */
export async function listAttachments(ctx: ActorContext, input: { site: SiteRef; key: string }): Promise<AttachmentInfo[]> {
  const request = await loadVisibleRequest(ctx.db, ctx.actor, input.site, input.key);
  return listRequestAttachments(ctx.db, request.id, { publicOnly: ctx.actor.kind === 'customer' });
}

/**
 * GET /rest/servicedeskapi/request/{key}/attachment: the attachments as listAttachments has them,
 * a page of them, each with the account that attached it (docs/product.md#rest-attachments).
 */
export async function listAttachmentsWithAuthors(
  ctx: ActorContext,
  input: { site: SiteRef; key: string; start: number; limit: number },
): Promise<{ start: number; limit: number; isLastPage: boolean; values: Array<AttachmentInfo & { author: AccountView | undefined }> }> {
  const all = await listAttachments(ctx, input);
  const page = all.slice(input.start, input.start + input.limit);
  const authors = await loadAccounts(ctx.db, page.map((a) => a.uploadedBy));
  return { start: input.start, limit: input.limit, isLastPage: input.start + page.length >= all.length, values: page.map((a) => ({ ...a, author: authors.get(a.uploadedBy) })) };
}

/**
 * One attachment for download: its description, checked like the request's, and its bytes as they
 * are read from the database a chunk at a time while the answer is sent — or, for a file kept in
 * the object store, as the store sends them (asked only after the check; 503 when it cannot be reached).
 */
export async function downloadAttachment(
  ctx: ActorContext,
  input: { site: SiteRef; key: string; attachmentId: string; imagesOnly?: boolean },
): Promise<AttachmentInfo & { content: AsyncIterable<Buffer> }> {
  const request = await loadVisibleRequest(ctx.db, ctx.actor, input.site, input.key);
  const file = /^[1-9][0-9]{0,17}$/.test(input.attachmentId)
    ? await findAttachment(ctx.db, request.id, input.attachmentId, { publicOnly: ctx.actor.kind === 'customer' })
    : undefined;
  if (!file) throw notFound('Attachment not found.');
  // a thumbnail (REST): only an image has one, and nothing of another file is read
  if (input.imagesOnly && !file.contentType.startsWith('image/')) throw notFound('This attachment is not an image: it has no thumbnail.');
  const { storageKey, ...info } = file;
  return { ...info, content: storageKey ? await readStoredObject(ctx.config, storageKey) : readAttachmentChunks(ctx.db, file.id, file.size) };
}

/**
 * Adds a file to a request the caller can see (help center or agent view): an allowed type (415
 * otherwise) of at most ATTACHMENT_MAX_BYTES (413 past it), stored in the caller's transaction after
 * their account is checked again. With an object store the bytes (a stream, then) go there first,
 * after the checks on the request and the type; the row follows, or the object is deleted again.
 */
export async function uploadAttachment(
  ctx: ActorContext,
  input: { site: SiteRef; key: string; fileName: string; contentType: string; content: Uint8Array | AsyncIterable<Uint8Array> },
): Promise<AttachmentInfo> {
  const request = await loadVisibleRequest(ctx.db, ctx.actor, input.site, input.key);
  const contentType = input.contentType.split(';')[0]!.trim().toLowerCase();
  if (!attachmentTypeAllowed(contentType)) {
    throw new AppError('unsupported_media_type', `Files of type '${contentType.slice(0, 100)}' cannot be attached. Attach documents, images, text, CSV or ZIP files.`);
  }
  if (input.content instanceof Uint8Array) {
    if (input.content.byteLength === 0) throw badRequest('The file is empty.', { file: 'The file is empty.' });
    if (input.content.byteLength > ATTACHMENT_MAX_BYTES) throw badRequest(`A file can be at most ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB.`, { file: 'The file is too large.' });
  }
  const fileName = cleanFileName(input.fileName);
  const staged = await stageAttachmentBytes(ctx.config, input.site.id, input.content, contentType);
  if (staged.size === 0) {
    await staged.discard();
    throw badRequest('The file is empty.', { file: 'The file is empty.' });
  }
  const id = await writeRowsOrDiscard([staged], () =>
    ctx.db.transaction().execute(async (trx) => {
      await assertActorStillActive(trx, ctx.actor);
      const attachmentId = await insertAttachment(trx, { siteId: input.site.id, requestId: request.id, commentId: null, fileName, contentType, uploadedBy: ctx.actor.accountId, ...staged.bytes });
      await touchRequest(trx, request.id);
      return attachmentId;
    }),
  );
  return (await listRequestAttachments(ctx.db, request.id, { publicOnly: false })).find((a) => a.id === id)!;
}
