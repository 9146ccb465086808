import { sql, type Kysely, type Transaction } from 'kysely';
import type { AccountStatus, Database } from '../schema.js';
import { OPEN_STATUSES } from '../../domain/request-workflow.js';
import type { AccessFootprint } from '../../domain/access-footprint.js';

/**
 * What revoking each of these customers of the site would touch (docs/product.md#footprint): open
 * requests they reported, requests they take part in, user-picker values naming them, live
 * sessions, and when they were last active. One statement; each count walks one index on the
 * account (requests_reporter_idx, request_participants_account_idx,
 * request_user_values_any_account_idx, sessions_account_idx), so a customer with 100,000
 * references costs their index entries, not a scan (bench/footprint.ts). A customer's references
 * are all on her own site (tenant isolation), so the participant and picker counts need no site
 * condition and are answered from the index alone. Customers of another site and unknown ids are
 * left out; each customer comes with her status, for the caller's policy (a deleted one is no target).
 */
export async function accessFootprints(
  db: Kysely<Database> | Transaction<Database>,
  siteId: string,
  accountIds: string[],
): Promise<Map<string, { status: AccountStatus; footprint: AccessFootprint }>> {
  if (accountIds.length === 0) return new Map();
  const { rows } = await sql<{
    account_id: string;
    status: AccountStatus;
    open_reported: string;
    participating: string;
    picker_refs: string;
    live_sessions: string;
    last_active_at: Date | null;
    access_until: Date | null;
  }>`
    SELECT a.account_id, a.status, a.last_active_at, a.access_until,
      (SELECT count(*) FROM requests r
        WHERE r.reporter_id = a.account_id AND r.site_id = ${siteId}::uuid AND r.status = ANY(${[...OPEN_STATUSES]}::text[])) AS open_reported,
      (SELECT count(*) FROM request_participants p WHERE p.account_id = a.account_id) AS participating,
      (SELECT count(*) FROM request_user_values v WHERE v.account_id = a.account_id) AS picker_refs,
      (SELECT count(*) FROM sessions s
        WHERE s.account_id = a.account_id AND s.idle_expires_at > now() AND s.absolute_expires_at > now()) AS live_sessions
    FROM accounts a
    WHERE a.account_id = ANY(${accountIds}::text[]) AND a.site_id = ${siteId}::uuid AND a.kind = 'customer'`.execute(db);
  return new Map(
    rows.map((r) => [
      r.account_id,
      {
        status: r.status,
        footprint: {
          openRequestsReported: Number(r.open_reported),
          requestsParticipating: Number(r.participating),
          pickerFieldReferences: Number(r.picker_refs),
          liveSessions: Number(r.live_sessions),
          lastActiveAt: r.last_active_at,
          accessUntil: r.access_until ? new Date(r.access_until) : null,
        },
      },
    ]),
  );
}
