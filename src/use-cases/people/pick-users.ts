import type { ActorContext } from '../context.js';
import { decideSiteStanding, pickerAudienceFor, sharingLimitedToFellowMembers, type PickerAudience, type SiteRef } from '../../domain/policies.js';
import { badRequest } from '../../domain/errors.js';
import { findCustomFieldByKey } from '../../db/queries/request-types.js';
import { searchFellowMembersForPicker, searchUsersForPicker, type PickerUser } from '../../db/queries/user-picker.js';
import { findProject } from '../../db/queries/projects.js';
import { enforce } from '../authorize.js';

/**
 * The web app's user picker (help-center "Share with" and user-picker fields, agent Reporter,
 * Request participants and custom fields). Whom it offers depends on the field and the caller
 * (domain/policies/people.ts, pickerAudienceFor): Reporter and Request participants may hold anyone
 * of the site, a custom user-picker field what its audience says, no field customers; a customer of
 * the site is offered customers only. Revoked and deleted accounts are never offered (the picker
 * search has no terms for them). In the portal of a project (`projectId`) whose sharing setting is
 * 'organizations', a customer's "Share with" (`fieldKey` participants) offers only the fellow
 * members of their customer organizations (docs/product.md#customer-organizations).
 */
export async function pickUsers(
  ctx: ActorContext,
  input: { site: SiteRef; query: string; fieldKey?: string; limit?: number; excludeAccountIds?: string[]; projectId?: string },
): Promise<PickerUser[]> {
  const actor = ctx.actor;
  enforce(decideSiteStanding(actor, input.site), { notFound: 'Site not found.' });
  const fieldKey = input.fieldKey?.trim() || undefined;
  let fieldAudience: PickerAudience = 'customers';
  if (fieldKey === 'reporter' || fieldKey === 'participants') {
    fieldAudience = 'anyone';
  } else if (fieldKey !== undefined) {
    const field = await findCustomFieldByKey(ctx.db, input.site.id, fieldKey);
    if (!field) throw badRequest(`The field '${fieldKey.slice(0, 64)}' does not exist.`, { fieldKey: `The field '${fieldKey.slice(0, 64)}' does not exist.` });
    fieldAudience = field.audience;
  }
  if (fieldKey === 'participants' && input.projectId !== undefined && actor.kind === 'customer') {
    const project = await findProject(ctx.db, input.site.id, input.projectId);
    if (project && sharingLimitedToFellowMembers(actor, project.customerSharing)) {
      return searchFellowMembersForPicker(ctx.db, { siteId: input.site.id, memberOf: actor.accountId, query: input.query, limit: input.limit, excludeAccountIds: input.excludeAccountIds });
    }
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
