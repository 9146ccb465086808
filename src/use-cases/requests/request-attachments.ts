import type { ActorContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import { notFound } from '../../domain/errors.js';
import { findAttachmentContent, listRequestAttachments, type AttachmentInfo } from '../../db/queries/inbound-mail.js';
import { loadVisibleRequest } from './visible-request.js';

/**
 * A request's attachments, for whoever may see the request (404 for anyone else, as for the request
 * itself). A customer does not see files of internal notes. An uploader's revoke or delete removes
 * nothing: the files stay with the request like every other reference to them.
 */
export async function listAttachments(ctx: ActorContext, input: { site: SiteRef; key: string }): Promise<AttachmentInfo[]> {
  const request = await loadVisibleRequest(ctx.db, ctx.actor, input.site, input.key);
  return listRequestAttachments(ctx.db, request.id, { publicOnly: ctx.actor.kind === 'customer' });
}

export async function downloadAttachment(ctx: ActorContext, input: { site: SiteRef; key: string; attachmentId: string }): Promise<AttachmentInfo & { content: Uint8Array }> {
  const request = await loadVisibleRequest(ctx.db, ctx.actor, input.site, input.key);
  const file = /^[1-9][0-9]{0,17}$/.test(input.attachmentId)
    ? await findAttachmentContent(ctx.db, request.id, input.attachmentId, { publicOnly: ctx.actor.kind === 'customer' })
    : undefined;
  if (!file) throw notFound('Attachment not found.');
  return file;
}
