import { badRequest } from './errors.js';

/**
 * A site's automatic revoke after inactivity (docs/product.md#inactivity-policy): off by default;
 * switched on, an active customer inactive for `inactiveDays` is revoked, warned by mail `warnDays`
 * before (0: no warning), unless excluded. A customer's inactivity counts from the latest of when they
 * were last active, when their account was made (one who never logged in counts from then) and when
 * their access was last granted.
 */
export interface InactivityPolicySettings {
  enabled: boolean;
  inactiveDays: number;
  warnDays: number;
  /** mail the site's revoke notice (with the reason) when the policy revokes */
  notifyOnRevoke: boolean;
}

export const DEFAULT_INACTIVITY_POLICY: InactivityPolicySettings = { enabled: false, inactiveDays: 90, warnDays: 7, notifyOnRevoke: false };
export const INACTIVE_DAYS_MAX = 3650;
export const EXCLUSIONS_MAX = 1000;
const DAY = 86_400_000;

/** 400 naming the field when the days are not whole numbers, N from 1 to 3650 and M from 0 to N − 1. */
export function checkInactivityDays(inactiveDays: number, warnDays: number): void {
  if (!Number.isInteger(inactiveDays) || inactiveDays < 1 || inactiveDays > INACTIVE_DAYS_MAX) {
    const message = `Enter a whole number of days from 1 to ${INACTIVE_DAYS_MAX}.`;
    throw badRequest(message, { inactiveDays: message });
  }
  if (!Number.isInteger(warnDays) || warnDays < 0 || warnDays >= inactiveDays) {
    const message = `Enter a whole number of days from 0 (no warning) to ${inactiveDays - 1}, fewer than the days of inactivity.`;
    throw badRequest(message, { warnDays: message });
  }
}

/** The reason every revoke of the policy carries (audit event, the customer list, the notice). */
export function inactivityReason(inactiveDays: number): string {
  return `No activity for ${inactiveDays} days (automatic inactivity policy)`;
}

export interface InactivityState {
  /** the latest of last active, created and granted */
  since: Date;
  warnedAt: Date | null;
}

/**
 * What the policy does to an active, not excluded customer at `now`: revoke once inactive N days;
 * from N − M days, warn once for this inactivity period (a warning sent before the customer's latest
 * activity is for an earlier period and counts for nothing); else nothing. A run after downtime
 * decides from the times alone, so it catches up: past N days it revokes (the warning is moot then).
 */
export function inactivityAction(policy: Pick<InactivityPolicySettings, 'inactiveDays' | 'warnDays'>, state: InactivityState, now: Date): 'revoke' | 'warn' | null {
  const idle = now.getTime() - state.since.getTime();
  if (idle >= policy.inactiveDays * DAY) return 'revoke';
  if (policy.warnDays > 0 && idle >= (policy.inactiveDays - policy.warnDays) * DAY && !(state.warnedAt && state.warnedAt >= state.since)) return 'warn';
  return null;
}

/** When the customer will be revoked if they stay away. */
export function revokeDate(policy: Pick<InactivityPolicySettings, 'inactiveDays'>, since: Date): Date {
  return new Date(since.getTime() + policy.inactiveDays * DAY);
}

/** The warning mail (plain text, built in): who, which site, the date, where to log in. */
export function inactivityWarningMail(view: { name: string; siteName: string; siteUrl: string; revokeOn: Date }): { subject: string; text: string } {
  const day = view.revokeOn.toISOString().slice(0, 10);
  return {
    subject: `Your access to ${view.siteName} ends on ${day} unless you log in`,
    text:
      `Hello ${view.name},\n\n` +
      `you have not used ${view.siteName} for a while. To keep your account safe, your access ends on ${day} (UTC) unless you log in before then:\n\n` +
      `${view.siteUrl}\n\n` +
      'Logging in once is enough to keep your access. If you no longer need it, you can ignore this message.\n',
  };
}
