import type { UseCaseContext } from './context.js';
import { AppError, unauthenticated } from '../domain/errors.js';
import { decoyPasswordHash, hashPassword, passwordHashNeedsUpgrade, verifyPassword } from '../domain/passwords.js';
import { createSession } from '../db/queries/session-store.js';
import {
  accountThrottleKey,
  ipThrottleKey,
  lockedFor,
  pruneThrottle,
  recordFailure,
  resetThrottle,
  throttleLimits,
} from '../db/queries/throttle.js';

export const LOGIN_FAILED_MESSAGE = 'Incorrect email or password.';
export const LOGIN_THROTTLED_MESSAGE = 'Too many login attempts. Try again later.';

export class LoginThrottledError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', LOGIN_THROTTLED_MESSAGE);
  }
}

export interface LogInInput {
  email: string;
  password: string;
  /** null: staff login at /login; a site: a portal-only customer of THAT site */
  site: { id: string } | null;
}

export interface LoggedIn {
  sessionId: string;
  csrfToken: string;
  account: { accountId: string; displayName: string; email: string };
}

/**
 * Logs a staff member or a site's customer in (PRODUCT.md §8). Every way of failing — wrong
 * password, unknown email, revoked or deleted customer, an account of the other kind or another
 * site — throws the same error after the same work (an argon2 verify against the decoy hash when
 * there is no usable account), so neither the response nor its timing tells them apart.
 */
export async function logIn(ctx: UseCaseContext, input: LogInInput): Promise<LoggedIn> {
  const limits = throttleLimits(ctx.config.loginThrottle);
  const email = input.email.trim().toLowerCase();
  const accountKey = accountThrottleKey(input.site ? { siteId: input.site.id } : 'staff', email);
  const ipKey = ipThrottleKey(ctx.ip);

  const lockedSeconds = await lockedFor(ctx.db, [accountKey, ipKey]);
  if (lockedSeconds > 0) throw new LoginThrottledError(lockedSeconds);

  let q = ctx.db
    .selectFrom('accounts')
    .select(['account_id', 'display_name', 'email', 'password_hash', 'status'])
    .where('email_lower', '=', email);
  q = input.site === null ? q.where('kind', '=', 'staff') : q.where('kind', '=', 'customer').where('site_id', '=', input.site.id);
  const account = email === '' ? undefined : await q.executeTakeFirst();
  const usable = account && account.status === 'active' && account.password_hash ? account : undefined;

  const ok = await verifyPassword(usable?.password_hash ?? (await decoyPasswordHash()), input.password);
  if (!usable || !ok) {
    await recordFailure(ctx.db, accountKey, limits.accountMaxFailures, limits.windowMinutes);
    await recordFailure(ctx.db, ipKey, limits.ipMaxFailures, limits.windowMinutes);
    if (Math.random() < 0.01) await pruneThrottle(ctx.db);
    throw unauthenticated(LOGIN_FAILED_MESSAGE);
  }

  // A hash made with older, weaker parameters is replaced now that the password is at hand (hashed
  // before the transaction: argon2 takes a while). Only if nobody changed the password meanwhile.
  const upgradedHash = passwordHashNeedsUpgrade(usable.password_hash!) ? await hashPassword(input.password) : undefined;

  const session = await ctx.db.transaction().execute(async (trx) => {
    if (upgradedHash) {
      await trx
        .updateTable('accounts')
        .set({ password_hash: upgradedHash })
        .where('account_id', '=', usable.account_id)
        .where('password_hash', '=', usable.password_hash)
        .execute();
    }
    const created = await createSession(trx, {
      accountId: usable.account_id,
      siteId: input.site?.id ?? null,
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      idleMinutes: ctx.config.sessionIdleMinutes,
      absoluteHours: ctx.config.sessionAbsoluteHours,
    });
    await trx.updateTable('accounts').set({ last_active_at: new Date() }).where('account_id', '=', usable.account_id).execute();
    return created;
  });
  await resetThrottle(ctx.db, accountKey);

  return {
    sessionId: session.sessionId,
    csrfToken: session.csrfToken,
    account: { accountId: usable.account_id, displayName: usable.display_name ?? '', email: usable.email ?? '' },
  };
}
