import { sql, type Transaction } from 'kysely';
import type { Database } from '../schema.js';
import { badRequest } from '../../domain/errors.js';
import { isStaffOfSiteOrganization } from './organization-staff.js';

type Trx = Transaction<Database>;

/**
 * Locks every named account (the actor included), in account_id order, in one statement, inside the
 * writing transaction. A revoke locks the customer FOR UPDATE, so the two serialize: either this
 * write commits first (the reference existed before the revoke), or it waits, then reads the account
 * as revoked and refuses it. One ordered statement, because locks taken group by group (reporter,
 * fields, participants) in another order than a bulk revoke takes its own could deadlock.
 *
 * FOR NO KEY UPDATE rather than FOR SHARE, for the reason given in acting-account.ts: share locks
 * do not conflict with each other, so a stream of writes naming a customer could hold her revoke off
 * for ever, and a write that later re-locks its actor FOR NO KEY UPDATE (lockActingAccount)
 * would deadlock with another write of the same actor holding a share lock.
 */
export async function lockNamedPeople(trx: Trx, accountIds: readonly string[]): Promise<void> {
  const ids = [...new Set(accountIds)].filter((id) => typeof id === 'string' && id.length > 0 && id.length <= 128);
  if (ids.length === 0) return;
  await trx.selectFrom('accounts').select('account_id').where('account_id', 'in', ids).orderBy('account_id').forNoKeyUpdate().execute();
}

/**
 * A NEW picker value (reporter, participant, user-picker field, project customer) must be an active
 * account the field may hold: a customer of the site, or — for fields that may hold anyone — staff
 * of the site's organization. A revoked or deleted one is refused with 400 naming the field; an
 * unknown id, another site's customer and another organization's staff all get the same
 * "does not exist" answer, so that none of them can be told apart. Values already stored are not
 * checked again: callers pass only the ids being added. The accounts are read under the lock
 * lockNamedPeople takes, so a revoke that commits while this write is under way cannot be missed.
 */
export async function assertPickable(
  trx: Trx,
  input: { siteId: string; accountIds: string[]; fieldName: string; errorKey: string; allowStaff: boolean },
): Promise<void> {
  const ids = [...new Set(input.accountIds)];
  if (ids.length === 0) return;
  if (ids.some((id) => typeof id !== 'string' || id.length === 0 || id.length > 128)) {
    throw badRequest(`'${input.fieldName}' has an invalid account id.`, { [input.errorKey]: `'${input.fieldName}' has an invalid account id.` });
  }
  const rows = await trx
    .selectFrom('accounts as a')
    .select((eb) => [
      'a.account_id',
      'a.kind',
      'a.site_id',
      'a.status',
      'a.display_name',
      eb
        .case()
        .when('a.kind', '=', 'customer')
        .then(eb('a.site_id', '=', input.siteId))
        .else(input.allowStaff ? isStaffOfSiteOrganization(eb.ref('a.account_id'), input.siteId) : sql<boolean>`false`)
        .end()
        .as('of_site'),
    ])
    .where('a.account_id', 'in', ids)
    .orderBy('a.account_id')
    .forNoKeyUpdate()
    .execute();
  const byId = new Map(rows.map((r) => [r.account_id, r]));
  for (const id of ids) {
    const a = byId.get(id);
    if (!a || a.of_site !== true) {
      const msg = `The user '${id}' does not exist or cannot be selected for '${input.fieldName}'.`;
      throw badRequest(msg, { [input.errorKey]: msg });
    }
    if (a.status !== 'active') {
      const msg = `'${input.fieldName}': ${a.status === 'deleted' ? 'this user' : a.display_name} is deactivated and cannot be selected.`;
      throw badRequest(msg, { [input.errorKey]: msg });
    }
  }
}
