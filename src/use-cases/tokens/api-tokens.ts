import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { appendAuditEvent } from '../../db/queries/audit.js';
import { AppError, badRequest } from '../../domain/errors.js';
import { decideOwnApiTokens, type Actor, type StaffActor } from '../../domain/policies.js';
import { hashSecret, newSecret } from '../../domain/secrets.js';
import { enforce } from '../authorize.js';

// API tokens, shared by their use cases: who has them (domain/policies/tokens.ts), the label rule,
// and issuing one.

export const API_TOKEN_LABEL_MAX = 100;
export const API_TOKENS_PER_ACCOUNT_MAX = 100;

export interface CreatedApiToken {
  id: string;
  label: string;
  /** the secret, shown once: only its hash is stored */
  token: string;
}

/** The actor, if they may have API tokens at all (staff); a customer gets 403. */
export function tokenOwner(actor: Actor): StaffActor {
  enforce(decideOwnApiTokens(actor), { forbidden: 'Only staff accounts have API tokens.' });
  if (actor.kind !== 'staff') throw new Error('API tokens were allowed to a customer');
  return actor;
}

/** The label as stored (trimmed), or 400. */
export function checkTokenLabel(raw: string | undefined): string {
  const label = (raw ?? '').trim();
  if (label.length > API_TOKEN_LABEL_MAX) {
    throw badRequest(`The label must be at most ${API_TOKEN_LABEL_MAX} characters.`, { label: `At most ${API_TOKEN_LABEL_MAX} characters.` });
  }
  if (/[\u0000-\u001f\u007f]/.test(label)) throw badRequest('The label must not contain control characters.', { label: 'No control characters.' });
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(label)) {
    throw badRequest('The label contains characters that are not valid text.', { label: 'Not valid text.' });
  }
  return label;
}

/** Issues a token to `accountId` inside the caller's transaction, with its `api_token.created` audit event. */
export async function issueApiToken(
  trx: Transaction<Database>,
  input: { accountId: string; actorId: string; label: string; via: 'cli' | 'profile'; ip: string | null; userAgent: string | null },
): Promise<CreatedApiToken> {
  const active = await trx
    .selectFrom('api_tokens')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('account_id', '=', input.accountId)
    .where('revoked_at', 'is', null)
    .executeTakeFirstOrThrow();
  if (Number(active.n) >= API_TOKENS_PER_ACCOUNT_MAX) {
    throw new AppError('conflict', `An account can have at most ${API_TOKENS_PER_ACCOUNT_MAX} API tokens. Revoke one first.`);
  }

  const id = randomUUID();
  const token = `ptc_${newSecret()}`;
  await trx.insertInto('api_tokens').values({ id, account_id: input.accountId, label: input.label, token_hash: hashSecret(token) }).execute();
  await appendAuditEvent(trx, {
    action: 'api_token.created',
    orgId: null,
    siteId: null,
    actorId: input.actorId,
    targetId: input.accountId,
    ip: input.ip,
    userAgent: input.userAgent,
    details: { tokenId: id, label: input.label, via: input.via },
  });
  return { id, label: input.label, token };
}
