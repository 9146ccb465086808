import { sql, type Transaction } from 'kysely';
import type { Db } from '../connection.js';
import type { Database } from '../schema.js';
import { hashSecret, newSecret } from '../../domain/secrets.js';

type Executor = Transaction<Database> | Db;

export interface NewSession {
  /** the cookie value: 256 random bits, never stored (only its SHA-256 is) */
  sessionId: string;
  csrfToken: string;
}

/**
 * Creates a session row. Expiry is computed by the database clock (the same clock that
 * resolveCaller in caller.ts compares against), so app instances with skewed clocks agree.
 */
export async function createSession(
  trx: Executor,
  input: {
    accountId: string;
    siteId: string | null;
    ip: string | null;
    userAgent: string | null;
    idleMinutes: number;
    absoluteHours: number;
  },
): Promise<NewSession> {
  const sessionId = newSecret();
  const csrfToken = newSecret();
  const idle = Math.max(1, Math.floor(input.idleMinutes));
  const absolute = Math.max(1, Math.floor(input.absoluteHours * 60));
  await trx
    .insertInto('sessions')
    .values({
      id_hash: hashSecret(sessionId),
      account_id: input.accountId,
      site_id: input.siteId,
      csrf_token: csrfToken,
      last_seen_at: sql<Date>`now()`,
      // idle never outlives the absolute limit
      idle_expires_at: sql<Date>`now() + make_interval(mins => ${Math.min(idle, absolute)})`,
      absolute_expires_at: sql<Date>`now() + make_interval(mins => ${absolute})`,
      ip: input.ip?.slice(0, 100) ?? null,
      user_agent: input.userAgent?.slice(0, 512) ?? null,
    })
    .execute();
  return { sessionId, csrfToken };
}

/** Deletes one session by the cookie value it was created with (logout). */
export async function deleteSessionById(trx: Executor, sessionId: string, scope: { siteId: string | null }): Promise<boolean> {
  let q = trx.deleteFrom('sessions').where('id_hash', '=', hashSecret(sessionId));
  q = scope.siteId === null ? q.where('site_id', 'is', null) : q.where('site_id', '=', scope.siteId);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Ends every session of an account (password reset, revoke). */
export async function deleteSessionsOfAccount(trx: Executor, accountId: string): Promise<number> {
  const r = await trx.deleteFrom('sessions').where('account_id', '=', accountId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * Deletes up to `limit` expired sessions (either timeout passed, by the database's clock, the one the
 * caller statement compares with: db/queries/caller.ts). An expired session is never slid back to life
 * (the once-a-minute touch re-checks its idle timeout), so deleting it changes no answer. Returns how many.
 */
export async function deleteExpiredSessions(db: Db, limit: number): Promise<number> {
  const r = await sql`
    DELETE FROM sessions WHERE id_hash IN (
      SELECT id_hash FROM sessions WHERE idle_expires_at <= now() OR absolute_expires_at <= now() LIMIT ${limit}::int)`.execute(db);
  return Number(r.numAffectedRows ?? 0n);
}
