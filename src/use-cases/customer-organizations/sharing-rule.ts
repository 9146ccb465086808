import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { fellowMembers } from '../../db/queries/customer-organizations.js';
import { badRequest } from '../../domain/errors.js';
import { sharingLimitedToFellowMembers, type Actor } from '../../domain/policies.js';
import type { CustomerSharing } from '../../domain/requests.js';

/**
 * The project's sharing setting, checked on the server by every write that shares a request with
 * people (raising it with "Share with", adding participants): under 'organizations' a customer may
 * name only fellow members of their customer organizations (400 otherwise, the same words for
 * anyone else, known or not). Staff are not bound by it. Call it after assertPickable, inside the
 * write's transaction.
 */
export async function assertSharingAllows(
  trx: Transaction<Database>,
  actor: Actor,
  project: { customerSharing: CustomerSharing },
  accountIds: readonly string[],
  errorKey: string,
): Promise<void> {
  if (accountIds.length === 0 || !sharingLimitedToFellowMembers(actor, project.customerSharing)) return;
  const fellows = await fellowMembers(trx, actor.accountId, accountIds);
  const outsider = accountIds.find((id) => !fellows.has(id));
  if (outsider !== undefined) {
    const msg = `The user '${outsider.slice(0, 128)}' is not in one of your organizations: requests of this service project are shared within organizations only.`;
    throw badRequest(msg, { [errorKey]: msg });
  }
}
