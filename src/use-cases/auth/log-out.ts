import type { AnonymousContext } from '../context.js';
import { deleteSessionById } from '../../db/queries/session-store.js';

/**
 * Ends a session: the row is deleted, so the cookie is worthless even if it was copied. A cookie
 * that names no session (already expired, or forged) is not an error: logging out is idempotent.
 */
export async function logOut(ctx: AnonymousContext, input: { sessionId: string | undefined; siteId: string | null }): Promise<void> {
  if (!input.sessionId || input.sessionId.length > 200) return;
  await deleteSessionById(ctx.db, input.sessionId, { siteId: input.siteId });
}
