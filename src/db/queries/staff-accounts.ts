import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Db } from '../connection.js';
import type { AccountStatus, Database } from '../schema.js';
import { normalizeForSearch, sortNameFor } from '../../domain/search-terms.js';

type Executor = Transaction<Database> | Db;

/** Staff account ids are opaque, numeric-free-looking hex strings like Atlassian's. */
export function newStaffAccountId(): string {
  return randomBytes(12).toString('hex');
}

/**
 * Inserts a staff account (global: no site of its own). Staff have no picker search terms of their
 * own table; roles (org admin, site admin, agent) are rows elsewhere. The one insert of a staff
 * account, shared by the demo data and the test factories.
 */
export async function insertStaff(
  trx: Executor,
  input: { email: string; displayName: string; passwordHash: string | null; accountId?: string; status?: AccountStatus },
): Promise<string> {
  const accountId = input.accountId ?? newStaffAccountId();
  await trx
    .insertInto('accounts')
    .values({
      account_id: accountId,
      kind: 'staff',
      site_id: null,
      email: input.email,
      email_lower: normalizeForSearch(input.email),
      display_name: input.displayName,
      sort_name: sortNameFor(input.displayName),
      password_hash: input.passwordHash,
      ...(input.status ? { status: input.status } : {}),
    })
    .execute();
  return accountId;
}
