import { sql } from 'kysely';
import type { Db } from '../connection.js';
import type { AccountKind } from '../schema.js';

/** A session's idle timeout and a token's last use are written at most this often, so almost every request stays one read. */
export const TOUCH_EVERY_SECONDS = 60;

export interface SessionPrincipal {
  accountId: string;
  kind: AccountKind;
  /** the customer's site; null for staff */
  siteId: string | null;
  email: string;
  displayName: string;
  csrfToken: string | null;
  via: 'session' | 'token';
  idHash: string | null;
  lastSeenAt: Date | null;
  /** the session's last touch is more than a minute old by the database clock (see touchSession) */
  touchDue: boolean;
}

/** The account columns both lookups join in, mapped the same way for a session and an API token. */
function principalOf(
  row: { account_id: string; site_id: string | null; kind: AccountKind; email: string | null; display_name: string | null },
  credential: Pick<SessionPrincipal, 'csrfToken' | 'via' | 'idHash' | 'lastSeenAt' | 'touchDue'>,
): SessionPrincipal {
  return {
    accountId: row.account_id,
    kind: row.kind,
    siteId: row.site_id,
    email: row.email ?? '',
    displayName: row.display_name ?? '',
    ...credential,
  };
}

/**
 * docs/product.md#sessions: every authenticated request re-reads its session and the account's status in
 * this one query (primary-key lookup on sessions, join on accounts' primary key). A revoked or
 * deleted account, or an expired session, simply finds nothing. Do not cache the answer: a cache
 * would have to be invalidated on every instance inside the revoke's transaction.
 */
export async function findActiveSession(db: Db, idHash: string): Promise<SessionPrincipal | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('accounts as a', 'a.account_id', 's.account_id')
    .select([
      's.account_id',
      's.site_id',
      's.csrf_token',
      's.last_seen_at',
      'a.kind',
      'a.email',
      'a.display_name',
      sql<boolean>`s.last_seen_at < now() - make_interval(secs => ${TOUCH_EVERY_SECONDS})`.as('touch_due'),
    ])
    .where('s.id_hash', '=', idHash)
    .where('a.status', '=', 'active')
    .where('s.idle_expires_at', '>', sql<Date>`now()`)
    .where('s.absolute_expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (!row) return undefined;
  return principalOf(row, { csrfToken: row.csrf_token, via: 'session', idHash, lastSeenAt: row.last_seen_at, touchDue: row.touch_due });
}

/**
 * API tokens (staff): same rule, one statement joining the account's status. The same statement
 * records the token's last use when the one stored is more than TOUCH_EVERY_SECONDS old (or none):
 * a data-modifying WITH runs to completion whether or not the SELECT reads it, so a request with a
 * token costs no second round trip, and a token used many times a minute is written once a minute.
 */
export async function findActiveApiToken(db: Db, tokenHash: string): Promise<(SessionPrincipal & { tokenId: string }) | undefined> {
  const row = await db
    .with('found', (q) =>
      q
        .selectFrom('api_tokens as t')
        .innerJoin('accounts as a', 'a.account_id', 't.account_id')
        .select(['t.id', 't.account_id', 't.last_used_at', 'a.kind', 'a.email', 'a.display_name', 'a.site_id'])
        .where('t.token_hash', '=', tokenHash)
        .where('t.revoked_at', 'is', null)
        .where('a.status', '=', 'active'),
    )
    .with('touched', (q) =>
      q
        .updateTable('api_tokens')
        .set({ last_used_at: sql<Date>`now()` })
        .where('id', 'in', (sub) =>
          sub
            .selectFrom('found')
            .select('found.id')
            .where((eb) =>
              eb.or([eb('found.last_used_at', 'is', null), eb('found.last_used_at', '<', sql<Date>`now() - make_interval(secs => ${TOUCH_EVERY_SECONDS})`)]),
            ),
        )
        .returning('api_tokens.id'),
    )
    .selectFrom('found')
    .select(['found.id', 'found.account_id', 'found.kind', 'found.email', 'found.display_name', 'found.site_id'])
    .executeTakeFirst();
  if (!row) return undefined;
  return { ...principalOf(row, { csrfToken: null, via: 'token', idHash: null, lastSeenAt: null, touchDue: false }), tokenId: row.id };
}

/**
 * Slides a session's idle timeout (by `idleMinutes`, the app's setting) and records the account's
 * last activity, at most once a minute per session (findActiveSession says when one is due). Both
 * are computed by the database clock, the one every expiry is compared with, so an app server
 * whose own clock is off neither ends nor stretches sessions.
 */
export async function touchSession(db: Db, principal: SessionPrincipal, idleMinutes: number): Promise<void> {
  if (!principal.idHash || !principal.touchDue) return;
  const idle = Math.max(1, Math.floor(idleMinutes));
  await db
    .updateTable('sessions')
    .set({ last_seen_at: sql<Date>`now()`, idle_expires_at: sql<Date>`now() + make_interval(mins => ${idle})` })
    .where('id_hash', '=', principal.idHash)
    .execute();
  await db.updateTable('accounts').set({ last_active_at: sql<Date>`now()` }).where('account_id', '=', principal.accountId).execute();
}
