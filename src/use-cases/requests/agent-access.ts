import type { Db } from '../../db/connection.js';
import type { RequestStatus } from '../../db/schema.js';
import { forbidden, notFound, unauthenticated } from '../../domain/errors.js';
import { decideAgentWorkspace, decideWorkProject, type Actor, type Decision, type SiteRef } from '../../domain/policies.js';
import type { UseCaseContext } from '../context.js';

// The agent workspace's door: who the actor is, which project or request of the site they asked for,
// and whether they may work it (policies.decideWorkProject). Shared by the agent use cases.

export interface WorkableProject {
  id: string;
  key: string;
  name: string;
  customerAccess: 'restricted' | 'open';
}

export interface WorkableRequest {
  id: string;
  key: string;
  projectId: string;
  projectKey: string;
  requestTypeId: string;
  status: RequestStatus;
  reporterId: string;
}

function enforce(decision: Decision, what: string): void {
  if (decision === 'forbidden') throw forbidden(`You do not have permission to work on ${what}.`);
  if (decision === 'not_found') throw notFound(`${what[0].toUpperCase()}${what.slice(1)} was not found.`);
}

export function staffActor(ctx: UseCaseContext): Actor {
  if (!ctx.actor) throw unauthenticated();
  return ctx.actor;
}

/** Issue search, saved filters and the filter autocomplete of a site: staff with a role there. */
export function assertAgentWorkspace(ctx: UseCaseContext, site: SiteRef): Actor & { kind: 'staff' } {
  const actor = staffActor(ctx);
  enforce(decideAgentWorkspace(actor, site), 'this site');
  return actor as Actor & { kind: 'staff' };
}

export async function loadWorkableProject(ctx: UseCaseContext, site: SiteRef, projectKey: string, db: Db = ctx.db): Promise<WorkableProject> {
  const actor = assertAgentWorkspace(ctx, site);
  const row = await db
    .selectFrom('projects')
    .select(['id', 'key', 'name', 'customer_access'])
    .where('site_id', '=', site.id)
    .where('key', '=', projectKey.toUpperCase())
    .executeTakeFirst();
  if (!row) throw notFound(`The project '${projectKey}' was not found.`);
  enforce(decideWorkProject(actor, site, String(row.id)), `project ${row.key}`);
  return { id: String(row.id), key: row.key, name: row.name, customerAccess: row.customer_access };
}

/** A request of the site by key (HELP-1), if the actor works its project; `forUpdate` locks the row. */
export async function loadWorkableRequest(
  ctx: UseCaseContext,
  site: SiteRef,
  issueKey: string,
  options: { db?: Db; forUpdate?: boolean } = {},
): Promise<WorkableRequest> {
  const actor = assertAgentWorkspace(ctx, site);
  const db = options.db ?? ctx.db;
  let q = db
    .selectFrom('requests as r')
    .innerJoin('projects as p', 'p.id', 'r.project_id')
    .select(['r.id', 'r.key', 'r.project_id', 'p.key as project_key', 'r.request_type_id', 'r.status', 'r.reporter_id'])
    .where('r.site_id', '=', site.id)
    .where('r.key', '=', issueKey.trim().toUpperCase());
  if (options.forUpdate) q = q.forUpdate('r');
  const row = await q.executeTakeFirst();
  if (!row) throw notFound(`The request '${issueKey}' was not found.`);
  enforce(decideWorkProject(actor, site, String(row.project_id)), `request ${row.key}`);
  return {
    id: String(row.id),
    key: row.key,
    projectId: String(row.project_id),
    projectKey: row.project_key,
    requestTypeId: String(row.request_type_id),
    status: row.status,
    reporterId: row.reporter_id,
  };
}
