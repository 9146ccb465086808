import { sql } from 'kysely';
import type { Db } from '../connection.js';
import type { LoginThrottleLimits } from '../../config.js';

/**
 * Login throttling kept in the database (table login_throttle), so every app instance counts the
 * same failures. One row per key: `acct:<site id or "staff">:<typed email, lower-cased>` and
 * `ip:<address>`. The account key is built from what was typed, so an unknown email is throttled
 * exactly like a known one.
 */
export const DEFAULT_LOGIN_THROTTLE: LoginThrottleLimits = {
  accountMaxFailures: 10,
  ipMaxFailures: 50,
  windowMinutes: 15,
};

export function throttleLimits(overrides: Partial<LoginThrottleLimits> | undefined): LoginThrottleLimits {
  return { ...DEFAULT_LOGIN_THROTTLE, ...overrides };
}

export function accountThrottleKey(scope: { siteId: string } | 'staff', email: string): string {
  const where = scope === 'staff' ? 'staff' : scope.siteId;
  // keys stay bounded whatever was typed (the email is validated ≤ 254 chars before this anyway)
  return `acct:${where}:${email.trim().toLowerCase().slice(0, 320)}`;
}

export function ipThrottleKey(ip: string | null): string {
  return `ip:${(ip ?? 'unknown').slice(0, 100)}`;
}

/** Seconds until the first of these keys unlocks, or 0 when none is locked. */
export async function lockedFor(db: Db, keys: string[]): Promise<number> {
  const row = await db
    .selectFrom('login_throttle')
    .select(sql<string>`ceil(extract(epoch from max(locked_until) - now()))`.as('seconds'))
    .where('key', 'in', keys)
    .where('locked_until', '>', sql<Date>`now()`)
    .executeTakeFirst();
  const seconds = Number(row?.seconds ?? 0);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
}

/**
 * Counts one failure against a key, atomically (one upsert): a failure outside the window starts
 * a new window; reaching the limit locks the key for one window.
 */
export async function recordFailure(db: Db, key: string, limit: number, windowMinutes: number): Promise<void> {
  const window = sql`make_interval(mins => ${windowMinutes})`;
  const lockFirst = limit <= 1 ? sql<Date>`now() + ${window}` : sql<Date>`NULL`;
  await db
    .insertInto('login_throttle')
    .values({ key, window_start: sql<Date>`now()`, failures: 1, locked_until: lockFirst })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        window_start: sql<Date>`CASE WHEN login_throttle.window_start <= now() - ${window} THEN now() ELSE login_throttle.window_start END`,
        failures: sql<number>`CASE WHEN login_throttle.window_start <= now() - ${window} THEN 1 ELSE login_throttle.failures + 1 END`,
        locked_until: sql<Date>`CASE
          WHEN (CASE WHEN login_throttle.window_start <= now() - ${window} THEN 1 ELSE login_throttle.failures + 1 END) >= ${limit}
          THEN now() + ${window}
          ELSE login_throttle.locked_until END`,
      }),
    )
    .execute();
}

/** A successful login (or password reset) clears the account's failures. */
export async function resetThrottle(db: Db, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}

/**
 * Forgets keys whose window ended long ago and that are not locked, so sprayed unknown emails
 * do not pile up. Called now and then from the failure path (a sequential scan, kept rare).
 */
export async function pruneThrottle(db: Db): Promise<void> {
  await db
    .deleteFrom('login_throttle')
    .where('window_start', '<', sql<Date>`now() - interval '1 day'`)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', sql<Date>`now()`)]))
    .execute();
}
