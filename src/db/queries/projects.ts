import { sql, type Expression, type ExpressionBuilder, type Transaction } from 'kysely';
import type { Db } from '../connection.js';
import type { CustomerAccess, CustomerSharing, Database } from '../schema.js';
import type { ProjectRow } from '../../domain/requests.js';

type Executor = Transaction<Database> | Db;


const BIGINT_ID = /^[1-9][0-9]{0,17}$/;
/** Whether `value` can be a numeric id (projects, request types, requests, articles). */
export function isBigintId(value: string): boolean {
  return BIGINT_ID.test(value);
}

function projectSelect(db: Executor) {
  return db
    .selectFrom('projects as p')
    .select(['p.id', 'p.site_id', 'p.key', 'p.name', 'p.portal_name', 'p.portal_description', 'p.customer_access', 'p.customer_sharing']);
}

function toProject(r: { id: string; site_id: string; key: string; name: string; portal_name: string; portal_description: string; customer_access: CustomerAccess; customer_sharing: CustomerSharing }): ProjectRow {
  return {
    id: String(r.id),
    siteId: r.site_id,
    key: r.key,
    name: r.name,
    portalName: r.portal_name,
    portalDescription: r.portal_description,
    customerAccess: r.customer_access,
    customerSharing: r.customer_sharing,
  };
}

export async function findProject(db: Executor, siteId: string, projectId: string): Promise<ProjectRow | undefined> {
  if (!isBigintId(projectId)) return undefined;
  const row = await projectSelect(db).where('p.site_id', '=', siteId).where('p.id', '=', projectId).executeTakeFirst();
  return row && toProject(row);
}

/** A project of the site by key (HELP, case-insensitive). */
export async function findProjectByKey(db: Executor, siteId: string, key: string): Promise<ProjectRow | undefined> {
  const row = await projectSelect(db).where('p.site_id', '=', siteId).where('p.key', '=', key.toUpperCase()).executeTakeFirst();
  return row && toProject(row);
}

/**
 * Whether `accountId` was added to the project `projectRef` as a customer: directly
 * (project_customers), or as a member of a customer organization added to the project
 * (project_customer_organizations). The one definition of the fact domain/policies/projects.ts
 * calls `isProjectCustomer`.
 */
function addedToProject(eb: ExpressionBuilder<any, any>, projectRef: Expression<any>, accountId: string) {
  return eb.or([
    eb.exists(
      eb.selectFrom('project_customers as pc').select(sql.lit(1).as('one'))
        .where('pc.project_id', '=', projectRef).where('pc.account_id', '=', accountId),
    ),
    eb.exists(
      eb.selectFrom('project_customer_organizations as pco')
        .innerJoin('customer_organization_members as com', 'com.organization_id', 'pco.organization_id')
        .select(sql.lit(1).as('one'))
        .where('pco.project_id', '=', projectRef).where('com.account_id', '=', accountId),
    ),
  ]);
}

/**
 * Every project of the site by portal name, each with whether `accountId` was added to it as a
 * customer, directly or through an organization (a site has a handful of projects).
 */
export async function listSiteProjects(db: Executor, siteId: string, accountId: string): Promise<Array<ProjectRow & { isProjectCustomer: boolean }>> {
  const rows = await projectSelect(db)
    .select((eb) => addedToProject(eb, eb.ref('p.id'), accountId).as('is_project_customer'))
    .where('p.site_id', '=', siteId)
    .orderBy('p.portal_name')
    .orderBy('p.id')
    .execute();
  return rows.map((r) => ({ ...toProject(r), isProjectCustomer: Boolean(r.is_project_customer) }));
}

/** Whether the account was added to the project's customers, directly or through an organization. */
export async function isProjectCustomer(db: Executor, projectId: string, accountId: string): Promise<boolean> {
  const row = await db
    .selectNoFrom((eb) => addedToProject(eb, eb.val(projectId), accountId).as('added'))
    .executeTakeFirstOrThrow();
  return Boolean(row.added);
}

export type { ProjectRow };
