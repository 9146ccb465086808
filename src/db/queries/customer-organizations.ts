import { sql, type Transaction } from 'kysely';
import type { Db } from '../connection.js';
import type { Database } from '../schema.js';
import type { AccountView } from './accounts.js';
import { isBigintId } from './projects.js';

// Customer organizations of a site (table customer_organizations; not the tenancy `organizations`):
// the reads their use cases share. Every read names the site, so an id of another site is as
// unknown as an id nobody has.

type Executor = Transaction<Database> | Db;

export interface CustomerOrganization {
  id: string;
  siteId: string;
  name: string;
  createdAt: Date;
}

function toOrganization(r: { id: string | number; site_id: string; name: string; created_at: Date }): CustomerOrganization {
  return { id: String(r.id), siteId: r.site_id, name: r.name, createdAt: new Date(r.created_at) };
}

/** Whether `value` can be an organization id (a positive integer). */
export function isOrganizationId(value: string): boolean {
  return isBigintId(value);
}

export async function findCustomerOrganization(db: Executor, siteId: string, id: string, options: { lock?: boolean } = {}): Promise<CustomerOrganization | undefined> {
  if (!isOrganizationId(id)) return undefined;
  let q = db.selectFrom('customer_organizations').select(['id', 'site_id', 'name', 'created_at']).where('site_id', '=', siteId).where('id', '=', id);
  if (options.lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row && toOrganization(row);
}

/** An organization of the site with this name (any case), other than `exceptId`. */
export async function findOrganizationByName(db: Executor, siteId: string, name: string, exceptId?: string): Promise<CustomerOrganization | undefined> {
  let q = db.selectFrom('customer_organizations').select(['id', 'site_id', 'name', 'created_at']).where('site_id', '=', siteId).where(sql`lower(name)`, '=', name.toLowerCase());
  if (exceptId) q = q.where('id', '!=', exceptId);
  const row = await q.executeTakeFirst();
  return row && toOrganization(row);
}

export async function isOrganizationMember(db: Executor, organizationId: string, accountId: string): Promise<boolean> {
  const row = await db
    .selectFrom('customer_organization_members')
    .select('account_id')
    .where('organization_id', '=', organizationId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The ids of an organization's members (every status: the mailer leaves out who may not be mailed). */
export async function listOrganizationMemberIds(db: Executor, organizationId: string): Promise<string[]> {
  const rows = await db.selectFrom('customer_organization_members').select('account_id').where('organization_id', '=', organizationId).execute();
  return rows.map((r) => r.account_id);
}

export interface OrganizationListFilter {
  siteId: string;
  /** only the organizations this account is a member of */
  memberId?: string;
  /** only the organizations added to this project */
  projectId?: string;
  /** part of the name, any case */
  query?: string;
  start: number;
  limit: number;
}

/** Organizations of a site by name, one page (one more row is read to know whether it is the last). */
export async function listCustomerOrganizations(db: Executor, f: OrganizationListFilter): Promise<{ values: Array<CustomerOrganization & { memberCount: number }>; isLastPage: boolean }> {
  let q = db
    .selectFrom('customer_organizations as o')
    .select(['o.id', 'o.site_id', 'o.name', 'o.created_at'])
    .select((eb) =>
      eb.selectFrom('customer_organization_members as m').select(eb.fn.countAll<string>().as('n')).whereRef('m.organization_id', '=', 'o.id').as('member_count'),
    )
    .where('o.site_id', '=', f.siteId);
  if (f.memberId !== undefined) {
    const memberId = f.memberId;
    q = q.where((eb) => eb.exists(eb.selectFrom('customer_organization_members as m2').select(sql.lit(1).as('one')).whereRef('m2.organization_id', '=', 'o.id').where('m2.account_id', '=', memberId)));
  }
  if (f.projectId !== undefined) {
    const projectId = f.projectId;
    q = q.where((eb) => eb.exists(eb.selectFrom('project_customer_organizations as pco').select(sql.lit(1).as('one')).whereRef('pco.organization_id', '=', 'o.id').where('pco.project_id', '=', projectId)));
  }
  const query = f.query?.trim().toLowerCase();
  if (query) {
    const like = '%' + query.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
    q = q.where(sql`lower(o.name)`, 'like', like);
  }
  const rows = await q.orderBy(sql`lower(o.name)`).orderBy('o.id').offset(f.start).limit(f.limit + 1).execute();
  return {
    isLastPage: rows.length <= f.limit,
    values: rows.slice(0, f.limit).map((r) => ({ ...toOrganization(r), memberCount: Number(r.member_count ?? 0) })),
  };
}

/**
 * Members of an organization by name, one page. Revoked members are listed (they stay members and
 * are shown "(Deactivated)"); deleted accounts are not.
 */
export async function listOrganizationMembers(db: Executor, organizationId: string, start: number, limit: number): Promise<{ values: AccountView[]; isLastPage: boolean }> {
  const rows = await db
    .selectFrom('customer_organization_members as m')
    .innerJoin('accounts as a', 'a.account_id', 'm.account_id')
    .select(['a.account_id', 'a.kind', 'a.site_id', 'a.email', 'a.display_name', 'a.status'])
    .where('m.organization_id', '=', organizationId)
    .where('a.status', '!=', 'deleted')
    .orderBy('a.sort_name')
    .orderBy('a.account_id')
    .offset(start)
    .limit(limit + 1)
    .execute();
  return {
    isLastPage: rows.length <= limit,
    values: rows.slice(0, limit).map((r) => ({ accountId: r.account_id, kind: r.kind, siteId: r.site_id, email: r.email, displayName: r.display_name, status: r.status })),
  };
}

/** The organizations a request is shared with (a request is shared with a few at most). */
export async function listRequestOrganizations(db: Executor, requestId: string): Promise<CustomerOrganization[]> {
  const rows = await db
    .selectFrom('request_organizations as ro')
    .innerJoin('customer_organizations as o', 'o.id', 'ro.organization_id')
    .select(['o.id', 'o.site_id', 'o.name', 'o.created_at'])
    .where('ro.request_id', '=', requestId)
    .orderBy(sql`lower(o.name)`)
    .execute();
  return rows.map(toOrganization);
}

