import { sql, type Transaction } from 'kysely';
import type { Db } from '../connection.js';
import type { Database } from '../schema.js';
import { storedSignupDomains } from '../../domain/signup.js';
import type { IdentityProviderSettings } from '../../domain/identity-provider.js';

type Executor = Transaction<Database> | Db;

/** A site's identity provider as stored: the client secret still sealed. */
export interface StoredIdentityProvider extends IdentityProviderSettings {
  siteId: string;
  clientSecretSealed: string;
  updatedAt: Date;
}

export async function findIdentityProvider(db: Executor, siteId: string): Promise<StoredIdentityProvider | undefined> {
  const r = await db.selectFrom('site_identity_providers').selectAll().where('site_id', '=', siteId).executeTakeFirst();
  return (
    r && {
      siteId: r.site_id,
      protocol: r.protocol,
      displayName: r.display_name,
      enabled: r.enabled,
      issuer: r.issuer,
      clientId: r.client_id,
      clientSecretSealed: r.client_secret_sealed,
      scopes: r.scopes.split(' ').filter(Boolean),
      jitAccounts: r.jit_accounts,
      allowedDomains: storedSignupDomains(r.allowed_domains),
      passwordLogin: r.password_login,
      updatedAt: new Date(r.updated_at),
    }
  );
}

export async function upsertIdentityProvider(trx: Executor, siteId: string, p: IdentityProviderSettings & { clientSecretSealed: string; updatedBy: string | null }): Promise<void> {
  const values = {
    protocol: p.protocol,
    display_name: p.displayName,
    enabled: p.enabled,
    issuer: p.issuer,
    client_id: p.clientId,
    client_secret_sealed: p.clientSecretSealed,
    scopes: p.scopes.join(' '),
    jit_accounts: p.jitAccounts,
    allowed_domains: p.allowedDomains.join('\n'),
    password_login: p.passwordLogin,
    updated_by: p.updatedBy,
    updated_at: sql<Date>`now()`,
  };
  await trx
    .insertInto('site_identity_providers')
    .values({ site_id: siteId, ...values })
    .onConflict((oc) => oc.column('site_id').doUpdateSet(values))
    .execute();
}

export async function deleteIdentityProvider(trx: Executor, siteId: string): Promise<boolean> {
  const r = await trx.deleteFrom('site_identity_providers').where('site_id', '=', siteId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Whether the site's help center still takes passwords (true without a provider, or one that is off). */
export async function passwordLoginAllowed(db: Executor, siteId: string): Promise<boolean> {
  const r = await db.selectFrom('site_identity_providers').select(['password_login', 'enabled']).where('site_id', '=', siteId).executeTakeFirst();
  return !r || !r.enabled || r.password_login;
}

export interface PendingSignIn {
  siteId: string;
  browserHash: string;
  nonce: string;
  codeVerifier: string;
  nextPath: string | null;
}

export async function insertPendingSignIn(db: Executor, stateHash: string, p: PendingSignIn, minutes: number): Promise<void> {
  await db
    .insertInto('sso_sign_ins')
    .values({
      state_hash: stateHash,
      site_id: p.siteId,
      browser_hash: p.browserHash,
      nonce: p.nonce,
      code_verifier: p.codeVerifier,
      next_path: p.nextPath,
      expires_at: sql<Date>`now() + make_interval(mins => ${minutes})`,
    })
    .execute();
  // the table holds only sign-ins under way: an abandoned one is dropped by a later start
  if (Math.random() < 0.05) await db.deleteFrom('sso_sign_ins').where('expires_at', '<', sql<Date>`now()`).execute();
}

/**
 * Takes the pending sign-in of a state: deleted in the same statement, so a state is good once
 * whoever comes back with it first (a replayed callback finds nothing). Undefined when there is
 * none, it is another site's, or it has expired.
 */
export async function takePendingSignIn(db: Executor, stateHash: string, siteId: string): Promise<PendingSignIn | undefined> {
  const r = await db
    .deleteFrom('sso_sign_ins')
    .where('state_hash', '=', stateHash)
    .returning(['site_id', 'browser_hash', 'nonce', 'code_verifier', 'next_path', sql<boolean>`expires_at > now()`.as('fresh')])
    .executeTakeFirst();
  if (!r || r.site_id !== siteId || !r.fresh) return undefined;
  return { siteId: r.site_id, browserHash: r.browser_hash, nonce: r.nonce, codeVerifier: r.code_verifier, nextPath: r.next_path };
}
