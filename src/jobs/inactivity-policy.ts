import type { AppContext } from '../use-cases/context.js';
import { applyInactivityPolicies } from '../use-cases/customer-access/apply-inactivity-policy.js';
import type { JobDefinition } from './runner.js';
import { sweepJob } from './sweep.js';

/** How often every server offers the inactivity job: days are its unit, a few minutes' lag is nothing. */
export const INACTIVITY_OFFER_SECONDS = 300;

/**
 * Warns and revokes inactive customers of the sites whose policy is on
 * (docs/product.md#inactivity-policy), as a sweep (sweep.ts) like the expiry job: nobody is warned
 * or revoked twice, and after downtime the first run catches up.
 */
export function inactivityPolicyJob(context: () => AppContext | undefined, now?: () => Date): JobDefinition<Record<string, never>> {
  return sweepJob('inactivity-policy', context, applyInactivityPolicies, now);
}
