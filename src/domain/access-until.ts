import { badRequest } from './errors.js';

/** Dated access ends at most ten years ahead (docs/product.md#access-until). */
export const ACCESS_UNTIL_MAX_YEARS = 10;

/**
 * "Access until" as an admin sends it: an ISO 8601 time (with a zone, or UTC) in the future, at most
 * ten years ahead; anything else is a 400 naming the field.
 */
export function parseAccessUntil(value: string, now: Date, field = 'until'): Date {
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
  const at = iso.test(value.trim()) ? new Date(value.trim()) : new Date(NaN);
  if (Number.isNaN(at.getTime())) {
    const m = `'${field}' must be a date and time in ISO 8601, such as 2027-03-31T17:00:00Z.`;
    throw badRequest(m, { [field]: m });
  }
  if (at.getTime() <= now.getTime()) {
    const m = `'${field}' must be in the future.`;
    throw badRequest(m, { [field]: m });
  }
  const max = new Date(now);
  max.setUTCFullYear(max.getUTCFullYear() + ACCESS_UNTIL_MAX_YEARS);
  if (at > max) {
    const m = `'${field}' can be at most ${ACCESS_UNTIL_MAX_YEARS} years ahead.`;
    throw badRequest(m, { [field]: m });
  }
  return at;
}
