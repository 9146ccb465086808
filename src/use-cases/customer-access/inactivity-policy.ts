import type { ActorContext } from '../context.js';
import { badRequest, notFound } from '../../domain/errors.js';
import { decideSiteSettings } from '../../domain/policies.js';
import { checkInactivityDays, EXCLUSIONS_MAX, inactivityAction, revokeDate, type InactivityPolicySettings } from '../../domain/inactivity-policy.js';
import {
  customersOfSite,
  findExclusions,
  findInactiveCustomers,
  findInactivityPolicy,
  replaceExclusions,
  saveInactivityPolicy,
  type ExcludedCustomer,
} from '../../db/queries/inactivity-policy.js';
import { findSiteBySlug, type SiteRow } from '../../db/queries/sites.js';
import { auditSiteChange } from '../audit.js';
import { enforce } from '../authorize.js';

// A site's inactivity policy in the admin console and over REST (docs/product.md#inactivity-policy):
// its org admins and site admins read it, change it and see its dry run (domain/policies/site-settings.ts).

export interface InactivityPolicyView extends InactivityPolicySettings {
  excluded: ExcludedCustomer[];
  updatedAt: Date | null;
}

export interface InactivityPreviewCustomer {
  accountId: string;
  displayName: string | null;
  email: string | null;
  lastActiveAt: Date | null;
  /** where inactivity counts from: the latest of last active, created and granted */
  inactiveSince: Date;
  /** when the policy revokes them if they stay away */
  revokeOn: Date;
}

export interface InactivityPreview {
  at: Date;
  inactiveDays: number;
  warnDays: number;
  revoke: { total: number; customers: InactivityPreviewCustomer[] };
  warn: { total: number; customers: InactivityPreviewCustomer[] };
  /** more customers are inactive than the dry run looks at: the totals are at least these */
  more: boolean;
}

/** Customers a dry run lists by name in each group; the totals count every one. */
const PREVIEW_LISTED = 100;
const PREVIEW_SCAN = 10_000;

async function authorize(ctx: ActorContext, siteSlug: string): Promise<SiteRow> {
  const site = ctx.urlSite?.slug === siteSlug ? ctx.urlSite : await findSiteBySlug(ctx.db, siteSlug);
  if (!site) throw notFound('Site not found.');
  enforce(decideSiteSettings(ctx.actor, site), { notFound: 'Site not found.', forbidden: "You do not have permission to change this site's settings." });
  return site;
}

async function view(ctx: ActorContext, siteId: string): Promise<InactivityPolicyView> {
  const { updatedAt, ...settings } = await findInactivityPolicy(ctx.db, siteId);
  return { ...settings, excluded: await findExclusions(ctx.db, siteId), updatedAt };
}

/** The site's policy (off with the defaults until saved) and the customers it leaves alone. */
export async function getInactivityPolicy(ctx: ActorContext, input: { siteSlug: string }): Promise<InactivityPolicyView> {
  const site = await authorize(ctx, input.siteSlug);
  return view(ctx, site.id);
}

/**
 * Saves what the input names (the rest stays): on or off, N, M, the revoke notice, and the excluded
 * customers (the whole list, account ids of the site's customers). 400 naming the field otherwise,
 * and nothing changes. Audited `site.inactivity_policy.changed` with the old and new settings and the
 * exclusions added and removed; saving what is there writes no event.
 */
export async function saveInactivityPolicyForSite(
  ctx: ActorContext,
  input: { siteSlug: string } & Partial<InactivityPolicySettings> & { excludedAccountIds?: string[] },
): Promise<InactivityPolicyView> {
  const site = await authorize(ctx, input.siteSlug);
  const excluded = input.excludedAccountIds === undefined ? undefined : [...new Set(input.excludedAccountIds)];
  if (excluded && excluded.length > EXCLUSIONS_MAX) {
    const message = `At most ${EXCLUSIONS_MAX} customers can be excluded.`;
    throw badRequest(message, { excludedAccountIds: message });
  }
  await ctx.db.transaction().execute(async (trx) => {
    await trx.selectFrom('sites').select('id').where('id', '=', site.id).forUpdate().execute();
    const { updatedAt: _, ...previous } = await findInactivityPolicy(trx, site.id);
    const next: InactivityPolicySettings = {
      enabled: input.enabled ?? previous.enabled,
      inactiveDays: input.inactiveDays ?? previous.inactiveDays,
      warnDays: input.warnDays ?? previous.warnDays,
      notifyOnRevoke: input.notifyOnRevoke ?? previous.notifyOnRevoke,
    };
    checkInactivityDays(next.inactiveDays, next.warnDays);
    if (excluded) {
      const known = await customersOfSite(trx, site.id, excluded);
      const unknown = excluded.filter((id) => !known.has(id));
      if (unknown.length > 0) {
        const message = `Not a customer of this site: ${unknown.slice(0, 3).join(', ')}${unknown.length > 3 ? ` and ${unknown.length - 3} more` : ''}.`;
        throw badRequest(message, { excludedAccountIds: message });
      }
    }
    const settingsChanged = JSON.stringify(previous) !== JSON.stringify(next);
    if (settingsChanged) await saveInactivityPolicy(trx, site.id, next, ctx.actor.accountId, new Date());
    const exclusions = excluded ? await replaceExclusions(trx, site.id, excluded, ctx.actor.accountId) : { added: [], removed: [] };
    if (!settingsChanged && exclusions.added.length === 0 && exclusions.removed.length === 0) return;
    await auditSiteChange(trx, ctx, site, 'site.inactivity_policy.changed', {
      from: previous,
      to: next,
      ...(exclusions.added.length > 0 ? { excludedAdded: exclusions.added } : {}),
      ...(exclusions.removed.length > 0 ? { excludedRemoved: exclusions.removed } : {}),
    });
  });
  return view(ctx, site.id);
}

/**
 * The dry run: whom the policy would revoke and whom it would warn if it ran now — with the numbers
 * given (to see before saving or switching on) or those saved — decided exactly as the job decides
 * (the same query and domain/inactivity-policy.ts). Writes nothing.
 */
export async function previewInactivityPolicy(
  ctx: ActorContext,
  input: { siteSlug: string; inactiveDays?: number; warnDays?: number },
  now: Date = new Date(),
): Promise<InactivityPreview> {
  const site = await authorize(ctx, input.siteSlug);
  const stored = await findInactivityPolicy(ctx.db, site.id);
  const policy = { inactiveDays: input.inactiveDays ?? stored.inactiveDays, warnDays: input.warnDays ?? stored.warnDays };
  checkInactivityDays(policy.inactiveDays, policy.warnDays);
  const candidates = await findInactiveCustomers(ctx.db, { siteId: site.id, policy }, now, PREVIEW_SCAN);
  const preview: InactivityPreview = { at: now, ...policy, revoke: { total: 0, customers: [] }, warn: { total: 0, customers: [] }, more: candidates.length >= PREVIEW_SCAN };
  for (const c of candidates) {
    const action = inactivityAction(policy, c, now);
    if (!action) continue;
    const group = preview[action === 'revoke' ? 'revoke' : 'warn'];
    group.total++;
    if (group.customers.length < PREVIEW_LISTED) {
      group.customers.push({
        accountId: c.customer.accountId,
        displayName: c.customer.displayName,
        email: c.customer.email,
        lastActiveAt: c.customer.lastActiveAt,
        inactiveSince: c.since,
        revokeOn: revokeDate(policy, c.since),
      });
    }
  }
  return preview;
}
