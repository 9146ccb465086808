import type { Static } from 'typebox';
import type { SiteAccessNotice } from '../../use-cases/customer-access/access-notice-templates.js';
import type { AccessNoticeSchema } from '../schemas/access-lifecycle.js';

/** A site's notice wording as the editor shows it. */
export function presentAccessNotice(n: SiteAccessNotice): Static<typeof AccessNoticeSchema> {
  return { kind: n.kind, subject: n.subject, text: n.text, isDefault: n.isDefault, updatedAt: n.updatedAt ? n.updatedAt.toISOString() : null, defaults: n.defaults, preview: n.preview };
}
