import type { UseCaseContext } from '../context.js';
import { hasStandingOnSite, type SiteRef } from '../../domain/policies.js';
import { badRequest, notFound } from '../../domain/errors.js';
import { findCustomFieldByKey, requireActor } from '../../db/queries/requests.js';
import { searchUsersForPicker, type PickerAudience, type PickerUser } from './search-users-for-picker.js';

/**
 * The web app's user picker. Who may be offered depends on the field and the caller:
 * - a customer of the site (help center) is offered customers of the site only;
 * - staff with standing on the site: Reporter and Request participants may hold anyone of the site
 *   (customers and its staff); a custom user-picker field holds what its audience says;
 *   no field: customers.
 * Revoked and deleted accounts are never offered (searchUsersForPicker has no terms for them).
 */
export async function pickUsers(
  ctx: UseCaseContext,
  input: { site: SiteRef; query: string; fieldKey?: string; limit?: number; excludeAccountIds?: string[] },
): Promise<PickerUser[]> {
  const actor = requireActor(ctx.actor);
  if (!hasStandingOnSite(actor, input.site)) throw notFound('Site not found.');
  const fieldKey = input.fieldKey?.trim() || undefined;
  let audience: PickerAudience = 'customers';
  if (fieldKey === 'reporter' || fieldKey === 'participants') {
    audience = actor.kind === 'staff' ? 'anyone' : 'customers';
  } else if (fieldKey !== undefined) {
    const field = await findCustomFieldByKey(ctx.db, input.site.id, fieldKey);
    if (!field) throw badRequest(`The field '${fieldKey.slice(0, 64)}' does not exist.`, { fieldKey: `The field '${fieldKey.slice(0, 64)}' does not exist.` });
    audience = actor.kind === 'staff' ? field.audience : 'customers';
  }
  const { users } = await searchUsersForPicker(ctx.db, {
    siteId: input.site.id,
    query: input.query,
    limit: input.limit,
    audience,
    excludeAccountIds: input.excludeAccountIds,
  });
  return users;
}
