import type { ActorContext } from '../context.js';
import { notFound } from '../../domain/errors.js';
import { decideSiteSettings } from '../../domain/policies.js';
import { checkAccessNoticeTemplate, DEFAULT_ACCESS_NOTICES, renderAccessNotice, type AccessNoticeKind, type AccessNoticeTemplate } from '../../domain/access-notice.js';
import { deleteAccessNoticeTemplate, findAccessNoticeTemplates, saveAccessNoticeTemplate } from '../../db/queries/access-notices.js';
import { findSiteBySlug, type SiteRow } from '../../db/queries/sites.js';
import { auditSiteChange } from '../audit.js';
import { enforce } from '../authorize.js';

/** One notice's template as the admin console's editor shows it. */
export interface SiteAccessNotice extends AccessNoticeTemplate {
  kind: AccessNoticeKind;
  /** true while the site uses the built-in wording */
  isDefault: boolean;
  updatedAt: Date | null;
  defaults: AccessNoticeTemplate;
  /** the template rendered for a made-up customer, the reason included */
  preview: AccessNoticeTemplate;
}

async function authorize(ctx: ActorContext, siteSlug: string): Promise<SiteRow> {
  const site = ctx.urlSite?.slug === siteSlug ? ctx.urlSite : await findSiteBySlug(ctx.db, siteSlug);
  if (!site) throw notFound('Site not found.');
  enforce(decideSiteSettings(ctx.actor, site), { notFound: 'Site not found.', forbidden: "You do not have permission to change this site's settings." });
  return site;
}

function shown(ctx: ActorContext, site: SiteRow, kind: AccessNoticeKind, stored: (AccessNoticeTemplate & { updatedAt: Date }) | undefined): SiteAccessNotice {
  const template = stored ? { subject: stored.subject, text: stored.text } : DEFAULT_ACCESS_NOTICES[kind];
  const preview = renderAccessNotice(template, {
    recipient: { name: 'Alex Customer' },
    site: { name: site.name, url: `${ctx.origin}/s/${site.slug}/servicedesk/customer/portals` },
    reason: 'The contract with Alex’s company ended.',
  });
  return { kind, ...template, isDefault: !stored, updatedAt: stored?.updatedAt ?? null, defaults: DEFAULT_ACCESS_NOTICES[kind], preview };
}

/** The site's revoke and welcome-back notices (docs/product.md#reason-and-notice); site admins and org admins. */
export async function getAccessNotices(ctx: ActorContext, input: { siteSlug: string }): Promise<SiteAccessNotice[]> {
  const site = await authorize(ctx, input.siteSlug);
  const stored = await findAccessNoticeTemplates(ctx.db, site.id);
  return (['revoked', 'granted'] as const).map((kind) => shown(ctx, site, kind, stored.find((s) => s.kind === kind)));
}

/** Saves one notice's wording (400 naming the part); audited `site.access_notice.changed`. */
export async function saveAccessNotice(ctx: ActorContext, input: { siteSlug: string; kind: AccessNoticeKind; template: AccessNoticeTemplate }): Promise<SiteAccessNotice> {
  const site = await authorize(ctx, input.siteSlug);
  checkAccessNoticeTemplate(input.template);
  const updatedAt = await ctx.db.transaction().execute(async (trx) => {
    const at = await saveAccessNoticeTemplate(trx, site.id, input.kind, input.template, ctx.actor.accountId);
    await auditSiteChange(trx, ctx, site, 'site.access_notice.changed', { notice: input.kind });
    return at;
  });
  return shown(ctx, site, input.kind, { ...input.template, updatedAt });
}

/** Back to the built-in wording; audited `site.access_notice.reset` when there was one of the site's own. */
export async function resetAccessNotice(ctx: ActorContext, input: { siteSlug: string; kind: AccessNoticeKind }): Promise<SiteAccessNotice> {
  const site = await authorize(ctx, input.siteSlug);
  await ctx.db.transaction().execute(async (trx) => {
    if (await deleteAccessNoticeTemplate(trx, site.id, input.kind)) await auditSiteChange(trx, ctx, site, 'site.access_notice.reset', { notice: input.kind });
  });
  return shown(ctx, site, input.kind, undefined);
}
