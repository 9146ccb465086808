import { sql, type Kysely, type Transaction } from 'kysely';
import type { Db } from '../connection.js';
import type { AccountKind, Database } from '../schema.js';
import type { StaffRoles } from '../../domain/policies.js';
import { CALLER_TTL_MS, NOT_A_PRINCIPAL_CHANGE, type CallerCache } from '../caller-cache.js';

export type { CallerCache };
export { principalWriteEpoch } from '../caller-cache.js';

/** A session's idle timeout and a token's last use are written at most this often, so almost every request stays one read. */
export const TOUCH_EVERY_SECONDS = 60;

/** Who is calling: an active account, and the credential it came with. */
export interface SessionPrincipal {
  accountId: string;
  kind: AccountKind;
  /** the customer's site; null for staff */
  siteId: string | null;
  email: string;
  displayName: string;
  csrfToken: string | null;
  via: 'session' | 'token';
  /** a staff account's roles, read in the same statement; null for a customer */
  roles: StaffRoles | null;
}

export interface CallerQuery {
  /** the id of the site of a /s/{site}/… URL, if any: a customer's session counts only on her own site */
  siteId?: string;
  /** the hash of the API token of an Authorization header; when given, sessions are not looked at */
  tokenHash?: string;
  /** the hashes of the staff and the customer session cookies */
  staffSessionHash?: string;
  customerSessionHash?: string;
  /** which session wins when both are valid: the help center's own API prefers the customer */
  customerFirst?: boolean;
  /** a session's idle timeout, slid when its last touch is over a minute old */
  idleMinutes: number;
}

// The roles of a staff account as one JSON array of [kind, id, site, org] rows: one aggregate where
// three cost three sub-plans. Read in the caller's own statement.
const STAFF_ROLES = sql`CASE WHEN a.kind = 'staff' THEN (
      SELECT coalesce(json_agg(json_build_array(r.role, r.id, r.site_id, r.org_id)), '[]'::json) FROM (
        SELECT 'org-admin' AS role, oa.org_id::text AS id, NULL::text AS site_id, oa.org_id::text AS org_id
        FROM org_admins oa WHERE oa.account_id = a.account_id
        UNION ALL
        SELECT 'site-admin', sa.site_id::text, sa.site_id::text, st.org_id::text
        FROM site_admins sa JOIN sites st ON st.id = sa.site_id WHERE sa.account_id = a.account_id
        UNION ALL
        SELECT 'agent', pa.project_id::text, pa.site_id::text, st.org_id::text
        FROM project_agents pa JOIN sites st ON st.id = pa.site_id WHERE pa.account_id = a.account_id
      ) r
    ) END AS roles`;

/** The caller of an API token. */
const byToken = (tokenHash: string) => sql<CallerRow>`
  SELECT 'token' AS via, t.id::text AS credential, NULL::text AS csrf_token,
         a.account_id, a.kind, a.site_id AS account_site_id, a.email, a.display_name,
         (t.last_used_at IS NULL OR t.last_used_at < now() - make_interval(secs => ${TOUCH_EVERY_SECONDS}::int)) AS touch_due,
         NULL::float8 AS ms_left,
         ${STAFF_ROLES}
  FROM api_tokens t JOIN accounts a ON a.account_id = t.account_id
  WHERE t.token_hash = ${tokenHash}::text AND t.revoked_at IS NULL AND a.status = 'active'`;

/** The caller of a staff session or of a customer session of the URL's site, the customer first when asked. */
const bySession = (staff: string | null, customer: string | null, siteId: string | null, customerFirst: boolean) => sql<CallerRow>`
  SELECT 'session' AS via, s.id_hash AS credential, s.csrf_token,
         a.account_id, a.kind, a.site_id AS account_site_id, a.email, a.display_name,
         (s.last_seen_at IS NULL OR s.last_seen_at < now() - make_interval(secs => ${TOUCH_EVERY_SECONDS}::int)) AS touch_due,
         (extract(epoch FROM least(s.idle_expires_at, s.absolute_expires_at) - now()) * 1000)::float8 AS ms_left,
         ${STAFF_ROLES}
  FROM sessions s JOIN accounts a ON a.account_id = s.account_id
  WHERE s.id_hash IN (${staff}::text, ${customer}::text)
    AND a.status = 'active' AND s.idle_expires_at > now() AND s.absolute_expires_at > now()
    AND ((s.id_hash = ${staff}::text AND a.kind = 'staff')
      OR (s.id_hash = ${customer}::text AND a.kind = 'customer' AND a.site_id = ${siteId}::uuid))
  ORDER BY (a.kind = 'customer') <> ${customerFirst}::boolean
  LIMIT 1`;

/**
 * The credentials that count in a query (a token, else a staff session and, on a site, a customer
 * session) and the caller cache's key of them; undefined when none does.
 */
function credentialsOf(q: CallerQuery): { token: string | null; staff: string | null; customer: string | null; key: string } | undefined {
  const token = q.tokenHash ?? null;
  const staff = token === null ? (q.staffSessionHash ?? null) : null;
  const customer = token === null && q.siteId !== undefined ? (q.customerSessionHash ?? null) : null;
  if (token === null && staff === null && customer === null) return undefined;
  const key = token !== null ? `t ${token}` : `s ${staff ?? ''} ${customer ?? ''} ${customer === null ? '' : q.siteId} ${q.customerFirst === true}`;
  return { token, staff, customer, key };
}

/**
 * What resolveCaller would answer without a statement, without waiting for anything: `{ caller }` —
 * no caller when the query carries no credential that counts, else the one the instance's caller
 * cache keeps — or undefined when it would have to read. Lets the auth hook settle in the same turn.
 */
export function callerWithoutRead(q: CallerQuery, cache: CallerCache<SessionPrincipal> | undefined): { caller: SessionPrincipal | undefined } | undefined {
  const credentials = credentialsOf(q);
  if (credentials === undefined) return { caller: undefined };
  const kept = cache?.get(credentials.key);
  return kept ? { caller: kept } : undefined;
}

/**
 * Resolves who is calling — the API token's account, or the staff session's, or the customer
 * session's on the URL's site — with the account's status and a staff account's roles, in ONE
 * statement, so an authenticated request costs one database round trip before its handler
 * (docs/architecture.md, "One round trip per request"). The site itself comes from the instance's
 * site cache (db/queries/site-cache.ts), which holds nothing an access decision rests on.
 *
 * A server keeps what it read in its caller cache (db/caller-cache.ts; docs/architecture.md, "The
 * caller cache"), which is never stale: a revoke, a role change or an ended session is seen by the
 * very next request on every instance either way. A token and a session are two kept statements (docs/architecture.md,
 * "Kept plans"), each planned for what it reads, not one with a branch of NULLs for the other. Use
 * is recorded at most once a minute (TOUCH_EVERY_SECONDS): the read says whether the credential's
 * stored time is over a minute old, and only then a second statement slides the session's idle
 * timeout and writes the account's last activity, or the token's last use. Every other request is
 * one pure read (no transaction id, no WAL flush, no row lock).
 */
export async function resolveCaller(db: Db, q: CallerQuery, cache?: CallerCache<SessionPrincipal>): Promise<SessionPrincipal | undefined> {
  const credentials = credentialsOf(q);
  if (credentials === undefined) return undefined;
  const { token, staff, customer, key } = credentials;
  const customerFirst = q.customerFirst === true;
  // The instance's caller cache (db/caller-cache.ts), when the server has one: never stale, see there.
  const kept = cache?.get(key);
  if (kept) return kept;
  const ticket = cache?.ticket() ?? null;
  const row =
    token !== null
      ? (await byToken(token).execute(db)).rows[0]
      : (await bySession(staff, customer, customer === null ? null : q.siteId!, customerFirst).execute(db)).rows[0];
  if (!row) return undefined;
  if (row.touch_due) await recordUse(db, row, Math.max(1, Math.floor(q.idleMinutes)));
  const principal: SessionPrincipal = {
    accountId: row.account_id,
    kind: row.kind,
    siteId: row.account_site_id,
    email: row.email ?? '',
    displayName: row.display_name ?? '',
    csrfToken: row.csrf_token,
    via: row.via === 'token' ? 'token' : 'session',
    roles: row.kind === 'staff' ? staffRoles(row.roles ?? []) : null,
  };
  if (cache && ticket) cache.put(key, ticket, row.account_id, principal, row.ms_left ?? CALLER_TTL_MS);
  return principal;
}

/**
 * The once-a-minute bookkeeping of a credential's use: a token's last use, or a session's sliding
 * idle timeout and its account's last activity. One statement either way; the conditions repeat
 * the read's, so two instances that both found it due write it twice at most, never wrongly.
 */
async function recordUse(db: Db, row: CallerRow, idleMinutes: number): Promise<void> {
  if (row.via === 'token') {
    await sql`UPDATE api_tokens SET last_used_at = now() WHERE id = ${row.credential}::uuid ${sql.raw(NOT_A_PRINCIPAL_CHANGE)}`.execute(db);
    return;
  }
  await sql`
    WITH slid AS (
      UPDATE sessions SET last_seen_at = now(), idle_expires_at = now() + make_interval(mins => ${idleMinutes}::int)
      WHERE id_hash = ${row.credential}::text AND idle_expires_at > now()
      RETURNING account_id
    )
    UPDATE accounts SET last_active_at = now() WHERE account_id = (SELECT account_id FROM slid) ${sql.raw(NOT_A_PRINCIPAL_CHANGE)}`.execute(db);
}

interface CallerRow {
  via: 'token' | 'session';
  credential: string;
  csrf_token: string | null;
  account_id: string;
  kind: AccountKind;
  account_site_id: string | null;
  email: string | null;
  display_name: string | null;
  touch_due: boolean;
  /** a session's milliseconds left before it expires (idle or absolute); null for a token */
  ms_left: number | null;
  /** a staff account's roles as [role, id, site id, org id] rows (JSON, parsed by node-postgres and PGlite alike); null for a customer */
  roles: Array<[RoleKind, string, string | null, string]> | null;
}

type RoleKind = 'org-admin' | 'site-admin' | 'agent';

function staffRoles(rows: Array<[RoleKind, string, string | null, string]>): StaffRoles {
  const orgAdminOf = new Set<string>();
  const siteAdminOf = new Set<string>();
  const agentOfSites = new Set<string>();
  const agentOfProjects = new Set<string>();
  const memberOfOrgs = new Set<string>();
  for (const [role, id, siteId, orgId] of rows) {
    memberOfOrgs.add(orgId);
    if (role === 'org-admin') orgAdminOf.add(id);
    else if (role === 'site-admin') siteAdminOf.add(id);
    else {
      agentOfProjects.add(id);
      agentOfSites.add(siteId!);
    }
  }
  return { orgAdminOf, siteAdminOf, agentOfSites, agentOfProjects, memberOfOrgs };
}

/**
 * The active staff account with this email (lower case), with its roles as the caller statement
 * reads them: who a mail to a project's mailbox comes from when it is not a customer of the site
 * (use-cases/inbound-mail/receive-mail.ts). Null when there is none.
 */
export async function findActiveStaffByEmail(db: Kysely<Database> | Transaction<Database>, emailLower: string): Promise<{ accountId: string; roles: StaffRoles } | null> {
  const { rows } = await sql<{ account_id: string; roles: Array<[RoleKind, string, string | null, string]> | null }>`
    SELECT a.account_id, ${STAFF_ROLES}
    FROM accounts a
    WHERE a.kind = 'staff' AND a.email_lower = ${emailLower}::text AND a.status = 'active'`.execute(db);
  const row = rows[0];
  return row ? { accountId: row.account_id, roles: staffRoles(row.roles ?? []) } : null;
}
