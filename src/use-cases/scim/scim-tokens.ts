import { randomUUID } from 'node:crypto';
import type { ActorContext, AnonymousContext } from '../context.js';
import { auditSiteChange, auditSiteChangeBy } from '../audit.js';
import { checkTokenLabel } from '../tokens/api-tokens.js';
import { enforce } from '../authorize.js';
import { AppError, badRequest, notFound } from '../../domain/errors.js';
import { decideSiteSettings, mayDeleteCustomers } from '../../domain/policies.js';
import { hashSecret, newSecret } from '../../domain/secrets.js';
import { findSiteBySlug, type SiteRow } from '../../db/queries/sites.js';
import { countLiveScimTokens, insertScimToken, listScimTokens, revokeScimTokenRow, setSiteScimOnDelete, siteScimOnDelete, type ScimTokenRow } from '../../db/queries/scim.js';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

// A site's SCIM tokens and settings (docs/product.md#scim-provisioning), for its admins in the
// console's Security tab and for `portico scim-token create`. A token is shown once: only its hash
// is stored. Its label names the actor of every change made with it: "SCIM ({label})".

export const SCIM_TOKENS_PER_SITE_MAX = 20;
const DEFAULT_LABEL = 'Identity provider';

export interface CreatedScimToken {
  id: string;
  label: string;
  /** the secret, shown once */
  token: string;
}

export interface ScimSettings {
  onDelete: 'revoke' | 'delete';
  /** whether the caller may set onDelete to 'delete' (org admins: delete is theirs alone) */
  mayChooseDelete: boolean;
  tokens: ScimTokenRow[];
}

async function authorize(ctx: ActorContext, siteSlug: string): Promise<SiteRow> {
  const site = ctx.urlSite?.slug === siteSlug ? ctx.urlSite : await findSiteBySlug(ctx.db, siteSlug);
  if (!site) throw notFound('Site not found.');
  enforce(decideSiteSettings(ctx.actor, site), { notFound: 'Site not found.', forbidden: "You do not have permission to change this site's security settings." });
  return site;
}

async function issue(trx: Transaction<Database>, site: SiteRow, label: string, createdBy: string | null): Promise<CreatedScimToken> {
  if ((await countLiveScimTokens(trx, site.id)) >= SCIM_TOKENS_PER_SITE_MAX) {
    throw new AppError('conflict', `A site can have at most ${SCIM_TOKENS_PER_SITE_MAX} SCIM tokens. Revoke one first.`);
  }
  const id = randomUUID();
  const token = `scim_${newSecret()}`;
  await insertScimToken(trx, { id, siteId: site.id, label, tokenHash: hashSecret(token), createdBy });
  return { id, label, token };
}

/** The Security tab's SCIM section: the setting and every token (revoked ones too). */
export async function getScimSettings(ctx: ActorContext, input: { siteSlug: string }): Promise<ScimSettings> {
  const site = await authorize(ctx, input.siteSlug);
  return { onDelete: await siteScimOnDelete(ctx.db, site.id), mayChooseDelete: mayDeleteCustomers(ctx.actor, site), tokens: await listScimTokens(ctx.db, site.id) };
}

/** "Create token" in the Security tab: audit `scim_token.created`. */
export async function createScimToken(ctx: ActorContext, input: { siteSlug: string; label?: string }): Promise<CreatedScimToken> {
  const site = await authorize(ctx, input.siteSlug);
  const label = checkTokenLabel(input.label) || DEFAULT_LABEL;
  return ctx.db.transaction().execute(async (trx) => {
    const created = await issue(trx, site, label, ctx.actor.accountId);
    await auditSiteChange(trx, ctx, site, 'scim_token.created', { tokenId: created.id, label, via: 'console' });
    return created;
  });
}

/** `portico scim-token create --site SLUG [--label L]`: an operator on the server's machine; audit `scim_token.created` with no actor account. */
export async function createScimTokenFromCli(ctx: AnonymousContext, input: { siteSlug: string; label?: string }): Promise<CreatedScimToken> {
  const site = await findSiteBySlug(ctx.db, input.siteSlug.trim());
  if (!site) throw notFound(`No site has the slug ${input.siteSlug.trim().slice(0, 63)}.`);
  const label = checkTokenLabel(input.label) || DEFAULT_LABEL;
  return ctx.db.transaction().execute(async (trx) => {
    const created = await issue(trx, site, label, null);
    await trx
      .insertInto('audit_events')
      .values({ action: 'scim_token.created', org_id: site.orgId, site_id: site.id, actor_id: null, target_id: null, ip: ctx.ip, user_agent: ctx.userAgent, details: JSON.stringify({ tokenId: created.id, label, via: 'cli' }) })
      .execute();
    return created;
  });
}

/** "Revoke" in the Security tab: the token is refused from the next request on; audit `scim_token.revoked`. */
export async function revokeScimToken(ctx: ActorContext, input: { siteSlug: string; tokenId: string }): Promise<void> {
  const site = await authorize(ctx, input.siteSlug);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(input.tokenId)) throw notFound('SCIM token not found.');
  await ctx.db.transaction().execute(async (trx) => {
    const label = await revokeScimTokenRow(trx, site.id, input.tokenId, new Date());
    if (label === undefined) throw notFound('SCIM token not found.');
    await auditSiteChange(trx, ctx, site, 'scim_token.revoked', { tokenId: input.tokenId, label });
  });
}

/**
 * What a SCIM DELETE does on the site: revoke access, or delete the customer. Deleting customers is
 * the org admins' alone (docs/product.md#roles), so only they may choose 'delete'. Audit `scim.settings.changed`.
 */
export async function setScimOnDelete(ctx: ActorContext, input: { siteSlug: string; onDelete: string }): Promise<'revoke' | 'delete'> {
  const site = await authorize(ctx, input.siteSlug);
  const onDelete = input.onDelete;
  if (onDelete !== 'revoke' && onDelete !== 'delete') throw badRequest("'onDelete' must be revoke or delete.", { onDelete: "'onDelete' must be revoke or delete." });
  if (onDelete === 'delete' && !mayDeleteCustomers(ctx.actor, site)) {
    throw new AppError('forbidden', 'Only organization admins can let SCIM delete customers.');
  }
  await ctx.db.transaction().execute(async (trx) => {
    const before = await siteScimOnDelete(trx, site.id);
    if (before === onDelete) return;
    await setSiteScimOnDelete(trx, site.id, onDelete);
    await auditSiteChangeBy(trx, ctx, { kind: 'account', accountId: ctx.actor.accountId }, site, 'scim.settings.changed', { onDelete, before });
  });
  return onDelete;
}
