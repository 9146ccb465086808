import type { Transaction } from 'kysely';
import type { Database } from '../schema.js';
import type { Db } from '../connection.js';

type Executor = Transaction<Database> | Db;

export type { ScimCaller } from './scim-caller.js';

// The SCIM server's rows (migration 20261206T0400_scim): a site's tokens, and the identity
// provider's names (userName, externalId) of its customers.

export interface ScimTokenRow {
  id: string;
  label: string;
  createdAt: Date;
  createdByLabel: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export async function insertScimToken(trx: Executor, token: { id: string; siteId: string; label: string; tokenHash: string; createdBy: string | null }): Promise<void> {
  await trx.insertInto('scim_tokens').values({ id: token.id, site_id: token.siteId, label: token.label, token_hash: token.tokenHash, created_by: token.createdBy }).execute();
}

export async function countLiveScimTokens(trx: Executor, siteId: string): Promise<number> {
  const r = await trx.selectFrom('scim_tokens').select((eb) => eb.fn.countAll<string>().as('n')).where('site_id', '=', siteId).where('revoked_at', 'is', null).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The site's tokens, newest first, revoked ones included (they name past audit events). */
export async function listScimTokens(db: Executor, siteId: string): Promise<ScimTokenRow[]> {
  const rows = await db
    .selectFrom('scim_tokens as t')
    .leftJoin('accounts as a', 'a.account_id', 't.created_by')
    .select(['t.id', 't.label', 't.created_at', 't.last_used_at', 't.revoked_at', 'a.display_name as created_by_name'])
    .where('t.site_id', '=', siteId)
    .orderBy('t.created_at', 'desc')
    .orderBy('t.id')
    .limit(200)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    label: r.label,
    createdAt: new Date(r.created_at),
    createdByLabel: r.created_by_name,
    lastUsedAt: r.last_used_at ? new Date(r.last_used_at) : null,
    revokedAt: r.revoked_at ? new Date(r.revoked_at) : null,
  }));
}

/** Marks a live token of the site revoked; its label, or undefined when the site has no such live token. */
export async function revokeScimTokenRow(trx: Executor, siteId: string, tokenId: string, now: Date): Promise<string | undefined> {
  const row = await trx
    .updateTable('scim_tokens')
    .set({ revoked_at: now })
    .where('id', '=', tokenId)
    .where('site_id', '=', siteId)
    .where('revoked_at', 'is', null)
    .returning('label')
    .executeTakeFirst();
  return row?.label;
}

export async function siteScimOnDelete(db: Executor, siteId: string): Promise<'revoke' | 'delete'> {
  const r = await db.selectFrom('sites').select('scim_on_delete').where('id', '=', siteId).executeTakeFirstOrThrow();
  return r.scim_on_delete;
}

export async function setSiteScimOnDelete(trx: Executor, siteId: string, onDelete: 'revoke' | 'delete'): Promise<void> {
  await trx.updateTable('sites').set({ scim_on_delete: onDelete }).where('id', '=', siteId).execute();
}

/** A customer as SCIM presents it; userName is their email unless the identity provider gave another. */
export interface ScimUserRow {
  accountId: string;
  email: string;
  displayName: string;
  active: boolean;
  createdAt: Date;
  lastModified: Date;
  userName: string;
  externalId: string | null;
  /** whether the identity provider has named this customer (a scim_users row exists) */
  linked: boolean;
}

export type ScimUserCondition = { attribute: 'userName' | 'externalId' | 'email' | 'id'; value: string } | null;

function scimUsersQuery(db: Executor, siteId: string, condition: ScimUserCondition) {
  let q = db
    .selectFrom('accounts as a')
    .leftJoin('scim_users as u', 'u.account_id', 'a.account_id')
    .where('a.kind', '=', 'customer')
    .where('a.site_id', '=', siteId)
    .where('a.status', '<>', 'deleted');
  if (condition) {
    const lower = condition.value.trim().toLowerCase();
    if (condition.attribute === 'id') q = q.where('a.account_id', '=', condition.value);
    else if (condition.attribute === 'externalId') q = q.where('u.external_id', '=', condition.value);
    else if (condition.attribute === 'email') q = q.where('a.email_lower', '=', lower);
    else {
      q = q.where((eb) =>
        eb.or([
          eb.and([eb('u.site_id', '=', siteId), eb('u.user_name_lower', '=', lower)]),
          eb.and([eb('u.account_id', 'is', null), eb('a.email_lower', '=', lower)]),
        ]),
      );
    }
  }
  return q;
}

/** One page of the site's customers as SCIM users (oldest first) and how many match in all. */
export async function listScimUsers(db: Db, siteId: string, condition: ScimUserCondition, page: { offset: number; count: number }): Promise<{ total: number; rows: ScimUserRow[] }> {
  const total = await scimUsersQuery(db, siteId, condition).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows =
    page.count === 0
      ? []
      : await scimUsersQuery(db, siteId, condition)
          .select(SCIM_USER_COLUMNS)
          .orderBy('a.created_at')
          .orderBy('a.account_id')
          .limit(page.count)
          .offset(page.offset)
          .execute();
  return { total: Number(total.n), rows: rows.map(toScimUser) };
}

const SCIM_USER_COLUMNS = ['a.account_id', 'a.email', 'a.display_name', 'a.status', 'a.created_at', 'a.revoked_at', 'u.user_name', 'u.external_id', 'u.account_id as linked_id'] as const;

function toScimUser(r: {
  account_id: string;
  email: string | null;
  display_name: string | null;
  status: string;
  created_at: Date;
  revoked_at: Date | null;
  user_name: string | null;
  external_id: string | null;
  linked_id: string | null;
}): ScimUserRow {
  const created = new Date(r.created_at);
  const revoked = r.revoked_at ? new Date(r.revoked_at) : null;
  return {
    accountId: r.account_id,
    email: r.email ?? '',
    displayName: r.display_name ?? '',
    active: r.status === 'active',
    createdAt: created,
    lastModified: revoked && revoked > created ? revoked : created,
    userName: r.user_name ?? r.email ?? '',
    externalId: r.external_id,
    linked: r.linked_id !== null,
  };
}

export async function findScimUser(db: Executor, siteId: string, accountId: string): Promise<ScimUserRow | undefined> {
  const row = await scimUsersQuery(db, siteId, { attribute: 'id', value: accountId }).select(SCIM_USER_COLUMNS).executeTakeFirst();
  return row && toScimUser(row);
}

/** Another customer of the site already known by this userName (or, unlinked, by this email as userName). */
export async function findUserNameHolder(db: Executor, siteId: string, userName: string): Promise<string | undefined> {
  const row = await scimUsersQuery(db, siteId, { attribute: 'userName', value: userName }).select('a.account_id').executeTakeFirst();
  return row?.account_id;
}

/** Writes the identity provider's names of a customer (insert or replace). */
export async function saveScimNames(trx: Executor, names: { accountId: string; siteId: string; userName: string; externalId: string | null }): Promise<void> {
  await trx
    .insertInto('scim_users')
    .values({ account_id: names.accountId, site_id: names.siteId, user_name: names.userName, user_name_lower: names.userName.toLowerCase(), external_id: names.externalId })
    .onConflict((oc) => oc.column('account_id').doUpdateSet({ user_name: names.userName, user_name_lower: names.userName.toLowerCase(), external_id: names.externalId }))
    .execute();
}
