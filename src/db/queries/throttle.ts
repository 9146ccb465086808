import { sql } from 'kysely';
import type { Db } from '../connection.js';
import type { LoginThrottleLimits, ThrottleState } from '../../domain/login-throttle.js';

/**
 * Login throttling kept in the database, so every app instance counts the same failures (the rule:
 * domain/login-throttle.ts). login_throttle holds one row per key — `acct:<site id or "staff">:<typed
 * email>`, the same followed by `|<address>`, and `ip:<address>`; login_known_addresses the
 * addresses each account logged in from.
 */

export interface ThrottleKeys {
  accountAddress: string;
  address: string;
  account: string;
}

/**
 * How long each key stays locked, and whether the account logged in from this address lately —
 * one query, run the same way whether or not the account exists (accountId null: not known).
 */
export async function throttleState(
  db: Db,
  keys: ThrottleKeys,
  known: { accountId: string | null; address: string; days: number },
): Promise<ThrottleState> {
  const { rows } = await sql<{ key: string | null; seconds: string | null; known: boolean }>`
    SELECT t.key, ceil(extract(epoch from t.locked_until - now())) AS seconds,
      EXISTS (
        SELECT 1 FROM login_known_addresses k
        WHERE k.account_id = ${known.accountId} AND k.address = ${known.address}
          AND k.last_login_at > now() - make_interval(days => ${known.days})
      ) AS known
    FROM (SELECT 1) AS one
    LEFT JOIN login_throttle t ON t.key IN (${keys.accountAddress}, ${keys.address}, ${keys.account}) AND t.locked_until > now()
  `.execute(db);
  const seconds = (key: string) => {
    const n = Number(rows.find((r) => r.key === key)?.seconds ?? 0);
    return Number.isFinite(n) && n > 0 ? n : 0;
  };
  return {
    accountAddress: seconds(keys.accountAddress),
    address: seconds(keys.address),
    account: seconds(keys.account),
    knownAddress: rows[0]?.known === true,
  };
}

/** A key's failures in its window after counting, and for how long it is now locked. */
export interface KeyCount {
  key: string;
  failures: number;
  lockedSeconds: number;
  /** this attempt reached the limit and locked the key */
  lockedByThis: boolean;
}

/**
 * Counts a login attempt against each of its keys BEFORE its password is checked, each upsert
 * atomic: of many concurrent attempts, only as many as a limit allows see a count within it, so a
 * burst cannot slip more guesses under the limit than a sequence can. An attempt that turns out
 * refused, or right, is taken back (uncountLoginAttempt).
 */
export async function countLoginAttempt(db: Db, keys: ThrottleKeys, limits: LoginThrottleLimits): Promise<Record<keyof ThrottleKeys, KeyCount>> {
  return {
    accountAddress: await countAttempt(db, keys.accountAddress, limits.accountAddressMaxFailures, limits.windowMinutes),
    address: await countAttempt(db, keys.address, limits.ipMaxFailures, limits.windowMinutes),
    account: await countAttempt(db, keys.account, limits.accountMaxFailures, limits.windowMinutes),
  };
}

/**
 * One more failure against a key, atomically (one upsert): a failure outside the window starts a
 * new window; reaching the limit locks the key for one window. Sign-up counts its attempts with it
 * too (use-cases/onboarding/sign-up.ts).
 */
export async function countAttempt(db: Db, key: string, limit: number, windowMinutes: number): Promise<KeyCount> {
  const window = sql`make_interval(mins => ${windowMinutes})`;
  const lockFirst = limit <= 1 ? sql<Date>`now() + ${window}` : sql<Date>`NULL`;
  const row = await db
    .insertInto('login_throttle')
    .values({ key, window_start: sql<Date>`now()`, failures: 1, locked_until: lockFirst })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        window_start: sql<Date>`CASE WHEN login_throttle.window_start <= now() - ${window} THEN now() ELSE login_throttle.window_start END`,
        failures: sql<number>`CASE WHEN login_throttle.window_start <= now() - ${window} THEN 1 ELSE login_throttle.failures + 1 END`,
        locked_until: sql<Date>`CASE
          WHEN (CASE WHEN login_throttle.window_start <= now() - ${window} THEN 1 ELSE login_throttle.failures + 1 END) >= ${limit}
            AND (login_throttle.locked_until IS NULL OR login_throttle.locked_until <= now())
          THEN now() + ${window}
          ELSE login_throttle.locked_until END`,
      }),
    )
    .returning([
      'failures',
      sql<string | null>`ceil(extract(epoch from locked_until - now()))`.as('seconds'),
      // now() is this statement's transaction time: equal only to a lock set right here
      sql<boolean>`coalesce(locked_until = now() + ${window}, false)`.as('locked_by_this'),
    ])
    .executeTakeFirstOrThrow();
  const seconds = Number(row.seconds ?? 0);
  return { key, failures: row.failures, lockedSeconds: Number.isFinite(seconds) && seconds > 0 ? seconds : 0, lockedByThis: row.locked_by_this === true };
}

/**
 * Takes back attempts counted by countLoginAttempt (refused after all, or a right password): one
 * failure less, and the lock, if this attempt was the one that set it, lifted.
 */
export async function uncountLoginAttempt(db: Db, counted: KeyCount[]): Promise<void> {
  for (const { key, lockedByThis } of counted) {
    await db
      .updateTable('login_throttle')
      .set({
        failures: sql<number>`greatest(failures - 1, 0)`,
        ...(lockedByThis ? { locked_until: null } : {}),
      })
      .where('key', '=', key)
      .execute();
  }
}

/** Forgets the failures counted under these keys (a successful login, a completed password reset). */
export async function resetThrottle(db: Db, keys: string[]): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', 'in', keys).execute();
}

/** The account logged in from this address: the per-account ceiling no longer refuses it there. */
export async function rememberKnownAddress(db: Db, accountId: string, address: string): Promise<void> {
  await db
    .insertInto('login_known_addresses')
    .values({ account_id: accountId, address, last_login_at: sql<Date>`now()` })
    .onConflict((oc) => oc.columns(['account_id', 'address']).doUpdateSet({ last_login_at: sql<Date>`now()` }))
    .execute();
}

/**
 * Forgets keys whose window ended long ago and that are not locked, so sprayed unknown emails
 * do not pile up, and addresses not logged in from for longer than they stay known. Called now
 * and then from the failure path (sequential scans, kept rare).
 */
export async function pruneThrottle(db: Db, knownAddressDays: number): Promise<void> {
  await db
    .deleteFrom('login_throttle')
    .where('window_start', '<', sql<Date>`now() - interval '1 day'`)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', sql<Date>`now()`)]))
    .execute();
  await db
    .deleteFrom('login_known_addresses')
    .where('last_login_at', '<', sql<Date>`now() - make_interval(days => ${knownAddressDays})`)
    .execute();
}
