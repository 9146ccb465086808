import type { Actor, StaffActor } from './actor.js';

/**
 * API tokens belong to staff accounts, and each person manages their own: a customer is refused
 * (403), and someone else's token does not exist for them (404).
 */
export function decideOwnApiTokens(actor: Actor): 'allow' | 'forbidden' {
  return actor.kind === 'staff' ? 'allow' : 'forbidden';
}

export function decideApiToken(actor: StaffActor, token: { accountId: string } | undefined): 'allow' | 'not_found' {
  return token && token.accountId === actor.accountId ? 'allow' : 'not_found';
}
