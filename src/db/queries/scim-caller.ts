import type { Db } from '../connection.js';
import { toSiteRow, type SiteRow } from './sites.js';

// The caller of the SCIM server (http/plugins/auth.ts): a live SCIM token of the URL's site.

export interface ScimCaller {
  tokenId: string;
  label: string;
  site: SiteRow;
}

/**
 * The live token of this hash on the site of this slug, with the site (a token of another site is
 * no token here); it is marked used at most once a minute, so a busy provisioning run does not write
 * on every call.
 */
export async function resolveScimToken(db: Db, slug: string, tokenHash: string, now: Date): Promise<ScimCaller | undefined> {
  const row = await db
    .selectFrom('scim_tokens as t')
    .innerJoin('sites as s', 's.id', 't.site_id')
    .innerJoin('organizations as o', 'o.id', 's.org_id')
    .select(['t.id as token_id', 't.label', 't.last_used_at', 's.id', 's.org_id', 's.slug', 's.name', 'o.name as org_name', 'o.user_management'])
    .where('t.token_hash', '=', tokenHash)
    .where('t.revoked_at', 'is', null)
    .where('s.slug', '=', slug)
    .executeTakeFirst();
  if (!row) return undefined;
  if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > 60_000) {
    await db.updateTable('scim_tokens').set({ last_used_at: now }).where('id', '=', row.token_id).execute();
  }
  return { tokenId: row.token_id, label: row.label, site: toSiteRow(row) };
}

