import { sql } from 'kysely';
import type { Db } from '../connection.js';
import type { AccountKind, UserManagement } from '../schema.js';
import type { StaffRoles } from '../../domain/policies.js';
import { isSiteSlug, toSiteRow, type SiteRow } from './sites.js';

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
  /** a staff account's roles, read in the same statement (never cached); null for a customer */
  roles: StaffRoles | null;
}

export interface CallerQuery {
  /** the site of a /s/{site}/… URL, if any */
  siteSlug?: string;
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

export interface Caller {
  site: SiteRow | undefined;
  /** the caller, with staff roles; undefined when no credential is valid */
  principal: SessionPrincipal | undefined;
}

/**
 * Resolves everything the rules need to know about a request before its handler runs — the site of
 * the URL, the caller (API token, or staff session, or the site's customer session), the account's
 * status and a staff account's roles — in ONE statement, so an authenticated request costs one
 * database round trip (docs/architecture.md, "One round trip per request").
 *
 * Nothing here is cached: a revoke, a role change or an ended session is seen by the very next
 * request on every instance. Use is recorded at most once a minute (TOUCH_EVERY_SECONDS): the read
 * says whether the credential's stored time is over a minute old, and only then a second statement
 * slides the session's idle timeout and writes the account's last activity, or the token's last use.
 * Every other request is one pure read (no transaction id, no WAL flush, no row lock).
 */
export async function resolveCaller(db: Db, q: CallerQuery): Promise<Caller> {
  const slug = q.siteSlug !== undefined && isSiteSlug(q.siteSlug) ? q.siteSlug : null;
  const token = q.tokenHash ?? null;
  const staff = token === null ? (q.staffSessionHash ?? null) : null;
  const customer = token === null && slug !== null ? (q.customerSessionHash ?? null) : null;
  if (slug === null && token === null && staff === null && customer === null) return { site: undefined, principal: undefined };
  const staffRank = q.customerFirst ? 2 : 1;
  const customerRank = q.customerFirst ? 1 : 2;

  // A kept statement (docs/architecture.md, "Kept plans"): planned once per connection, then only
  // bound and executed. A staff account's roles come as one JSON array of [kind, id, site, org]
  // rows, one aggregate where three cost three sub-plans.
  const { rows } = await sql<CallerRow>`
    WITH site AS (
      SELECT s.id, s.org_id, s.slug, s.name, o.name AS org_name, o.user_management
      FROM sites s JOIN organizations o ON o.id = s.org_id
      WHERE s.slug = ${slug}::text
    ),
    candidates AS (
      SELECT 'token' AS via, 0 AS rank, t.id::text AS credential, NULL::text AS csrf_token, t.last_used_at AS last_seen,
             a.account_id, a.kind, a.site_id AS account_site_id, a.email, a.display_name
      FROM api_tokens t JOIN accounts a ON a.account_id = t.account_id
      WHERE t.token_hash = ${token}::text AND t.revoked_at IS NULL AND a.status = 'active'
      UNION ALL
      SELECT 'session', CASE WHEN a.kind = 'staff' THEN ${staffRank}::int ELSE ${customerRank}::int END, s.id_hash, s.csrf_token, s.last_seen_at,
             a.account_id, a.kind, a.site_id, a.email, a.display_name
      FROM sessions s JOIN accounts a ON a.account_id = s.account_id
      WHERE s.id_hash IN (${staff}::text, ${customer}::text)
        AND a.status = 'active' AND s.idle_expires_at > now() AND s.absolute_expires_at > now()
        AND ((s.id_hash = ${staff}::text AND a.kind = 'staff')
          OR (s.id_hash = ${customer}::text AND a.kind = 'customer' AND a.site_id = (SELECT id FROM site)))
    ),
    chosen AS (SELECT * FROM candidates ORDER BY rank LIMIT 1)
    SELECT site.id AS site_id, site.org_id, site.slug, site.name AS site_name, site.org_name, site.user_management,
           chosen.via, chosen.credential, chosen.csrf_token, chosen.account_id, chosen.kind, chosen.account_site_id,
           chosen.email, chosen.display_name,
           (chosen.last_seen IS NULL OR chosen.last_seen < now() - make_interval(secs => ${TOUCH_EVERY_SECONDS}::int)) AS touch_due,
           CASE WHEN chosen.kind = 'staff' THEN (
             SELECT coalesce(json_agg(json_build_array(r.role, r.id, r.site_id, r.org_id)), '[]'::json) FROM (
               SELECT 'org-admin' AS role, oa.org_id::text AS id, NULL::text AS site_id, oa.org_id::text AS org_id
               FROM org_admins oa WHERE oa.account_id = chosen.account_id
               UNION ALL
               SELECT 'site-admin', sa.site_id::text, sa.site_id::text, st.org_id::text
               FROM site_admins sa JOIN sites st ON st.id = sa.site_id WHERE sa.account_id = chosen.account_id
               UNION ALL
               SELECT 'agent', pa.project_id::text, pa.site_id::text, st.org_id::text
               FROM project_agents pa JOIN sites st ON st.id = pa.site_id WHERE pa.account_id = chosen.account_id
             ) r
           ) END AS roles
    FROM (SELECT 1) AS one LEFT JOIN site ON true LEFT JOIN chosen ON true`.execute(db);

  const row = rows[0];
  const site: SiteRow | undefined = row?.site_id
    ? toSiteRow({ id: row.site_id, org_id: row.org_id!, slug: row.slug!, name: row.site_name!, org_name: row.org_name!, user_management: row.user_management! })
    : undefined;
  if (!row?.account_id) return { site, principal: undefined };
  if (row.touch_due) await recordUse(db, row, Math.max(1, Math.floor(q.idleMinutes)));
  return {
    site,
    principal: {
      accountId: row.account_id,
      kind: row.kind!,
      siteId: row.account_site_id,
      email: row.email ?? '',
      displayName: row.display_name ?? '',
      csrfToken: row.csrf_token,
      via: row.via === 'token' ? 'token' : 'session',
      roles: row.kind === 'staff' ? staffRoles(row.roles ?? []) : null,
    },
  };
}

/**
 * The once-a-minute bookkeeping of a credential's use: a token's last use, or a session's sliding
 * idle timeout and its account's last activity. One statement either way; the conditions repeat
 * the read's, so two instances that both found it due write it twice at most, never wrongly.
 */
async function recordUse(db: Db, row: CallerRow, idleMinutes: number): Promise<void> {
  if (row.via === 'token') {
    await sql`UPDATE api_tokens SET last_used_at = now() WHERE id = ${row.credential}::uuid`.execute(db);
    return;
  }
  await sql`
    WITH slid AS (
      UPDATE sessions SET last_seen_at = now(), idle_expires_at = now() + make_interval(mins => ${idleMinutes}::int)
      WHERE id_hash = ${row.credential}::text AND idle_expires_at > now()
      RETURNING account_id
    )
    UPDATE accounts SET last_active_at = now() WHERE account_id = (SELECT account_id FROM slid)`.execute(db);
}

interface CallerRow {
  site_id: string | null;
  org_id: string | null;
  slug: string | null;
  site_name: string | null;
  org_name: string | null;
  user_management: UserManagement | null;
  via: 'token' | 'session' | null;
  credential: string | null;
  csrf_token: string | null;
  account_id: string | null;
  kind: AccountKind | null;
  account_site_id: string | null;
  email: string | null;
  display_name: string | null;
  touch_due: boolean | null;
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
