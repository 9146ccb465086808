import { sql } from 'kysely';
import type { Db } from '../connection.js';
import type { SessionPrincipal } from './sessions.js';

/** A session's idle timeout slides at most this often, so almost every request stays one read. */
export const TOUCH_EVERY_SECONDS = 60;
let idleMinutes = 120;

export function setSessionIdleMinutes(minutes: number) {
  idleMinutes = minutes;
}

/**
 * Slides the idle timeout and records the account's last activity, at most once a minute per
 * session (findActiveSession says when one is due). Both are computed by the database clock, the
 * one every expiry is compared with, so an app server whose own clock is off neither ends nor
 * stretches sessions.
 */
export async function touchSession(db: Db, principal: SessionPrincipal): Promise<void> {
  if (!principal.idHash || !principal.touchDue) return;
  const idle = Math.max(1, Math.floor(idleMinutes));
  await db
    .updateTable('sessions')
    .set({ last_seen_at: sql<Date>`now()`, idle_expires_at: sql<Date>`now() + make_interval(mins => ${idle})` })
    .where('id_hash', '=', principal.idHash)
    .execute();
  await db.updateTable('accounts').set({ last_active_at: sql<Date>`now()` }).where('account_id', '=', principal.accountId).execute();
}
