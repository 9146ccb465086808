import type { Db } from '../../db/connection.js';
import type { CustomerAccess } from '../../db/schema.js';
import { notFound, unauthenticated } from '../../domain/errors.js';
import type { Actor, SiteRef } from '../../domain/policies.js';
import { findProject, isBigintId, listUsablePortals, mayUsePortal, type ProjectRow } from '../../db/queries/requests.js';
import type { UseCaseContext } from '../context.js';

// A service desk is a service project seen through the REST API. Portico has one service desk per
// project and uses the project id as the service desk id (and as the portal id), so a path's
// {serviceDeskId} may be that id or the project key. Who may see one is the portal rule of
// db/queries/requests.ts: customers the portals they may use, agents their projects, admins all.

export interface ServiceDesk {
  id: string;
  projectId: string;
  projectKey: string;
  projectName: string;
  portalName: string;
  portalDescription: string;
  customerAccess: CustomerAccess;
}

export interface ServiceDeskSite extends SiteRef {
  slug: string;
}

export function requireActor(ctx: UseCaseContext): Actor {
  if (!ctx.actor) throw unauthenticated();
  return ctx.actor;
}

function toServiceDesk(p: ProjectRow): ServiceDesk {
  return {
    id: p.id,
    projectId: p.id,
    projectKey: p.key,
    projectName: p.name,
    portalName: p.portalName,
    portalDescription: p.portalDescription,
    customerAccess: p.customerAccess,
  };
}

/**
 * The service desk `idOrKey` names (service desk id, project id or project key), if the actor may
 * use or work it (the one portal rule of db/queries/requests.ts); otherwise 404, also across sites.
 */
export async function resolveServiceDesk(db: Db, actor: Actor, site: SiteRef, idOrKey: string): Promise<ServiceDesk> {
  const text = idOrKey.trim();
  let project: ProjectRow | undefined;
  if (isBigintId(text)) project = await findProject(db, site.id, text);
  else if (/^[A-Za-z][A-Za-z0-9]{1,9}$/.test(text)) {
    const row = await db.selectFrom('projects').select('id').where('site_id', '=', site.id).where('key', '=', text.toUpperCase()).executeTakeFirst();
    project = row && (await findProject(db, site.id, String(row.id)));
  }
  if (!project || !(await mayUsePortal(db, actor, site, project))) {
    throw notFound(`The service desk '${text.slice(0, 40)}' does not exist or you do not have permission to see it.`);
  }
  return toServiceDesk(project);
}

export interface ServiceDeskPage {
  start: number;
  limit: number;
  isLastPage: boolean;
  values: ServiceDesk[];
}

/** One page of the service desks the actor may see, by project key (a site has a handful of projects). */
export async function listVisibleServiceDesks(db: Db, actor: Actor, site: SiteRef, start: number, limit: number): Promise<ServiceDeskPage> {
  const all = (await listUsablePortals(db, actor, site)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { start, limit, isLastPage: start + limit >= all.length, values: all.slice(start, start + limit).map(toServiceDesk) };
}

/** GET /servicedesk/{id}: one service desk the actor may see (404 otherwise, also across sites). */
export async function getServiceDesk(ctx: UseCaseContext, input: { site: SiteRef; serviceDeskId: string }): Promise<ServiceDesk> {
  return resolveServiceDesk(ctx.db, requireActor(ctx), input.site, input.serviceDeskId);
}
