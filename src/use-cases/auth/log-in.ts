import type { AnonymousContext } from '../context.js';
import { AppError, unauthenticated } from '../../domain/errors.js';
import { decoyPasswordHash, hashPassword, passwordHashNeedsUpgrade, verifyPassword } from '../../domain/passwords.js';
import { openSessionInTransaction } from './open-session.js';
import { passwordLoginAllowed } from '../../db/queries/identity-providers.js';
import { countLoginAttempt, pruneThrottle, rememberKnownAddress, resetThrottle, throttleState, uncountLoginAttempt } from '../../db/queries/throttle.js';
import {
  accountAddressThrottleKey,
  accountThrottleKey,
  countedAttemptRefusedFor,
  ipThrottleKey,
  loginRefusedFor,
  throttleAddress,
  throttleLimits,
  tryAgainIn,
} from '../../domain/login-throttle.js';

export const LOGIN_FAILED_MESSAGE = 'Incorrect email or password.';
export const PASSWORD_LOGIN_OFF_MESSAGE = 'This help center signs you in with your organization’s account: use the button above the form.';
/** What a throttled login is told: when to try again (the Retry-After header's seconds, in words). */
export function loginThrottledMessage(retryAfterSeconds: number): string {
  return `Too many login attempts. Try again ${tryAgainIn(retryAfterSeconds)}.`;
}

export class LoginThrottledError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', loginThrottledMessage(retryAfterSeconds));
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
 * Logs a staff member or a site's customer in (docs/product.md#rules). Every way of failing — wrong
 * password, unknown email, revoked or deleted customer, an account of the other kind or another
 * site — throws the same error after the same work (an argon2 verify against the decoy hash when
 * there is no usable account), so neither the response nor its timing tells them apart. Throttling
 * (domain/login-throttle.ts) answers 429 before any password is checked.
 */
export async function logIn(ctx: AnonymousContext, input: LogInInput): Promise<LoggedIn> {
  try {
    return await attemptLogIn(ctx, input);
  } catch (error) {
    const account = input.site === null ? 'staff' : 'customer';
    if (error instanceof LoginThrottledError) ctx.counters?.loginRefused(account, 'throttled');
    else if (error instanceof AppError && error.code === 'unauthenticated') ctx.counters?.loginRefused(account, 'credentials');
    throw error;
  }
}

async function attemptLogIn(ctx: AnonymousContext, input: LogInInput): Promise<LoggedIn> {
  // a site that signs its customers in through its identity provider only: the same answer for everyone
  if (input.site !== null && !(await passwordLoginAllowed(ctx.db, input.site.id))) throw unauthenticated(PASSWORD_LOGIN_OFF_MESSAGE);
  const limits = throttleLimits(ctx.config.loginThrottle);
  const email = input.email.trim().toLowerCase();
  const address = throttleAddress(ctx.ip);
  const accountKey = accountThrottleKey(input.site ? { siteId: input.site.id } : 'staff', email);
  const keys = { account: accountKey, accountAddress: accountAddressThrottleKey(accountKey, address), address: ipThrottleKey(address) };

  let q = ctx.db
    .selectFrom('accounts')
    .select(['account_id', 'display_name', 'email', 'password_hash', 'status'])
    .where('email_lower', '=', email);
  q = input.site === null ? q.where('kind', '=', 'staff') : q.where('kind', '=', 'customer').where('site_id', '=', input.site.id);
  const account = email === '' ? undefined : await q.executeTakeFirst();
  const usable = account && account.status === 'active' && account.password_hash ? account : undefined;

  // Only a usable account has known addresses; anyone else is judged by the keys of what was typed.
  const state = await throttleState(ctx.db, keys, { accountId: usable?.account_id ?? null, address, days: limits.knownAddressDays });
  const refusedFor = loginRefusedFor(state);
  if (refusedFor > 0) throw new LoginThrottledError(refusedFor);
  const counted = await countLoginAttempt(ctx.db, keys, limits);
  const lostRace = countedAttemptRefusedFor({ ...counted, knownAddress: state.knownAddress }, limits);
  if (lostRace > 0) {
    await uncountLoginAttempt(ctx.db, [counted.accountAddress, counted.address, counted.account]);
    throw new LoginThrottledError(lostRace);
  }

  const ok = await verifyPassword(usable?.password_hash ?? (await decoyPasswordHash()), input.password);
  if (!usable || !ok) {
    if (Math.random() < 0.01) await pruneThrottle(ctx.db, limits.knownAddressDays);
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
    const created = await openSessionInTransaction(ctx, trx, { accountId: usable.account_id, siteId: input.site?.id ?? null });
    // This attempt was no failure. The address is the owner's: its failures are forgotten and it
    // stays known. The account's count over all addresses is not reset, or logging in would hand
    // a distributed guesser a fresh allowance.
    await uncountLoginAttempt(trx, [counted.address, counted.account]);
    await resetThrottle(trx, [keys.accountAddress]);
    await rememberKnownAddress(trx, usable.account_id, address);
    return created;
  });

  return {
    sessionId: session.sessionId,
    csrfToken: session.csrfToken,
    account: { accountId: usable.account_id, displayName: usable.display_name ?? '', email: usable.email ?? '' },
  };
}
