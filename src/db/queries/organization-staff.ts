import { sql, type Expression, type SqlBool, type Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { Db } from '../connection.js';

type Executor = Transaction<Database> | Db;

/**
 * The staff of a site are the staff of its organization: its org admins, the site admins of any of
 * its sites and the agents of any of its projects (the same rule as policies.isStaffOfOrganization,
 * in SQL). Staff accounts are global, so every place that names, lists or resolves staff on a site
 * asks this; a staff account of another organization is then exactly as unknown as a stranger.
 * Each arm is an indexed look-up by account (org_admins primary key, site_admins_account_idx,
 * project_agents_account_idx) joined to the site's organization.
 */
export function isStaffOfSiteOrganization(accountId: Expression<string>, siteId: string): Expression<SqlBool> {
  const org = sql<string>`(select org_id from sites where id = ${siteId})`;
  return sql<SqlBool>`(
    exists (select 1 from org_admins oa where oa.account_id = ${accountId} and oa.org_id = ${org})
    or exists (select 1 from site_admins sa join sites s on s.id = sa.site_id where sa.account_id = ${accountId} and s.org_id = ${org})
    or exists (select 1 from project_agents pa join sites s on s.id = pa.site_id where pa.account_id = ${accountId} and s.org_id = ${org})
  )`;
}

/** Which of `accountIds` are staff accounts of the site's organization (whatever their status). */
export async function staffOfSiteOrganization(db: Executor, siteId: string, accountIds: readonly string[]): Promise<Set<string>> {
  const ids = [...new Set(accountIds)];
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('accounts as a')
    .select('a.account_id')
    .where('a.account_id', 'in', ids)
    .where('a.kind', '=', 'staff')
    .where((eb) => isStaffOfSiteOrganization(eb.ref('a.account_id'), siteId))
    .execute();
  return new Set(rows.map((r) => r.account_id));
}
