import { sql, type Transaction } from 'kysely';
import type { Db } from '../connection.js';
import type { CustomerAccess, Database } from '../schema.js';
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
    .select(['p.id', 'p.site_id', 'p.key', 'p.name', 'p.portal_name', 'p.portal_description', 'p.customer_access']);
}

function toProject(r: { id: string; site_id: string; key: string; name: string; portal_name: string; portal_description: string; customer_access: CustomerAccess }): ProjectRow {
  return {
    id: String(r.id),
    siteId: r.site_id,
    key: r.key,
    name: r.name,
    portalName: r.portal_name,
    portalDescription: r.portal_description,
    customerAccess: r.customer_access,
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
 * Every project of the site by portal name, each with whether `accountId` was added to it as a
 * customer (a site has a handful of projects).
 */
export async function listSiteProjects(db: Executor, siteId: string, accountId: string): Promise<Array<ProjectRow & { isProjectCustomer: boolean }>> {
  const rows = await projectSelect(db)
    .select((eb) =>
      eb
        .exists(
          eb.selectFrom('project_customers as pc').select(sql.lit(1).as('one'))
            .whereRef('pc.project_id', '=', 'p.id').where('pc.account_id', '=', accountId),
        )
        .as('is_project_customer'),
    )
    .where('p.site_id', '=', siteId)
    .orderBy('p.portal_name')
    .orderBy('p.id')
    .execute();
  return rows.map((r) => ({ ...toProject(r), isProjectCustomer: Boolean(r.is_project_customer) }));
}

/** Whether the account was added to the project's customers. */
export async function isProjectCustomer(db: Executor, projectId: string, accountId: string): Promise<boolean> {
  const row = await db
    .selectFrom('project_customers')
    .select('account_id')
    .where('project_id', '=', projectId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row !== undefined;
}

export type { ProjectRow };
