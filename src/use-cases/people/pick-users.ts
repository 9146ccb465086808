import type { ActorContext } from '../context.js';
import { decideSiteStanding, pickerAudienceFor, sharingCirclesFor, type PickerAudience, type SiteRef } from '../../domain/policies.js';
import { badRequest } from '../../domain/errors.js';
import { findCustomFieldByKey } from '../../db/queries/request-types.js';
import { searchUsersForPicker, type PickerUser } from '../../db/queries/user-picker.js';
import { searchSharingCircleForPicker } from '../../db/queries/sharing-circle.js';
import { loadUsablePortal } from '../help-center/portals.js';
import { loadVisibleRequest } from '../requests/visible-request.js';
import { enforce } from '../authorize.js';
import { searchProjectAgents } from '../../db/queries/assignment.js';
import { loadQueueDesk } from '../queues/queues.js';
import { clampPickerLimit } from '../../db/queries/user-picker.js';

/**
 * The web app's user picker (help-center "Share with" and user-picker fields, agent Reporter,
 * Request participants and custom fields). Whom it offers depends on the field and the caller
 * (domain/policies/people.ts, pickerAudienceFor): Reporter and Request participants may hold anyone
 * of the site, a custom user-picker field what its audience says, no field customers. Revoked and
 * deleted accounts are never offered (the picker search has no terms for them).
 *
 * A customer never searches the site's customer list: every picker of theirs belongs to a portal
 * (`projectId`, which they must be able to use) and, on a request's page, to a request
 * (`requestKey`, which they must be able to see), and offers only their sharing circle by the
 * project's sharing setting (docs/product.md#customer-sharing). Without a portal it finds nobody.
 */
export async function pickUsers(
  ctx: ActorContext,
  input: { site: SiteRef; query: string; fieldKey?: string; limit?: number; excludeAccountIds?: string[]; projectId?: string; requestKey?: string },
): Promise<PickerUser[]> {
  const actor = ctx.actor;
  enforce(decideSiteStanding(actor, input.site), { notFound: 'Site not found.' });
  const fieldKey = input.fieldKey?.trim() || undefined;
  if (fieldKey === 'assignee') {
    // Assignee (docs/product.md#assignee-and-priority): the ACTIVE agents of the project, offered
    // only to those who work it (a customer gets 403, an agent of another project 404)
    if (input.projectId === undefined) {
      const msg = 'The assignee picker needs the project (projectId).';
      throw badRequest(msg, { projectId: msg });
    }
    const desk = await loadQueueDesk(ctx, input.site, input.projectId);
    return searchProjectAgents(ctx.db, { projectId: desk.projectId, query: input.query, limit: clampPickerLimit(input.limit), excludeAccountIds: input.excludeAccountIds });
  }
  let fieldAudience: PickerAudience = 'customers';
  if (fieldKey === 'reporter' || fieldKey === 'participants') {
    fieldAudience = 'anyone';
  } else if (fieldKey !== undefined) {
    const field = await findCustomFieldByKey(ctx.db, input.site.id, fieldKey);
    if (!field) throw badRequest(`The field '${fieldKey.slice(0, 64)}' does not exist.`, { fieldKey: `The field '${fieldKey.slice(0, 64)}' does not exist.` });
    fieldAudience = field.audience;
  }
  if (actor.kind === 'customer') {
    if (input.projectId === undefined) return [];
    const project = await loadUsablePortal(ctx.db, actor, input.site, input.projectId);
    const request = input.requestKey ? await loadVisibleRequest(ctx.db, actor, input.site, input.requestKey) : undefined;
    if (request && request.projectId !== project.id) {
      const msg = `Request '${input.requestKey!.slice(0, 40)}' is not a request of this portal.`;
      throw badRequest(msg, { requestKey: msg });
    }
    return searchSharingCircleForPicker(ctx.db, {
      of: { siteId: input.site.id, customerId: actor.accountId, projectId: project.id, requestId: request?.id ?? null, circles: sharingCirclesFor(actor, project.customerSharing)! },
      query: input.query,
      limit: input.limit,
      excludeAccountIds: input.excludeAccountIds,
      // "Share with" is for others; a field such as "Affected user" may name the customer
      includeSelf: fieldKey !== 'participants',
    });
  }
  const { users } = await searchUsersForPicker(ctx.db, {
    siteId: input.site.id,
    query: input.query,
    limit: input.limit,
    audience: pickerAudienceFor(actor, fieldAudience),
    excludeAccountIds: input.excludeAccountIds,
  });
  return users;
}
