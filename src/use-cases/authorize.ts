import { forbidden, notFound } from '../domain/errors.js';
import type { Decision } from '../domain/policies.js';

/**
 * Turns a policy's decision (domain/policies/) into the answer: nothing on allow, 404 or 403 with
 * the use case's own words otherwise. The one place a denial becomes an error.
 */
export function enforce(decision: Decision, messages: { notFound?: string; forbidden?: string }): void {
  if (decision === 'not_found') throw notFound(messages.notFound);
  if (decision === 'forbidden') throw forbidden(messages.forbidden);
}
