import type { AppContext } from '../use-cases/context.js';
import { revokeExpiredAccess } from '../use-cases/customer-access/revoke-expired-access.js';
import type { JobDefinition } from './runner.js';
import { sweepJob } from './sweep.js';

/** How often every server offers the expiry job: a dated customer is revoked within a minute. */
export const ACCESS_EXPIRY_OFFER_SECONDS = 30;

/**
 * Revokes customers whose "access until" has passed (docs/product.md#access-until), every 30
 * seconds, as a sweep (sweep.ts): each revoke locks and re-reads its row
 * (use-cases/customer-access/revoke-expired-access.ts), and after downtime the first run revokes
 * everything past, whenever it ended.
 */
export function expireAccessJob(context: () => AppContext | undefined, now?: () => Date): JobDefinition<Record<string, never>> {
  return sweepJob('expire-access', context, revokeExpiredAccess, now);
}
