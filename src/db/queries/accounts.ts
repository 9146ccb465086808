import type { Transaction } from 'kysely';
import type { Db } from '../connection.js';
import type { AccountKind, AccountStatus, Database } from '../schema.js';
import type { AccountRef } from '../../domain/requests.js';

type Executor = Transaction<Database> | Db;


/** A person with their site (null for staff, whose accounts are global). displayName and email are null once deleted. */
export interface AccountView extends AccountRef {
  siteId: string | null;
}

/** The accounts of `ids` by id; ids that cannot be account ids (empty, over 128 characters) are skipped. */
export async function loadAccounts(db: Executor, ids: readonly string[]): Promise<Map<string, AccountView>> {
  const unique = [...new Set(ids)].filter((id) => id.length > 0 && id.length <= 128);
  if (unique.length === 0) return new Map();
  const rows = await db
    .selectFrom('accounts')
    .select(['account_id', 'kind', 'site_id', 'email', 'display_name', 'status'])
    .where('account_id', 'in', unique)
    .execute();
  return new Map(
    rows.map((r) => [r.account_id, { accountId: r.account_id, kind: r.kind, siteId: r.site_id, email: r.email, displayName: r.display_name, status: r.status }]),
  );
}

/** The account of `id`, or — for an id no row has any more — a former user as the display rule shows it. */
export function accountOrFormer(map: Map<string, AccountRef>, id: string): AccountRef {
  return map.get(id) ?? { accountId: id, kind: 'customer', displayName: null, email: null, status: 'deleted' };
}

export type { AccountRef };
