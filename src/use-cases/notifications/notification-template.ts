import type { Transaction } from 'kysely';
import type { ActorContext } from '../context.js';
import type { Database } from '../../db/schema.js';
import { badRequest, notFound } from '../../domain/errors.js';
import { decideSiteSettings } from '../../domain/policies.js';
import {
  checkMailTemplate,
  DEFAULT_MAIL_TEMPLATE,
  renderMail,
  sampleView,
  TemplateError,
  type MailTemplate,
  type NotificationEvent,
} from '../../domain/mail-template.js';
import { auditSiteChange } from '../audit.js';
import { findSiteTemplate } from '../../db/queries/notifications.js';
import { findSiteBySlug, type SiteRow } from '../../db/queries/sites.js';
import { enforce } from '../authorize.js';

export interface SiteNotificationTemplate extends MailTemplate {
  /** true while the site uses the built-in template (nothing saved, or reset) */
  isDefault: boolean;
  updatedAt: Date | null;
  defaults: MailTemplate;
}

async function authorize(ctx: ActorContext, siteSlug: string): Promise<SiteRow> {
  const site = ctx.urlSite?.slug === siteSlug ? ctx.urlSite : await findSiteBySlug(ctx.db, siteSlug);
  if (!site) throw notFound('Site not found.');
  enforce(decideSiteSettings(ctx.actor, site), { notFound: 'Site not found.', forbidden: "You do not have permission to change this site's settings." });
  return site;
}

function checked(template: MailTemplate): MailTemplate {
  try {
    checkMailTemplate(template);
  } catch (error) {
    if (error instanceof TemplateError) throw badRequest(error.message, { [error.part]: error.message });
    throw error;
  }
  return template;
}

/** A stored template (or none: the built-in one), as the admin console's editor shows it. */
function asShown(stored: { subject: string; text: string; html: string; updatedAt: Date } | undefined): SiteNotificationTemplate {
  return stored
    ? { subject: stored.subject, text: stored.text, html: stored.html, isDefault: false, updatedAt: stored.updatedAt, defaults: DEFAULT_MAIL_TEMPLATE }
    : { ...DEFAULT_MAIL_TEMPLATE, isDefault: true, updatedAt: null, defaults: DEFAULT_MAIL_TEMPLATE };
}

/** The audit event of a change of the site's template (saved or reset). */
async function auditTemplateChange(trx: Transaction<Database>, ctx: ActorContext, site: SiteRow, action: 'site.notification_template.changed' | 'site.notification_template.reset') {
  await auditSiteChange(trx, ctx, site, action, {});
}

/** The site's notification template, as the admin console's editor shows it. */
export async function getNotificationTemplate(ctx: ActorContext, input: { siteSlug: string }): Promise<SiteNotificationTemplate> {
  const site = await authorize(ctx, input.siteSlug);
  return asShown(await findSiteTemplate(ctx.db, site.id));
}

/** Saves the site's template (checked first: 400 naming the part); the next mail uses it. */
export async function saveNotificationTemplate(ctx: ActorContext, input: { siteSlug: string; template: MailTemplate }): Promise<SiteNotificationTemplate> {
  const site = await authorize(ctx, input.siteSlug);
  const template = checked(input.template);
  const saved = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('notification_templates')
      .values({ site_id: site.id, subject: template.subject, text_body: template.text, html_body: template.html, updated_by: ctx.actor.accountId })
      .onConflict((oc) =>
        oc.column('site_id').doUpdateSet({ subject: template.subject, text_body: template.text, html_body: template.html, updated_by: ctx.actor.accountId, updated_at: new Date() }),
      )
      .returning('updated_at')
      .executeTakeFirstOrThrow();
    await auditTemplateChange(trx, ctx, site, 'site.notification_template.changed');
    return row;
  });
  return asShown({ ...template, updatedAt: new Date(saved.updated_at) });
}

/** Back to the built-in template. */
export async function resetNotificationTemplate(ctx: ActorContext, input: { siteSlug: string }): Promise<SiteNotificationTemplate> {
  const site = await authorize(ctx, input.siteSlug);
  await ctx.db.transaction().execute(async (trx) => {
    const deleted = await trx.deleteFrom('notification_templates').where('site_id', '=', site.id).executeTakeFirst();
    if (Number(deleted.numDeletedRows) > 0) await auditTemplateChange(trx, ctx, site, 'site.notification_template.reset');
  });
  return asShown(undefined);
}

/** A template (saved or not) rendered for one event with made-up values, as a recipient would get it. */
export async function previewNotificationTemplate(
  ctx: ActorContext,
  input: { siteSlug: string; template: MailTemplate; event: NotificationEvent },
): Promise<MailTemplate> {
  const site = await authorize(ctx, input.siteSlug);
  return renderMail(checked(input.template), sampleView({ name: site.name, url: `${ctx.origin}/s/${site.slug}` }, input.event));
}
