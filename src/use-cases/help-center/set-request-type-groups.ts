import type { ActorContext } from '../context.js';
import type { SiteRef } from '../../domain/policies.js';
import { badRequest } from '../../domain/errors.js';
import { listRequestTypeGroups, listRequestTypes, type RequestTypeGroup } from '../../db/queries/request-types.js';
import { loadManagedServiceDesk } from '../customers/project-customers.js';
import { auditSiteChange } from '../audit.js';

export const MAX_REQUEST_TYPE_GROUPS = 20;
export const GROUP_NAME_MAX = 100;

const bad = (message: string) => badRequest(message, { groups: message });

/**
 * Replaces a project's request-type groups (docs/product.md#request-type-groups): the tabs of its
 * portal page, in the order given, each with its request types in the order given. Its agents and
 * the site's admins (403 for the project's customers, 404 for anyone else). Names are 1–100
 * characters and unique in the project, case aside; every id must be a request type of this desk,
 * at most once per group; at most 20 groups; an empty list removes them all. A bad list is a 400
 * that changes nothing. One audit event (`project.request_type_groups.changed`) with the names
 * before and after.
 */
export async function setRequestTypeGroups(
  ctx: ActorContext,
  input: { site: SiteRef; serviceDeskId: string; groups: Array<{ name: string; requestTypeIds: string[] }> },
): Promise<RequestTypeGroup[]> {
  if (input.groups.length > MAX_REQUEST_TYPE_GROUPS) throw bad(`A project can have at most ${MAX_REQUEST_TYPE_GROUPS} groups of request types.`);
  const names = new Set<string>();
  const groups = input.groups.map((g, i) => {
    const name = g.name.trim();
    if (name === '' || name.length > GROUP_NAME_MAX) throw bad(`Group ${i + 1} needs a name of 1 to ${GROUP_NAME_MAX} characters.`);
    if (names.has(name.toLowerCase())) throw bad(`There are two groups named '${name}'.`);
    names.add(name.toLowerCase());
    const ids = g.requestTypeIds.map((id) => id.trim());
    if (new Set(ids).size !== ids.length) throw bad(`'${name}' lists a request type twice.`);
    return { name, requestTypeIds: ids };
  });
  return ctx.db.transaction().execute(async (trx) => {
    const desk = await loadManagedServiceDesk(trx, ctx.actor, input.site, input.serviceDeskId, 'Only agents of this service project and admins can change its request types.');
    const known = new Set((await listRequestTypes(trx, desk.projectId)).map((t) => t.id));
    for (const g of groups) {
      const unknown = g.requestTypeIds.find((id) => !known.has(id));
      if (unknown !== undefined) throw bad(`'${g.name}' lists '${unknown.slice(0, 40)}', which is not a request type of ${desk.projectKey}.`);
    }
    // the project row is the lock: two changes of its groups at once are one after the other
    await trx.selectFrom('projects').select('id').where('id', '=', desk.projectId).forUpdate().execute();
    const before = await listRequestTypeGroups(trx, desk.projectId);
    await trx.deleteFrom('request_type_groups').where('project_id', '=', desk.projectId).execute();
    for (const [position, g] of groups.entries()) {
      const row = await trx.insertInto('request_type_groups').values({ site_id: input.site.id, project_id: desk.projectId, name: g.name, position }).returning('id').executeTakeFirstOrThrow();
      if (g.requestTypeIds.length > 0) {
        await trx
          .insertInto('request_type_group_members')
          .values(g.requestTypeIds.map((id, i) => ({ site_id: input.site.id, group_id: row.id, request_type_id: id, position: i })))
          .execute();
      }
    }
    await auditSiteChange(trx, ctx, input.site, 'project.request_type_groups.changed', {
      projectId: desk.projectId,
      projectKey: desk.projectKey,
      from: before.map((g) => g.name),
      to: groups.map((g) => g.name),
    });
    return listRequestTypeGroups(trx, desk.projectId);
  });
}
