import type { Kysely } from 'kysely';
import type { Db } from '../connection.js';
import type { Database } from '../schema.js';
import type { AccessNoticeKind, AccessNoticeTemplate } from '../../domain/access-notice.js';

type Executor = Db | Kysely<Database>;

export interface StoredAccessNotice extends AccessNoticeTemplate {
  kind: AccessNoticeKind;
  updatedAt: Date;
}

/** The site's own notice templates (none saved: the built-in ones). */
export async function findAccessNoticeTemplates(db: Executor, siteId: string): Promise<StoredAccessNotice[]> {
  const rows = await db.selectFrom('access_notice_templates').select(['kind', 'subject', 'text_body', 'updated_at']).where('site_id', '=', siteId).execute();
  return rows.map((r) => ({ kind: r.kind, subject: r.subject, text: r.text_body, updatedAt: new Date(r.updated_at) }));
}

export async function saveAccessNoticeTemplate(trx: Kysely<Database>, siteId: string, kind: AccessNoticeKind, template: AccessNoticeTemplate, by: string): Promise<Date> {
  const row = await trx
    .insertInto('access_notice_templates')
    .values({ site_id: siteId, kind, subject: template.subject, text_body: template.text, updated_by: by })
    .onConflict((oc) => oc.columns(['site_id', 'kind']).doUpdateSet({ subject: template.subject, text_body: template.text, updated_by: by, updated_at: new Date() }))
    .returning('updated_at')
    .executeTakeFirstOrThrow();
  return new Date(row.updated_at);
}

/** Back to the built-in template; whether there was one to delete. */
export async function deleteAccessNoticeTemplate(trx: Kysely<Database>, siteId: string, kind: AccessNoticeKind): Promise<boolean> {
  const deleted = await trx.deleteFrom('access_notice_templates').where('site_id', '=', siteId).where('kind', '=', kind).executeTakeFirst();
  return Number(deleted.numDeletedRows) > 0;
}
