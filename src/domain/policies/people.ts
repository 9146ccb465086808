import { hasStandingOnSite, type Actor, type SiteRef } from './actor.js';

/**
 * People: whose email a caller reads, who may be looked up on a site, and whom a picker may offer.
 */

/**
 * Emails are shown to staff (who only ever reach people of the sites they work on) and to the
 * person themselves; a customer sees other people by name only.
 */
export function mayReadEmailOf(viewer: Actor, accountId: string): boolean {
  return viewer.kind === 'staff' || viewer.accountId === accountId;
}

/**
 * One person of a site, whatever their status: a customer of the site or staff of its
 * organization. Anyone without standing on the site, and any account of another site or
 * organization, is "not found".
 */
export function decideUserLookup(
  actor: Actor,
  site: SiteRef,
  account: { kind: 'staff' | 'customer'; siteId: string | null } | undefined,
  isStaffOfSiteOrganization: boolean,
): 'allow' | 'not_found' {
  if (!hasStandingOnSite(actor, site) || !account) return 'not_found';
  const belongs = account.kind === 'customer' ? account.siteId === site.id : isStaffOfSiteOrganization;
  return belongs ? 'allow' : 'not_found';
}

/** 'customers': customers of the site only; 'anyone': also the staff of the site's organization. */
export type PickerAudience = 'customers' | 'anyone';

/**
 * Whom a picker offers the caller: staff are offered whom the field may hold (Reporter, Request
 * participants and REST user search: anyone of the site; a custom user-picker field: its audience;
 * no field: customers); a customer of the site is offered customers only, whatever the field.
 */
export function pickerAudienceFor(actor: Actor, fieldAudience: PickerAudience): PickerAudience {
  return actor.kind === 'staff' ? fieldAudience : 'customers';
}
