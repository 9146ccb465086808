import type { ActorContext } from '../context.js';
import { decideShareWithOrganization, type SiteRef } from '../../domain/policies.js';
import { badRequest } from '../../domain/errors.js';
import { findCustomerOrganization, isOrganizationMember, listOrganizationMemberIds, listRequestOrganizations, type CustomerOrganization } from '../../db/queries/customer-organizations.js';
import { notifyRequestPeople } from '../notifications/notify.js';
import { touchRequest } from '../../db/queries/requests.js';
import { enforce } from '../authorize.js';
import { assertActorStillActive, loadVisibleRequest } from '../requests/visible-request.js';
import { auditOrganization, organizationIdOf } from './organizations.js';

/**
 * Shares a request with one of its reporter's customer organizations, or ends the share
 * (docs/product.md#customer-organizations): its members then read and comment on it as
 * participants do, and find it under "Shared with me". The reporter and those who work the project
 * may; the organization must be one the reporter is a member of (400 otherwise; an id of another
 * site reads as one nobody has). Sharing twice, or ending a share that does not exist, changes
 * nothing. A new share mails the organization's members (but the reporter) that the request is shared
 * with them. Returns the organizations the request is shared with afterwards.
 */
export async function shareRequestWithOrganization(
  ctx: ActorContext,
  input: { site: SiteRef; requestKeyOrId: string; organizationId: unknown; share: boolean },
): Promise<CustomerOrganization[]> {
  const organizationId = organizationIdOf(input.organizationId);
  const request = await loadVisibleRequest(ctx.db, ctx.actor, input.site, input.requestKeyOrId);
  enforce(decideShareWithOrganization(ctx.actor, input.site, request), { forbidden: 'Only the reporter and agents of this service project can share the request with an organization.' });
  await ctx.db.transaction().execute(async (trx) => {
    await assertActorStillActive(trx, ctx.actor);
    const org = await findCustomerOrganization(trx, input.site.id, organizationId, { lock: true });
    const notReporters = () => {
      const msg = `The organization '${organizationId}' does not exist or the reporter is not one of its members.`;
      return badRequest(msg, { organizationId: msg });
    };
    if (!org) throw notReporters();
    if (input.share) {
      if (!(await isOrganizationMember(trx, org.id, request.reporterId))) throw notReporters();
      const row = await trx
        .insertInto('request_organizations')
        .values({ site_id: input.site.id, request_id: request.id, organization_id: org.id })
        .onConflict((oc) => oc.columns(['request_id', 'organization_id']).doNothing())
        .returning('organization_id')
        .executeTakeFirst();
      if (row) {
        await touchRequest(trx, request.id);
        await auditOrganization(trx, ctx, input.site, 'request.organization.shared', org, { details: { requestKey: request.key } });
        // Its members are told it is shared with them, as a participant added is; the reporter knows
        // (docs/product.md#notifications). Revoked members and those who stopped its mail are left out.
        const members = (await listOrganizationMemberIds(trx, org.id)).filter((id) => id !== request.reporterId);
        if (members.length) await notifyRequestPeople(trx, ctx, { siteId: input.site.id, requestId: request.id, event: 'shared', recipients: members });
      }
    } else {
      const row = await trx
        .deleteFrom('request_organizations')
        .where('request_id', '=', request.id)
        .where('organization_id', '=', org.id)
        .returning('organization_id')
        .executeTakeFirst();
      if (row) {
        await touchRequest(trx, request.id);
        await auditOrganization(trx, ctx, input.site, 'request.organization.unshared', org, { details: { requestKey: request.key } });
      }
    }
  });
  return listRequestOrganizations(ctx.db, request.id);
}
