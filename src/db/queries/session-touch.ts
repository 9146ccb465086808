import type { Db } from '../connection.js';
import type { SessionPrincipal } from './sessions.js';

const TOUCH_EVERY_MS = 60_000;
let idleMinutes = 120;

export function setSessionIdleMinutes(minutes: number) {
  idleMinutes = minutes;
}

/**
 * Slides the idle timeout and records the account's last activity, at most once a minute per
 * session, so the hot path stays one read for almost every request.
 */
export async function touchSession(db: Db, principal: SessionPrincipal): Promise<void> {
  if (!principal.idHash || (principal.lastSeenAt && Date.now() - new Date(principal.lastSeenAt).getTime() < TOUCH_EVERY_MS)) return;
  const now = new Date();
  await db
    .updateTable('sessions')
    .set({ last_seen_at: now, idle_expires_at: new Date(now.getTime() + idleMinutes * 60_000) })
    .where('id_hash', '=', principal.idHash)
    .execute();
  await db.updateTable('accounts').set({ last_active_at: now }).where('account_id', '=', principal.accountId).execute();
}
