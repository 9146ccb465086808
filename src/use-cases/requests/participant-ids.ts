import { badRequest } from '../../domain/errors.js';

/** The most people one field, or one share, may name at once. */
export const MAX_PEOPLE_PER_FIELD = 50;

/** A user value sent as "qm:…" or {accountId: "qm:…"} (as some REST clients send it). */
export function accountIdOf(value: unknown): string | null | undefined {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (value && typeof value === 'object' && typeof (value as { accountId?: unknown }).accountId === 'string') {
    return accountIdOf((value as { accountId: string }).accountId);
  }
  return undefined;
}

/** A list of people to share a request with, as account ids (400 naming `errorKey` otherwise). */
export function parseParticipantIds(raw: unknown, errorKey: string): string[] {
  const fieldError = (message: string) => badRequest(message, { [errorKey]: message });
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw fieldError(`'${errorKey}' must be a list of account ids.`);
  if (raw.length > MAX_PEOPLE_PER_FIELD) throw fieldError(`At most ${MAX_PEOPLE_PER_FIELD} people can be added at once.`);
  const ids: string[] = [];
  for (const item of raw) {
    const id = accountIdOf(item);
    if (!id) throw fieldError(`'${errorKey}' must be a list of account ids.`);
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}
