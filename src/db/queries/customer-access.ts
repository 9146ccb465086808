import { sql, type Kysely, type Transaction, type UpdateObject, type UpdateQueryBuilder, type UpdateResult } from 'kysely';
import type { Database } from '../schema.js';
import { auditRow, insertAuditEventIfAny, insertAuditRowIfAny, type AuditEventInput, type AuditRow } from './audit.js';
import { builtOnce } from '../built-once.js';
import { insertSearchTerms } from './customers.js';
import { SEARCH_TERMS_VERSION } from '../../domain/search-terms.js';
import { CUSTOMER_COLUMNS, toRecord, type CustomerRecord } from './customer-records.js';
import { switchedOnSubscriptions } from './webhooks.js';
import { endOutstandingTokens } from './one-time-tokens.js';

type Trx = Transaction<Database>;

/** Clears a customer's dated access (a revoke, a grant, or an admin clearing it). */
export const NO_ACCESS_UNTIL = { access_until: null, access_until_by: null, access_until_reason: null, access_until_notice: null } as const;

// The writes of revoking and granting a customer's access, and of ending what a password change ends.

/**
 * Everything a revoke changes (docs/product.md#revoke-and-grant), for one or many accounts: status and
 * who/when; every session deleted (the next request with an old cookie finds nothing); every
 * outstanding one-time token invalidated; picker terms removed. The audit event is the caller's, or
 * written by this same statement when it comes `along` (then the answer is the organization's
 * switched-on webhook subscriptions).
 */
export async function applyRevoke(
  trx: Trx,
  accountIds: string[],
  actorId: string | null,
  now: Date,
  reason: string | null = null,
  along?: AlongTheChange,
): Promise<SubscriptionRows> {
  // a revoke ends any dated access: there is nothing left to expire (docs/product.md#access-until)
  return changeAccounts(trx, accountIds, now, revokedSet(actorId, now, reason), 'keep', along);
}

function revokedSet(actorId: string | null, now: Date, reason: string | null) {
  return { status: 'revoked', revoked_at: now, revoked_by: actorId, revoke_reason: reason, ...NO_ACCESS_UNTIL } as const;
}

/**
 * Everything a grant changes besides the audit event: active again with the old password, picker
 * terms written back. Sessions and one-time tokens are ended again: none should exist, but a login or
 * reset request that raced the revoke must not come back to life with the grant.
 */
export async function applyGrant(trx: Trx, customers: CustomerRecord[], now: Date, along?: AlongTheChange): Promise<SubscriptionRows> {
  // a grant clears a date the access had (docs/product.md#access-until), and the inactivity policy
  // counts from it (docs/product.md#inactivity-policy)
  const subscriptions = await changeAccounts(trx, customers.map((c) => c.accountId), now, grantedSet(now), 'drop', along);
  // the terms written back in a statement of their own: an insert in the same statement as the
  // delete of the same table could meet the rows it replaces
  await insertSearchTerms(trx, customers.flatMap(pickerEntryOf));
  return subscriptions;
}

function grantedSet(now: Date) {
  return { status: 'active', revoked_at: null, revoked_by: null, revoke_reason: null, ...NO_ACCESS_UNTIL, access_granted_at: now, inactivity_warned_at: null } as const;
}

/** What a granted customer's picker terms are made of; none for a never-verified account, which stays out of the pickers until its owner verifies the address. */
function pickerEntryOf(c: CustomerRecord): Array<{ accountId: string; siteId: string; displayName: string; email: string }> {
  return c.displayName && c.email && !c.awaitingVerification ? [{ accountId: c.accountId, siteId: c.siteId, displayName: c.displayName, email: c.email }] : [];
}

/**
 * What a change of one customer's access writes and reads besides its own rows, as further parts of
 * its one writing statement (docs/architecture.md, "A revoke in few round trips"): its audit event, and
 * the read of the organization's switched-on webhook subscriptions, whose deliveries the change then
 * writes if any wants its event. Two round trips fewer than running them on their own.
 */
export interface AlongTheChange {
  audit: AuditEventInput;
  /** the organization whose webhook subscriptions are read */
  webhooksOf: string;
}

/** The switched-on webhook subscriptions read along a change (db/queries/webhooks.ts subscribersAmong picks those that want its event). */
export type SubscriptionRows = Array<{ id: string; events: string }>;

/**
 * ONE statement for a revoke's or a grant's writes: the accounts set as `set` says, and for each
 * account that changed its sessions deleted, its one-time tokens invalidated, its picker terms
 * deleted, and those terms kept for a grant (`dormant: 'keep'`, a revoke) or the kept ones taken out
 * (`'drop'`, a grant) — data-modifying parts of one query (each runs once, to the end, on the same
 * snapshot; none reads a table another writes, only what `changed` and the terms' delete answer), one
 * round trip where they were four (docs/benchmarks.md, "Scale over HTTP": a revoke's time is its
 * round trips). With `along`, the audit event is one more part and the subscriptions read is the answer.
 */
async function changeAccounts(
  trx: Trx,
  accountIds: string[],
  now: Date,
  set: UpdateObject<Database, 'accounts'>,
  dormant: 'keep' | 'drop',
  along?: AlongTheChange,
): Promise<SubscriptionRows> {
  if (accountIds.length === 0) return [];
  const writes = accountWrites(trx, accountIds, now, set, (update) => update, dormant);
  if (!along) {
    await writes.selectFrom('changed').select('account_id').execute();
    return [];
  }
  return writes
    .with('audited', () => insertAuditEventIfAny(trx, along.audit, 'changed').returning('id'))
    .with('subscriptions', () => switchedOnSubscriptions(trx, along.webhooksOf))
    .selectFrom('subscriptions')
    .select(['id', 'events'])
    .execute();
}

/**
 * The parts of changeAccounts' statement: `changed`, the update of the accounts that `only` lets
 * through (answering their customer columns), then the sessions, one-time tokens and picker terms of
 * exactly those accounts, and `dormant`: a revoke keeps the terms it removes, with what they were made
 * from, for the grant to put back (`keep`); a grant takes them out (`drop`, answering them) —
 * migration 20261207T1200_dormant_search_terms.
 */
function accountWrites(
  db: Kysely<Database>,
  accountIds: string[],
  now: Date,
  set: UpdateObject<Database, 'accounts'>,
  only: (update: UpdateQueryBuilder<Database, 'accounts', 'accounts', UpdateResult>) => UpdateQueryBuilder<Database, 'accounts', 'accounts', UpdateResult>,
  dormant: 'keep' | 'drop',
) {
  return db
    .with('changed', (cte) => only(cte.updateTable('accounts').set(set).where('account_id', 'in', accountIds)).returning(CUSTOMER_COLUMNS))
    .with('ended_sessions', (cte) => cte.deleteFrom('sessions').where('account_id', 'in', cte.selectFrom('changed').select('account_id')).returning('account_id'))
    .with('ended_tokens', (cte) => endOutstandingTokens(db, cte.selectFrom('changed').select('account_id'), undefined, now).returning('account_id'))
    .with('dropped_terms', (cte) =>
      cte.deleteFrom('account_search_terms').where('account_id', 'in', cte.selectFrom('changed').select('account_id')).returning(['account_id', 'term', 'sort_name', 'words']),
    )
    .with('dormant', (cte) =>
      dormant === 'keep'
        ? cte
            .insertInto('dormant_search_terms')
            .columns(['account_id', 'site_id', 'display_name', 'email', 'made_by', 'terms', 'sort_name', 'words'])
            .expression(
              cte
                .selectFrom('changed as c')
                .innerJoin('dropped_terms as d', 'd.account_id', 'c.account_id')
                .where('c.display_name', 'is not', null)
                .where('c.email', 'is not', null)
                .where('c.site_id', 'is not', null)
                .groupBy(['c.account_id', 'c.site_id', 'c.display_name', 'c.email'])
                .select([
                  'c.account_id',
                  'c.site_id',
                  'c.display_name',
                  'c.email',
                  sql<number>`${SEARCH_TERMS_VERSION}::integer`.as('made_by'),
                  sql<string[]>`array_agg(d.term ORDER BY d.term)`.as('terms'),
                  sql<string>`min(d.sort_name)`.as('sort_name'),
                  sql<string>`min(d.words)`.as('words'),
                ]),
            )
            .onConflict((oc) =>
              oc.column('account_id').doUpdateSet((eb) => ({
                site_id: eb.ref('excluded.site_id'),
                display_name: eb.ref('excluded.display_name'),
                email: eb.ref('excluded.email'),
                made_by: eb.ref('excluded.made_by'),
                terms: eb.ref('excluded.terms'),
                sort_name: eb.ref('excluded.sort_name'),
                words: eb.ref('excluded.words'),
              })),
            )
            .returning(['account_id', 'site_id', 'terms', 'sort_name', 'words'])
        : cte
            .deleteFrom('dormant_search_terms')
            .where('account_id', 'in', cte.selectFrom('changed').select('account_id'))
            .returning(['account_id', 'site_id', 'terms', 'sort_name', 'words']),
    );
}

/**
 * A revoke of one ACTIVE customer of the site, written whole by ONE statement outside any
 * transaction (a statement is atomic by itself): her account, sessions, one-time tokens and picker
 * terms as applyRevoke writes them, and the audit event (docs/architecture.md, "A revoke in one
 * statement"). The update lets through only an active customer of `siteId` whose organization has no
 * switched-on webhook subscription wanting `event` — a revoke whose deliveries and delivery job must
 * be written with it takes the locked transaction instead — so it changes nothing unless the locked
 * path would have made this very change from this very version of her row: a statement that had to
 * wait for a concurrent change of her row changes nothing (asTheStatementSawIt).
 *
 * Answers her as revoked, or undefined when it changed nothing (not an active customer of the site,
 * changed while it waited, or a subscription wants the event): the caller then takes the locked
 * path, which decides and answers as before.
 */
export async function revokeActiveCustomer(
  db: Kysely<Database>,
  change: { siteId: string; accountId: string; actorId: string | null; now: Date; reason: string | null; audit: AuditEventInput; orgId: string; event: string },
): Promise<CustomerRecord | undefined> {
  const { siteId, accountId, actorId, now, reason, orgId, event } = change;
  const rows = await revokeOneActive(db, { siteId, accountId, actorId, now, reason, orgId, event, ...auditRow(change.audit) });
  return rows[0] && toRecord(rows[0]);
}

// Built once (db/built-once.ts): the statement's text is the same for every revoke of one customer.
// Its values hold the audit event's row as fields of their own (auditRow's columns).
const revokeOneActive = builtOnce(
  (db: Kysely<Database>, v: { siteId: string; accountId: string; actorId: string | null; now: Date; reason: string | null; orgId: string; event: string } & AuditRow) =>
    accountWrites(
      db,
      [v.accountId],
      v.now,
      revokedSet(v.actorId, v.now, v.reason),
      (update) => onlyTheOneChange(db, update, { accountId: v.accountId, siteId: v.siteId, status: 'active', orgId: v.orgId, event: v.event }),
      'keep',
    )
      .with('audited', () => insertAuditRowIfAny(db, v, 'changed').returning('id'))
      .selectFrom('changed')
      .select(CUSTOMER_COLUMNS),
);

/**
 * A grant of one REVOKED customer, written whole by ONE statement outside any transaction: her
 * account, sessions and one-time tokens as applyGrant writes them, the audit event, and her picker
 * terms put back from what her revoke kept (`dormant_search_terms`). The update lets her through only
 * while those kept terms are still hers as she is — made from her site, name and email by this
 * version of the making (SEARCH_TERMS_VERSION), and she is verified — while she has no picker terms
 * (so the insert meets none of hers; the statement's own delete of her terms finds none), and while
 * her organization has no switched-on webhook subscription wanting `event`.
 *
 * Answers her as granted, or undefined when it changed nothing (not a revoked customer of the site,
 * no kept terms of hers as she is, changed while it waited, or a subscription wants the event): the
 * caller then takes the locked path, which makes her terms in the app.
 */
export async function grantRevokedCustomer(
  db: Kysely<Database>,
  change: { siteId: string; accountId: string; now: Date; audit: AuditEventInput; orgId: string; event: string },
): Promise<CustomerRecord | undefined> {
  const { siteId, accountId, now, orgId, event } = change;
  const rows = await grantOneRevoked(db, { siteId, accountId, now, orgId, event, ...auditRow(change.audit) });
  return rows[0] && toRecord(rows[0]);
}

// Built once (db/built-once.ts), as revokeOneActive: the same text for every grant of one customer.
const grantOneRevoked = builtOnce((db: Kysely<Database>, v: { siteId: string; accountId: string; now: Date; orgId: string; event: string } & AuditRow) =>
  accountWrites(
    db,
    [v.accountId],
    v.now,
    grantedSet(v.now),
    (update) =>
      onlyTheOneChange(db, update, { accountId: v.accountId, siteId: v.siteId, status: 'revoked', orgId: v.orgId, event: v.event })
        .where('awaiting_verification', '=', false)
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('dormant_search_terms as kept')
              .select('kept.account_id')
              .where('kept.account_id', '=', v.accountId)
              .where('kept.made_by', '=', SEARCH_TERMS_VERSION)
              .whereRef('kept.site_id', '=', 'accounts.site_id')
              .whereRef('kept.display_name', '=', 'accounts.display_name')
              .whereRef('kept.email', '=', 'accounts.email'),
          ),
        )
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('account_search_terms').select('account_id').where('account_id', '=', v.accountId)))),
    'drop',
  )
    .with('audited', () => insertAuditRowIfAny(db, v, 'changed').returning('id'))
    .with('written_terms', (cte) =>
      cte
        .insertInto('account_search_terms')
        .columns(['site_id', 'term', 'account_id', 'sort_name', 'words'])
        .expression(sql`SELECT w.site_id, t.term, w.account_id, w.sort_name, w.words FROM dormant AS w CROSS JOIN unnest(w.terms) AS t(term)`)
        .returning('account_id'),
    )
    .selectFrom('changed')
    .select(CUSTOMER_COLUMNS),
);

/**
 * What lets a one-statement revoke or grant through, and nothing else: a customer of the site in the
 * status the change starts from, her row still the version the statement's snapshot holds
 * (asTheStatementSawIt), and no switched-on subscription of her organization wanting `event` (a
 * change with deliveries takes the locked transaction).
 */
function onlyTheOneChange(
  db: Kysely<Database>,
  update: UpdateQueryBuilder<Database, 'accounts', 'accounts', UpdateResult>,
  change: { accountId: string; siteId: string; status: 'active' | 'revoked'; orgId: string; event: string },
) {
  return update
    .where('kind', '=', 'customer')
    .where('site_id', '=', change.siteId)
    .where('status', '=', change.status)
    .where(asTheStatementSawIt(change.accountId))
    .where(({ not, exists }) => not(exists(subscriptionsWanting(db, change.orgId, change.event))));
}

/**
 * A condition of a one-statement change's update: the account's row is still the version the
 * statement's snapshot holds. Without it, an update that waited for a concurrent change of the row
 * would go on with the row as that change left it (PostgreSQL re-checks the other conditions on the
 * newest version) while the statement's other parts still read the older snapshot: a revoke waiting
 * for a grant would set her revoked and miss the picker terms the grant wrote, as the race test of
 * R9 found. The version the snapshot holds is read once, before any waiting (an uncorrelated
 * subquery, which the re-check keeps), so after a wait the row's `xmin` differs, the update lets
 * nothing through, and the locked path takes over (docs/architecture.md, "A revoke in one statement").
 * Every writer of a customer's picker terms updates her account row in the same transaction.
 */
function asTheStatementSawIt(accountId: string) {
  return sql<boolean>`xmin = (SELECT seen.xmin FROM accounts AS seen WHERE seen.account_id = ${accountId})`;
}

/** The organization's switched-on subscriptions that want `event`, not yet run. */
function subscriptionsWanting(db: Kysely<Database>, orgId: string, event: string) {
  return switchedOnSubscriptions(db, orgId).where(sql<boolean>`events::jsonb @> jsonb_build_array(${event}::text)`);
}

export async function endSessionsAndTokens(trx: Trx, accountIds: string[], now: Date, purposes?: Array<'password_reset' | 'invitation' | 'verification'>): Promise<void> {
  await trx.deleteFrom('sessions').where('account_id', 'in', accountIds).execute();
  await endOutstandingTokens(trx, accountIds, purposes, now).execute();
}
