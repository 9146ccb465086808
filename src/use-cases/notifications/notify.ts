import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import {
  findNotificationRequest,
  findSiteMailSettings,
  findSiteTemplate,
  listParticipantIds,
  mailableRecipients,
} from '../../db/queries/notifications.js';
import { commentView, DEFAULT_MAIL_TEMPLATE, renderMail, type MailTemplate, type MailView, type NotificationEvent } from '../../domain/mail-template.js';
import type { ActorContext } from '../context.js';
import { signUnsubscribeToken } from './unsubscribe-token.js';

export interface RequestNotice {
  siteId: string;
  requestId: string;
  event: NotificationEvent;
  /** who is told; omitted: the request's reporter and participants */
  recipients?: readonly string[];
  /** the public comment of a `commented` notice */
  comment?: string;
  /** the statuses of a `statusChanged` notice */
  change?: { from: string; to: string };
}

/** The help center's address of a request, and of a site's unsubscribe page. */
export const requestUrl = (origin: string, siteSlug: string, projectId: string, key: string) =>
  `${origin}/s/${siteSlug}/servicedesk/customer/portal/${projectId}/${encodeURIComponent(key)}`;
export const unsubscribePageUrl = (origin: string, siteSlug: string, token: string) => `${origin}/s/${siteSlug}/servicedesk/customer/unsubscribe?token=${token}`;
export const oneClickUnsubscribeUrl = (origin: string, siteSlug: string, token: string) => `${origin}/s/${siteSlug}/api/portal/unsubscribe?token=${token}`;

/** The id every mail about a request refers to (In-Reply-To, References), so mail programs thread them. */
export const requestThreadId = (origin: string, siteSlug: string, requestId: string) => `<request-${requestId}.${siteSlug}@${new URL(origin).hostname}>`;

/**
 * Mails the people of a request about something that just happened to it, in the transaction of the
 * use case that did it (the mails exist only if the change commits). Never the actor (nobody is told
 * of their own change), never a revoked or deleted account, never someone who stopped the request's
 * mail; the delivery job checks the last two again before it hands a mail over.
 */
export async function notifyRequestPeople(trx: Kysely<Database>, ctx: ActorContext, notice: RequestNotice): Promise<void> {
  const request = await findNotificationRequest(trx, notice.requestId);
  const ids = notice.recipients ?? [request.reporterId, ...(await listParticipantIds(trx, request.id))];
  const wanted = [...new Set(ids)].filter((id) => id !== ctx.actor.accountId);
  const recipients = await mailableRecipients(trx, notice.siteId, request.id, wanted);
  if (recipients.length === 0) return;

  const site = await findSiteMailSettings(trx, notice.siteId);
  const template: MailTemplate = (await findSiteTemplate(trx, site.id)) ?? DEFAULT_MAIL_TEMPLATE;
  const actor = await trx.selectFrom('accounts').select(['display_name', 'email']).where('account_id', '=', ctx.actor.accountId).executeTakeFirst();
  const siteUrl = `${ctx.origin}/s/${site.slug}`;
  const threadId = requestThreadId(ctx.origin, site.slug, request.id);
  for (const recipient of recipients) {
    const token = signUnsubscribeToken(site.mailKey, site.id, request.id, recipient.accountId);
    const view: MailView = {
      site: { name: site.name, url: siteUrl },
      recipient: { name: recipient.displayName },
      actor: { name: actor?.display_name ?? actor?.email ?? 'Someone' },
      request: { key: request.key, summary: request.summary, status: request.status, url: requestUrl(ctx.origin, site.slug, request.projectId, request.key) },
      comment: notice.comment !== undefined ? commentView(notice.comment) : undefined,
      change: notice.change,
      created: notice.event === 'created',
      shared: notice.event === 'shared',
      commented: notice.event === 'commented',
      statusChanged: notice.event === 'statusChanged',
      unsubscribeUrl: unsubscribePageUrl(ctx.origin, site.slug, token),
    };
    const mail = renderMail(template, view);
    await ctx.mailer.send(trx, {
      to: recipient.email,
      subject: mail.subject,
      body: mail.text,
      orgId: site.orgId,
      siteId: site.id,
      recipientId: recipient.accountId,
      notification: {
        html: mail.html,
        requestId: request.id,
        threadId,
        unsubscribeUrl: oneClickUnsubscribeUrl(ctx.origin, site.slug, token),
        senderName: site.name,
      },
    });
  }
}
