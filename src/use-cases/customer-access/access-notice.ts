import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import type { CustomerRecord } from '../../db/queries/customer-records.js';
import { findAccessNoticeTemplates } from '../../db/queries/access-notices.js';
import { DEFAULT_ACCESS_NOTICES, normalizeReason, renderAccessNotice, type AccessNoticeKind } from '../../domain/access-notice.js';

/**
 * What a revoke or grant may carry besides the customer (docs/product.md#reason-and-notice): a
 * reason (kept in the audit event; a revoke's also on the account for the list), and whether the
 * customer is mailed a notice, with or without the reason.
 */
export interface AccessChangeNote {
  reason?: string | null;
  notify?: boolean;
  /** put the reason in the notice (only with `notify`) */
  includeReason?: boolean;
}

export interface CheckedNote {
  reason: string | null;
  notify: boolean;
  includeReason: boolean;
}

/** The note as given, checked (400 for a reason too long or with control characters). */
export function checkNote(note: AccessChangeNote): CheckedNote {
  const reason = normalizeReason(note.reason);
  return { reason, notify: note.notify === true, includeReason: note.notify === true && note.includeReason === true && reason !== null };
}

/** The audit event's details of a change with this note: nothing extra without one (as before notes existed). */
export function noteDetails(note: CheckedNote): Record<string, unknown> {
  return { ...(note.reason !== null ? { reason: note.reason } : {}), ...(note.notify ? { notified: true } : {}) };
}

/**
 * Writes the notices of one kind for customers of one site, in the change's transaction, through the
 * one mailer: rendered from the site's template (or the built-in one). Nobody without a confirmed
 * address is mailed (an address nobody proved is theirs).
 */
export async function mailAccessNotices(
  trx: Kysely<Database>,
  ctx: Pick<AppContext, 'mailer' | 'origin'>,
  site: { id: string; orgId: string; slug: string; name: string },
  kind: AccessNoticeKind,
  customers: CustomerRecord[],
  note: CheckedNote,
): Promise<number> {
  if (!note.notify) return 0;
  const recipients = customers.filter((c) => c.email && !c.awaitingVerification);
  if (recipients.length === 0) return 0;
  const stored = (await findAccessNoticeTemplates(trx, site.id)).find((t) => t.kind === kind);
  const template = stored ?? DEFAULT_ACCESS_NOTICES[kind];
  for (const c of recipients) {
    const mail = renderAccessNotice(template, {
      recipient: { name: c.displayName ?? c.email! },
      site: { name: site.name, url: `${ctx.origin}/s/${site.slug}/servicedesk/customer/portals` },
      ...(note.includeReason && note.reason ? { reason: note.reason } : {}),
    });
    await ctx.mailer.send(trx, { to: c.email!, subject: mail.subject, body: mail.text, orgId: site.orgId, siteId: site.id, recipientId: c.accountId, accessNotice: kind });
  }
  return recipients.length;
}
