import type { ActorContext } from '../context.js';
import { tokenOwner } from './api-tokens.js';

export interface ApiTokenSummary {
  id: string;
  label: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** The signed-in staff member's live API tokens, newest first — never the secrets. */
export async function listApiTokens(ctx: ActorContext): Promise<ApiTokenSummary[]> {
  const owner = tokenOwner(ctx.actor);
  const rows = await ctx.db
    .selectFrom('api_tokens')
    .select(['id', 'label', 'created_at', 'last_used_at'])
    .where('account_id', '=', owner.accountId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    label: r.label,
    createdAt: new Date(r.created_at).toISOString(),
    lastUsedAt: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
  }));
}
