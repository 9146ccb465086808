import type { AppContext } from '../use-cases/context.js';
import { applyInactivityPolicies } from '../use-cases/customer-access/apply-inactivity-policy.js';
import type { JobDefinition } from './runner.js';

/** How often every server offers the inactivity job: days are its unit, a few minutes' lag is nothing. */
export const INACTIVITY_OFFER_SECONDS = 300;

/**
 * Warns and revokes inactive customers of the sites whose policy is on
 * (docs/product.md#inactivity-policy). Like the expiry job (expire-access.ts): every server offers it,
 * the queue's 'stately' policy keeps one waiting and one running across instances, and each change
 * locks and re-reads its row, so nobody is warned or revoked twice. After downtime the first run
 * catches up. `now` is the clock (tests move it).
 */
export function inactivityPolicyJob(context: () => AppContext | undefined, now: () => Date = () => new Date()): JobDefinition<Record<string, never>> {
  return {
    name: 'inactivity-policy',
    policy: 'stately',
    retryLimit: 0,
    retryDelaySeconds: 1,
    maxRunSeconds: 10 * 60,
    async run() {
      const ctx = context();
      if (!ctx) return;
      await applyInactivityPolicies(ctx, now());
    },
  };
}
