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
      saml:
        r.protocol === 'saml'
          ? {
              metadataUrl: r.saml_metadata_url,
              metadataXml: r.saml_metadata_xml ?? '',
              ssoUrl: r.saml_sso_url ?? '',
              certificates: (r.saml_certificates ?? '').split('\n').filter(Boolean),
            }
          : null,
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
    saml_metadata_url: p.saml?.metadataUrl ?? null,
    saml_metadata_xml: p.saml?.metadataXml ?? null,
    saml_sso_url: p.saml?.ssoUrl ?? null,
    saml_certificates: p.saml ? p.saml.certificates.join('\n') : null,
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
  /** OIDC: the ID token's nonce; SAML: the AuthnRequest id the response must answer */
  nonce: string;
  /** OIDC: the PKCE verifier; SAML: empty */
  codeVerifier: string;
  nextPath: string | null;
  protocol?: 'oidc' | 'saml';
}

/** A SAML sign-in whose response was checked: what the provider asserted (undefined: not checked). */
export interface VouchedPendingSignIn extends PendingSignIn {
  vouched: { email: string | null; name: string | null } | null;
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
      protocol: p.protocol ?? 'oidc',
      expires_at: sql<Date>`now() + make_interval(mins => ${minutes})`,
    })
    .execute();
  // the table holds only sign-ins under way: an abandoned one is dropped by a later start
  if (Math.random() < 0.05) {
    await db.deleteFrom('sso_sign_ins').where('expires_at', '<', sql<Date>`now()`).execute();
    await db.deleteFrom('saml_assertions_seen').where('expires_at', '<', sql<Date>`now()`).execute();
  }
}

/**
 * Takes the pending sign-in of a state: deleted in the same statement, so a state is good once
 * whoever comes back with it first (a replayed callback finds nothing). Undefined when there is
 * none, it is another site's, or it has expired.
 */
export async function takePendingSignIn(db: Executor, stateHash: string, siteId: string): Promise<VouchedPendingSignIn | undefined> {
  const r = await db
    .deleteFrom('sso_sign_ins')
    .where('state_hash', '=', stateHash)
    .returning(['site_id', 'browser_hash', 'nonce', 'code_verifier', 'next_path', 'protocol', 'vouched', 'vouched_email', 'vouched_name', sql<boolean>`expires_at > now()`.as('fresh')])
    .executeTakeFirst();
  if (!r || r.site_id !== siteId || !r.fresh) return undefined;
  return {
    siteId: r.site_id,
    browserHash: r.browser_hash,
    nonce: r.nonce,
    codeVerifier: r.code_verifier,
    nextPath: r.next_path,
    protocol: r.protocol,
    vouched: r.vouched ? { email: r.vouched_email, name: r.vouched_name } : null,
  };
}

/**
 * A SAML sign-in under way, unchecked: read without taking it (the browser that started it takes it
 * afterwards). Undefined when there is none, it is another site's, not SAML, already checked, or
 * expired.
 */
export async function findUncheckedSamlSignIn(db: Executor, stateHash: string, siteId: string): Promise<{ requestId: string } | undefined> {
  const r = await db
    .selectFrom('sso_sign_ins')
    .select('nonce')
    .where('state_hash', '=', stateHash)
    .where('site_id', '=', siteId)
    .where('protocol', '=', 'saml')
    .where('vouched', '=', false)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return r && { requestId: r.nonce };
}

/** Records what the checked response asserted; false when another response got there first. */
export async function markSamlSignInVouched(db: Executor, stateHash: string, vouched: { email: string | null; name: string | null }): Promise<boolean> {
  const r = await db
    .updateTable('sso_sign_ins')
    .set({ vouched: true, vouched_email: vouched.email, vouched_name: vouched.name })
    .where('state_hash', '=', stateHash)
    .where('vouched', '=', false)
    .returning('state_hash')
    .executeTakeFirst();
  return r !== undefined;
}

export async function dropPendingSignIn(db: Executor, stateHash: string): Promise<void> {
  await db.deleteFrom('sso_sign_ins').where('state_hash', '=', stateHash).execute();
}

/**
 * Records that a SAML assertion was used, until it expires; false when its id was seen on this
 * site before (a replay, on this instance or any other sharing the database).
 */
export async function recordSamlAssertion(db: Executor, siteId: string, assertionId: string, expiresAt: Date): Promise<boolean> {
  const r = await db
    .insertInto('saml_assertions_seen')
    .values({ site_id: siteId, assertion_id: assertionId, expires_at: expiresAt })
    .onConflict((oc) => oc.columns(['site_id', 'assertion_id']).doNothing())
    .returning('assertion_id')
    .executeTakeFirst();
  return r !== undefined;
}
