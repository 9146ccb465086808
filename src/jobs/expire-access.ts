import type { AppContext } from '../use-cases/context.js';
import { revokeExpiredAccess } from '../use-cases/customer-access/revoke-expired-access.js';
import type { JobDefinition } from './runner.js';

/** How often every server offers the expiry job: a dated customer is revoked within a minute. */
export const ACCESS_EXPIRY_OFFER_SECONDS = 30;

/**
 * Revokes customers whose "access until" has passed (docs/product.md#access-until). Every server
 * offers it every 30 seconds; the queue's 'stately' policy keeps one waiting and one running across
 * instances. Exactly once per customer does not rest on that: each revoke locks and re-reads its row
 * (use-cases/customer-access/revoke-expired-access.ts). After downtime the first run catches up: it
 * revokes everything past, whenever it ended. `now` is the clock (tests move it).
 */
export function expireAccessJob(context: () => AppContext | undefined, now: () => Date = () => new Date()): JobDefinition<Record<string, never>> {
  return {
    name: 'expire-access',
    policy: 'stately',
    // a failed run is simply the next one
    retryLimit: 0,
    retryDelaySeconds: 1,
    maxRunSeconds: 10 * 60,
    async run() {
      const ctx = context();
      if (!ctx) return;
      await revokeExpiredAccess(ctx, now());
    },
  };
}
