import type { Db } from '../../db/connection.js';
import { findProjectByKey } from '../../db/queries/projects.js';
import { findRequestByKey } from '../../db/queries/requests.js';
import { notFound } from '../../domain/errors.js';
import { decideAgentWorkspace, decideWorkProject, type Decision, type SiteRef, type StaffActor } from '../../domain/policies.js';
import { enforce } from '../authorize.js';
import type { ActorContext } from '../context.js';

// The agent workspace's door: which project or request of the site the actor asked for, and whether
// they may work it (domain/policies/projects.ts, decideWorkProject; the site-wide tools:
// domain/policies/filters.ts, decideAgentWorkspace). Shared by the agent use cases.

export interface WorkableProject {
  id: string;
  key: string;
  name: string;
  customerAccess: 'restricted' | 'open';
}

export type WorkableRequest = NonNullable<Awaited<ReturnType<typeof findRequestByKey>>>;

function enforceWork(decision: Decision, what: string): void {
  enforce(decision, {
    forbidden: `You do not have permission to work on ${what}.`,
    notFound: `${what[0].toUpperCase()}${what.slice(1)} was not found.`,
  });
}

/** Issue search, saved filters and the filter autocomplete of a site: staff with a role there. */
export function assertAgentWorkspace(ctx: ActorContext, site: SiteRef): StaffActor {
  const actor = ctx.actor;
  enforceWork(decideAgentWorkspace(actor, site), 'this site');
  // decideAgentWorkspace allows staff only
  if (actor.kind !== 'staff') throw new Error('the agent workspace let a customer in');
  return actor;
}

export async function loadWorkableProject(ctx: ActorContext, site: SiteRef, projectKey: string, db: Db = ctx.db): Promise<WorkableProject> {
  const actor = assertAgentWorkspace(ctx, site);
  const project = await findProjectByKey(db, site.id, projectKey);
  if (!project) throw notFound(`The project '${projectKey}' was not found.`);
  enforceWork(decideWorkProject(actor, site, project.id), `project ${project.key}`);
  return { id: project.id, key: project.key, name: project.name, customerAccess: project.customerAccess };
}

/** A request of the site by key (HELP-1), if the actor works its project; `forUpdate` locks the row. */
export async function loadWorkableRequest(
  ctx: ActorContext,
  site: SiteRef,
  issueKey: string,
  options: { db?: Db; forUpdate?: boolean } = {},
): Promise<WorkableRequest> {
  const actor = assertAgentWorkspace(ctx, site);
  const request = await findRequestByKey(options.db ?? ctx.db, site.id, issueKey, { forUpdate: options.forUpdate });
  if (!request) throw notFound(`The request '${issueKey}' was not found.`);
  enforceWork(decideWorkProject(actor, site, request.projectId), `request ${request.key}`);
  return request;
}
