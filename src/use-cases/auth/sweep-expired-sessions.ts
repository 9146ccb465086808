import type { AppContext } from '../context.js';
import { deleteExpiredSessions } from '../../db/queries/session-store.js';

/** Sessions deleted per statement: each batch is its own short transaction. */
const BATCH = 5_000;

/**
 * Deletes expired sessions in batches until none is left (docs/architecture.md, "Expired sessions"). Nothing a
 * user notices — an expired session already counts for nothing — but without it every session ever
 * opened stayed in the table with the address and browser it recorded. Returns how many it deleted.
 */
export async function sweepExpiredSessions(ctx: Pick<AppContext, 'db'>): Promise<number> {
  let deleted = 0;
  for (;;) {
    const n = await deleteExpiredSessions(ctx.db, BATCH);
    deleted += n;
    if (n < BATCH) return deleted;
  }
}
