import type { Kysely } from 'kysely';
import type { Db } from '../connection.js';
import type { Database } from '../schema.js';
import { isStaffOfSiteOrganization } from './organization-staff.js';

type Executor = Db | Kysely<Database>;

export interface SiteMailSettings {
  id: string;
  slug: string;
  name: string;
  orgId: string;
  mailKey: string;
}

export async function findSiteMailSettings(db: Executor, siteId: string): Promise<SiteMailSettings> {
  const row = await db.selectFrom('sites').select(['id', 'slug', 'name', 'org_id', 'mail_key']).where('id', '=', siteId).executeTakeFirstOrThrow();
  return { id: row.id, slug: row.slug, name: row.name, orgId: row.org_id, mailKey: row.mail_key };
}

export interface StoredTemplate {
  subject: string;
  text: string;
  html: string;
  updatedAt: Date;
}

export async function findSiteTemplate(db: Executor, siteId: string): Promise<StoredTemplate | undefined> {
  const row = await db.selectFrom('notification_templates').select(['subject', 'text_body', 'html_body', 'updated_at']).where('site_id', '=', siteId).executeTakeFirst();
  return row ? { subject: row.subject, text: row.text_body, html: row.html_body, updatedAt: new Date(row.updated_at) } : undefined;
}

export interface NotificationRequest {
  id: string;
  key: string;
  summary: string;
  status: string;
  projectId: string;
  reporterId: string;
}

export async function findNotificationRequest(db: Executor, requestId: string): Promise<NotificationRequest> {
  const row = await db.selectFrom('requests').select(['id', 'key', 'summary', 'status', 'project_id', 'reporter_id']).where('id', '=', requestId).executeTakeFirstOrThrow();
  return { id: String(row.id), key: row.key, summary: row.summary, status: row.status, projectId: String(row.project_id), reporterId: row.reporter_id };
}

export async function listParticipantIds(db: Executor, requestId: string): Promise<string[]> {
  return (await db.selectFrom('request_participants').select('account_id').where('request_id', '=', requestId).execute()).map((r) => r.account_id);
}

export interface MailRecipient {
  accountId: string;
  email: string;
  displayName: string;
}

/**
 * Of `accountIds`, those who may be mailed about the request: active accounts (never a revoked or
 * deleted one) with an email, who have not stopped its mail, and who are people of the site — its
 * customers or its organization's staff (docs/architecture.md, "Who may do what"): a stranger named
 * on a request from before those rules cannot read it, so is not mailed it either.
 */
export async function mailableRecipients(db: Executor, siteId: string, requestId: string, accountIds: readonly string[]): Promise<MailRecipient[]> {
  if (accountIds.length === 0) return [];
  const rows = await db
    .selectFrom('accounts as a')
    .leftJoin('request_mail_mutes as m', (join) => join.onRef('m.account_id', '=', 'a.account_id').on('m.request_id', '=', requestId))
    .select(['a.account_id', 'a.email', 'a.display_name'])
    .where('a.account_id', 'in', [...accountIds])
    .where('a.status', '=', 'active')
    .where('a.email', 'is not', null)
    .where('m.account_id', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('a.kind', '=', 'customer'), eb('a.site_id', '=', siteId)]),
        eb.and([eb('a.kind', '=', 'staff'), isStaffOfSiteOrganization(eb.ref('a.account_id'), siteId)]),
      ]),
    )
    .orderBy('a.account_id')
    .execute();
  return rows.map((r) => ({ accountId: r.account_id, email: r.email!, displayName: r.display_name ?? r.email! }));
}
