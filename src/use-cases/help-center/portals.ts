import type { Transaction } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { CustomerAccess, CustomerSharing, Database } from '../../db/schema.js';
import { findProject, findProjectByKey, isBigintId, isProjectCustomer, listSiteProjects, type ProjectRow } from '../../db/queries/projects.js';
import { decidePortal, mayUsePortal, mayVisitPortal, type Actor, type SiteRef } from '../../domain/policies.js';
import { findSignupSettings } from '../../db/queries/signup.js';
import { unauthenticated } from '../../domain/errors.js';
import { enforce } from '../authorize.js';

// The portals (projects) a caller may use, shared by the help center, the REST service desks and
// the knowledge base: facts from db/queries/projects.ts, the rule from domain/policies/projects.ts.
// A service desk is a service project seen through the REST API. Portico has one service desk per
// project and uses the project id as the service desk id (and as the portal id), so a path's
// {serviceDeskId} may be that id or the project key.

type Executor = Transaction<Database> | Db;

export interface ServiceDesk {
  id: string;
  projectId: string;
  projectKey: string;
  projectName: string;
  portalName: string;
  portalDescription: string;
  customerAccess: CustomerAccess;
  customerSharing: CustomerSharing;
}

export function toServiceDesk(p: ProjectRow): ServiceDesk {
  return {
    id: p.id,
    projectId: p.id,
    projectKey: p.key,
    projectName: p.name,
    portalName: p.portalName,
    portalDescription: p.portalDescription,
    customerAccess: p.customerAccess,
    customerSharing: p.customerSharing,
  };
}

/** Whether the actor may use the portal of `project` (loads whether they are one of its customers). */
export async function mayUseProjectPortal(db: Executor, actor: Actor, site: SiteRef, project: ProjectRow | undefined): Promise<boolean> {
  if (!project) return false;
  return decidePortal(actor, site, project, await isProjectCustomer(db, project.id, actor.accountId)) === 'allow';
}

/** The portal of `projectId` if the actor may use it; otherwise 404 with `notFoundMessage`. */
export async function loadUsablePortal(db: Executor, actor: Actor, site: SiteRef, projectId: string, notFoundMessage = 'Portal not found.'): Promise<ProjectRow> {
  const project = await findProject(db, site.id, projectId);
  const customer = project ? await isProjectCustomer(db, project.id, actor.accountId) : false;
  enforce(decidePortal(actor, site, project, customer), { notFound: notFoundMessage });
  return project!;
}

/** The portals an actor may use on a site, by portal name. */
export async function listUsablePortals(db: Executor, actor: Actor, site: SiteRef): Promise<ProjectRow[]> {
  const projects = await listSiteProjects(db, site.id, actor.accountId);
  return projects.filter((p) => mayUsePortal(actor, site, p, p.isProjectCustomer)).map(({ isProjectCustomer: _, ...p }) => p);
}

/**
 * The service desk `idOrKey` names (service desk id, project id or project key), if the actor may
 * use or work it; otherwise 404, also across sites.
 */
export async function resolveServiceDesk(db: Executor, actor: Actor, site: SiteRef, idOrKey: string): Promise<ServiceDesk> {
  const text = idOrKey.trim();
  let project: ProjectRow | undefined;
  if (isBigintId(text)) project = await findProject(db, site.id, text);
  else if (/^[A-Za-z][A-Za-z0-9]{1,9}$/.test(text)) project = await findProjectByKey(db, site.id, text);
  const customer = project ? await isProjectCustomer(db, project.id, actor.accountId) : false;
  enforce(decidePortal(actor, site, project, customer), {
    notFound: `The service desk '${text.slice(0, 40)}' does not exist or you do not have permission to see it.`,
  });
  return toServiceDesk(project!);
}

export const VISITOR_LOGIN_MESSAGE = 'Log in to use this help center.';

/**
 * The portals a visitor who is not logged in may browse (domain/policies/projects.ts,
 * mayVisitPortal): the open ones, when the site's help center needs no login; otherwise 401, as
 * before the setting existed.
 */
export async function listVisitorPortals(db: Executor, site: SiteRef): Promise<ProjectRow[]> {
  const settings = await findSignupSettings(db, site.id);
  if (!settings || settings.loginRequired) throw unauthenticated(VISITOR_LOGIN_MESSAGE);
  const projects = await listSiteProjects(db, site.id, '');
  const visitorSite = { ...site, loginRequired: settings.loginRequired };
  return projects.filter((p) => mayVisitPortal(visitorSite, p)).map(({ isProjectCustomer: _, ...p }) => p);
}

/**
 * The portal of `projectId` if a visitor may browse it. Any other — restricted, of another site, no
 * such id — answers 401 like a help center that needs login: a customer who logs in may see it,
 * and a visitor learns nothing about which exist.
 */
export async function loadVisitorPortal(db: Executor, site: SiteRef, projectId: string): Promise<ProjectRow> {
  const settings = await findSignupSettings(db, site.id);
  if (!settings || settings.loginRequired) throw unauthenticated(VISITOR_LOGIN_MESSAGE);
  const project = await findProject(db, site.id, projectId);
  if (!project || !mayVisitPortal({ ...site, loginRequired: settings.loginRequired }, project)) throw unauthenticated(VISITOR_LOGIN_MESSAGE);
  return project;
}
