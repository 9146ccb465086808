import type { Transaction } from 'kysely';
import type { Db } from '../connection.js';
import type { Database, Priority } from '../schema.js';
import { searchTermsFor } from '../../domain/search-terms.js';
import { queryWords } from './user-picker.js';
import type { AccountRef } from '../../domain/requests.js';

type Executor = Transaction<Database> | Db;

/** A request's assignee (any status: a revoked agent stays shown, "Name (Deactivated)") and priority. */
export async function loadAssignment(db: Executor, requestId: string): Promise<{ assignee: AccountRef | null; priority: Priority }> {
  const row = await db
    .selectFrom('requests as r')
    .leftJoin('accounts as a', 'a.account_id', 'r.assignee_id')
    .select(['r.priority', 'r.assignee_id', 'a.kind', 'a.display_name', 'a.email', 'a.status'])
    .where('r.id', '=', requestId)
    .executeTakeFirstOrThrow();
  const assignee: AccountRef | null =
    row.assignee_id === null
      ? null
      : { accountId: row.assignee_id, kind: row.kind ?? 'staff', displayName: row.display_name, email: row.email, status: row.status ?? 'deleted' };
  return { assignee, priority: row.priority };
}

/** Whether the account is an ACTIVE agent of the project: whom a request of it may be assigned to. */
export async function isActiveProjectAgent(db: Executor, projectId: string, accountId: string): Promise<boolean> {
  const row = await db
    .selectFrom('project_agents as pa')
    .innerJoin('accounts as a', 'a.account_id', 'pa.account_id')
    .select('a.account_id')
    .where('pa.project_id', '=', projectId)
    .where('pa.account_id', '=', accountId)
    .where('a.kind', '=', 'staff')
    .where('a.status', '=', 'active')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The user picker for Assignee: the project's ACTIVE agents whose name or email words start with
 * every query word (the picker's rule, domain/search-terms.ts), by name. A project has few agents,
 * so they are read and matched here rather than through the customers' search terms.
 */
export async function searchProjectAgents(
  db: Executor,
  input: { projectId: string; query: string; limit: number; excludeAccountIds?: string[] },
): Promise<Array<{ accountId: string; displayName: string; email: string; kind: 'staff'; siteId: null; status: 'active' }>> {
  const words = queryWords(input.query);
  if (words.length === 0) return [];
  const rows = await db
    .selectFrom('project_agents as pa')
    .innerJoin('accounts as a', 'a.account_id', 'pa.account_id')
    .select(['a.account_id', 'a.display_name', 'a.email'])
    .where('pa.project_id', '=', input.projectId)
    .where('a.kind', '=', 'staff')
    .where('a.status', '=', 'active')
    .orderBy('a.display_name')
    .orderBy('a.account_id')
    .limit(1000)
    .execute();
  const exclude = new Set(input.excludeAccountIds ?? []);
  return rows
    .filter((r) => !exclude.has(r.account_id))
    .filter((r) => {
      const terms = searchTermsFor(r.display_name ?? '', r.email ?? '');
      return words.every((w) => terms.some((t) => t.startsWith(w)));
    })
    .slice(0, input.limit)
    .map((r) => ({ accountId: r.account_id, displayName: r.display_name ?? '', email: r.email ?? '', kind: 'staff' as const, siteId: null, status: 'active' as const }));
}
