import type { Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { Db } from '../connection.js';
import { badRequest } from '../../domain/errors.js';

type Executor = Transaction<Database> | Db;

/**
 * PRODUCT.md §2.2: a NEW picker value (reporter, participant, user-picker field) must be an active
 * account the field may hold — a customer of the site, or (for 'anyone' fields) staff. A revoked,
 * deleted or unknown accountId is refused with 400 naming the field. Values already stored are not
 * checked again: callers pass only the ids being added.
 */
export async function assertPickable(
  trx: Executor,
  input: { siteId: string; accountIds: string[]; fieldName: string; errorKey: string; allowStaff: boolean },
): Promise<void> {
  const ids = [...new Set(input.accountIds)];
  if (ids.length === 0) return;
  if (ids.some((id) => typeof id !== 'string' || id.length === 0 || id.length > 128)) {
    throw badRequest(`'${input.fieldName}' has an invalid account id.`, { [input.errorKey]: `'${input.fieldName}' has an invalid account id.` });
  }
  const rows = await trx
    .selectFrom('accounts')
    .select(['account_id', 'kind', 'site_id', 'status', 'display_name'])
    .where('account_id', 'in', ids)
    .execute();
  const byId = new Map(rows.map((r) => [r.account_id, r]));
  for (const id of ids) {
    const a = byId.get(id);
    const belongs = a && (a.kind === 'customer' ? a.site_id === input.siteId : input.allowStaff);
    if (!a || !belongs) {
      const msg = `The user '${id}' does not exist or cannot be selected for '${input.fieldName}'.`;
      throw badRequest(msg, { [input.errorKey]: msg });
    }
    if (a.status !== 'active') {
      const msg = `'${input.fieldName}': ${a.status === 'deleted' ? 'this user' : a.display_name} is deactivated and cannot be selected.`;
      throw badRequest(msg, { [input.errorKey]: msg });
    }
  }
}
