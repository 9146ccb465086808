import type { Transaction } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { Database } from '../../db/schema.js';
import { lockActingAccount } from '../../db/queries/acting-account.js';
import { findRequest, isSharedWith, type RequestRow } from '../../db/queries/requests.js';
import { unauthenticated } from '../../domain/errors.js';
import { decideViewRequest, type Actor, type SiteRef } from '../../domain/policies.js';
import { enforce } from '../authorize.js';

// The help center's and the REST API's door to one request, shared by the request use cases: the
// request, if the caller may see it (domain/policies/requests.ts), and the check every write makes
// that its actor is still active.

/** The request by key or id, if the actor may see it; otherwise 404 — it does not exist for them. */
export async function loadVisibleRequest(db: Db, actor: Actor, site: SiteRef, keyOrId: string): Promise<RequestRow> {
  const request = await findRequest(db, site.id, keyOrId);
  // a participant, or a member of an organization it is shared with
  const participant = request ? await isSharedWith(db, request.id, actor.accountId) : false;
  enforce(decideViewRequest(actor, site, request, participant), {
    notFound: `Request '${keyOrId.slice(0, 40)}' does not exist or you do not have permission to see it.`,
  });
  return request!;
}

/**
 * Inside a write's transaction: the acting account must still be active (lockActingAccount says
 * why the row is locked). A revoked or deleted actor is signed out: 401.
 */
export async function assertActorStillActive(trx: Transaction<Database>, actor: Actor): Promise<void> {
  if ((await lockActingAccount(trx, actor.accountId)) !== 'active') throw unauthenticated();
}
