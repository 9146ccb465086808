import type { SiteRef } from '../../domain/policies.js';
import type { ActorContext } from '../context.js';
import type { ServiceDesk } from '../help-center/portals.js';
import type { AccountView } from '../../db/queries/accounts.js';
import { loadManagedServiceDesk } from './project-customers.js';
import { pageOffset } from '../../domain/limits.js';

const MAX_LIMIT = 100;

export interface ListProjectCustomersInput {
  site: SiteRef;
  /** service desk id, project id or project key */
  serviceDeskId: string;
  /** case-insensitive: any part of the display name or of the email */
  query?: string;
  start: number;
  /** 1 to 100 */
  limit: number;
}

export interface ProjectCustomersPage {
  serviceDesk: ServiceDesk;
  start: number;
  limit: number;
  isLastPage: boolean;
  values: AccountView[];
}

/**
 * The customers of a service project, for its agents and the site's admins, ordered by name:
 * for a restricted project the customers added to it, for an open one every customer of the site.
 * Revoked customers are listed (the agent needs to see their status); deleted ones are not.
 */
export async function listProjectCustomers(ctx: ActorContext, input: ListProjectCustomersInput): Promise<ProjectCustomersPage> {
  const desk = await loadManagedServiceDesk(ctx.db, ctx.actor, input.site, input.serviceDeskId, 'Only agents of this service project and admins can see its customers.');

  let q = ctx.db
    .selectFrom('accounts as a')
    .select(['a.account_id', 'a.kind', 'a.site_id', 'a.email', 'a.display_name', 'a.status'])
    .where('a.kind', '=', 'customer')
    .where('a.site_id', '=', input.site.id)
    .where('a.status', '!=', 'deleted');
  if (desk.customerAccess === 'restricted') {
    q = q.where((eb) =>
      eb.exists(eb.selectFrom('project_customers as pc').select('pc.account_id').whereRef('pc.account_id', '=', 'a.account_id').where('pc.project_id', '=', desk.projectId)),
    );
  }
  const query = input.query?.trim().toLowerCase();
  if (query) {
    const like = '%' + query.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
    q = q.where((eb) => eb.or([eb('a.sort_name', 'like', like), eb('a.email_lower', 'like', like)]));
  }
  const start = pageOffset(input.start);
  const limit = Math.max(1, Math.min(MAX_LIMIT, Math.floor(input.limit)));
  const rows = await q.orderBy('a.sort_name').orderBy('a.account_id').offset(start).limit(limit + 1).execute();
  return {
    serviceDesk: desk,
    start,
    limit,
    isLastPage: rows.length <= limit,
    values: rows.slice(0, limit).map((r) => ({
      accountId: r.account_id,
      kind: r.kind,
      siteId: r.site_id,
      email: r.email,
      displayName: r.display_name,
      status: r.status,
    })),
  };
}
