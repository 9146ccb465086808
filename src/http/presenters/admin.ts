import type { AccessFootprint } from '../../domain/access-footprint.js';
import type { Static } from 'typebox';
import type { AdminOrg } from '../../use-cases/admin/org-admin.js';
import type { AuditEntry } from '../../use-cases/admin/list-audit-events.js';
import type { SiteNotificationTemplate } from '../../use-cases/notifications/notification-template.js';
import type { AdminOrgSchema, AuditEventSchema, NotificationTemplateSchema } from '../schemas/admin.js';

/** An organization with its sites (the settings switch answers the same, without its `changed`). */
export function presentAdminOrg(org: AdminOrg): Static<typeof AdminOrgSchema> {
  return { id: org.id, name: org.name, userManagement: org.userManagement, sites: org.sites.map((s) => ({ id: s.id, slug: s.slug, name: s.name, url: s.url })) };
}

/** One line of the audit log; people come labelled from the use case (displayLabel). */
export function presentAuditEvent(e: AuditEntry): Static<typeof AuditEventSchema> {
  return {
    id: e.id,
    action: e.action,
    actor: e.actor,
    target: e.target,
    site: e.site,
    createdAt: e.createdAt.toISOString(),
    ip: e.ip,
    userAgent: e.userAgent,
    details: e.details,
  };
}

/** A site's notification template as the admin console's editor shows it. */
export function presentNotificationTemplate(t: SiteNotificationTemplate): Static<typeof NotificationTemplateSchema> {
  return { subject: t.subject, text: t.text, html: t.html, isDefault: t.isDefault, updatedAt: t.updatedAt ? t.updatedAt.toISOString() : null, defaults: t.defaults };
}

/** A revoke's footprint as JSON: times in ISO 8601 (docs/product.md#footprint). */
export function presentFootprint(f: AccessFootprint) {
  return { ...f, lastActiveAt: f.lastActiveAt?.toISOString() ?? null, accessUntil: f.accessUntil?.toISOString() ?? null };
}
