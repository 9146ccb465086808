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
 * request on every instance. The same statement records use: a session's idle timeout slides, the
 * account's last activity and a token's last use are written — each at most once a minute
 * (TOUCH_EVERY_SECONDS), by data-modifying WITH clauses that update no row otherwise, so almost every
 * request stays a pure read (no transaction id, no WAL flush).
 */
export async function resolveCaller(db: Db, q: CallerQuery): Promise<Caller> {
  const slug = q.siteSlug !== undefined && isSiteSlug(q.siteSlug) ? q.siteSlug : null;
  const token = q.tokenHash ?? null;
  const staff = token === null ? (q.staffSessionHash ?? null) : null;
  const customer = token === null && slug !== null ? (q.customerSessionHash ?? null) : null;
  if (slug === null && token === null && staff === null && customer === null) return { site: undefined, principal: undefined };
  const idle = Math.max(1, Math.floor(q.idleMinutes));
  const staffRank = q.customerFirst ? 2 : 1;
  const customerRank = q.customerFirst ? 1 : 2;

  // The statement is the body of the function portico_resolve_caller (migration
  // 20261202T0800_caller_function): PL/pgSQL keeps its plan, so it is not planned on every request.
  const { rows } = await sql<CallerRow>`
    SELECT * FROM portico_resolve_caller(${slug}::text, ${token}::text, ${staff}::text, ${customer}::text,
      ${idle}::int, ${staffRank}::int, ${customerRank}::int, ${TOUCH_EVERY_SECONDS}::int)`.execute(db);

  const row = rows[0];
  const site: SiteRow | undefined = row?.site_id
    ? toSiteRow({ id: row.site_id, org_id: row.org_id!, slug: row.slug!, name: row.site_name!, org_name: row.org_name!, user_management: row.user_management! })
    : undefined;
  if (!row?.account_id) return { site, principal: undefined };
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
      roles: row.kind === 'staff' ? staffRoles(row) : null,
    },
  };
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
  // json aggregates, parsed by node-postgres and PGlite alike; null for a customer
  org_admin_of: string[] | null;
  site_admin_of: Array<[string, string]> | null;
  agent_of: Array<[string, string, string]> | null;
}

function staffRoles(row: CallerRow): StaffRoles {
  const orgs = row.org_admin_of ?? [];
  const sites = row.site_admin_of ?? [];
  const projects = row.agent_of ?? [];
  return {
    orgAdminOf: new Set(orgs),
    siteAdminOf: new Set(sites.map(([siteId]) => siteId)),
    agentOfSites: new Set(projects.map(([, siteId]) => siteId)),
    agentOfProjects: new Set(projects.map(([projectId]) => projectId)),
    memberOfOrgs: new Set([...orgs, ...sites.map(([, orgId]) => orgId), ...projects.map(([, , orgId]) => orgId)]),
  };
}
