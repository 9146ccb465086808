import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { idsInSharingCircle } from '../../db/queries/sharing-circle.js';
import { badRequest } from '../../domain/errors.js';
import { sharingCirclesFor, type Actor } from '../../domain/policies.js';
import type { CustomerSharing } from '../../domain/requests.js';

const WHY: Record<CustomerSharing, string> = {
  nobody: 'customers of this service project do not share requests',
  request: 'customers of this service project share requests only with people already on them',
  organizations: 'customers of this service project share requests only within their organizations',
  project: 'customers of this service project share requests only with its customers',
};

/**
 * The project's sharing setting, checked on the server by every write by which a customer shares a
 * request with people (raising it with "Share with", adding participants, Cc on a mail): each must
 * be in the customer's sharing circle (docs/product.md#customer-sharing); 400 otherwise, with the same
 * words for anyone else, known or not. Staff are not bound by it. Call it after assertPickable,
 * inside the write's transaction; `requestId` is null while the request is being raised.
 */
export async function assertSharingAllows(
  trx: Transaction<Database>,
  actor: Actor,
  project: { id: string; siteId: string; customerSharing: CustomerSharing },
  requestId: string | null,
  accountIds: readonly string[],
  errorKey: string,
): Promise<void> {
  const outsiders = await outsidersOfSharingCircle(trx, actor, project, requestId, accountIds);
  if (outsiders.length > 0) {
    const msg = `You can't share this request with '${outsiders[0]!.slice(0, 128)}': ${WHY[project.customerSharing]}.`;
    throw badRequest(msg, { [errorKey]: msg });
  }
}

/** Which of `accountIds` the actor may not share a request of the project with (none for staff). */
export async function outsidersOfSharingCircle(
  trx: Transaction<Database>,
  actor: Actor,
  project: { id: string; siteId: string; customerSharing: CustomerSharing },
  requestId: string | null,
  accountIds: readonly string[],
): Promise<string[]> {
  const circles = sharingCirclesFor(actor, project.customerSharing);
  if (accountIds.length === 0 || circles === null) return [];
  const inside = await idsInSharingCircle(trx, { siteId: project.siteId, customerId: actor.accountId, projectId: project.id, requestId, circles }, accountIds);
  return accountIds.filter((id) => !inside.has(id));
}
