import type { FastifyInstance } from 'fastify';
import { badRequest } from '../../domain/errors.js';

/**
 * Refusals of input no route could handle, before any route runs (each found by the route fuzzer):
 *
 * - A Host header that is no valid authority (a port over 65535, a space): links are built from
 *   the request's origin, and such a host breaks every URL built from it. 400, as HTTP asks.
 * - PostgreSQL cannot store or compare text holding U+0000 (NUL): a query given one fails, which
 *   would answer 500. No field of Portico has a use for it, so any path value, query value or JSON
 *   string (or object key) holding one is refused before validation, with a 400 naming it.
 */
export function registerInputGuards(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    const host = request.host;
    if (host && !URL.canParse(`http://${host}`)) throw badRequest('The Host header is not valid.');
  });

  app.addHook('preValidation', async (request) => {
    const field = fieldWithNul(request.params, 'path') ?? fieldWithNul(request.query, 'query') ?? fieldWithNul(request.body, 'body');
    if (field !== null) {
      const message = `'${field}' must not contain the NUL character.`;
      throw badRequest(message, { [field]: message });
    }
  });
}

/** The path of the first string or key holding a NUL ("fields.summary", "accountIds.2"), or null. Iterative: a JSON body may nest deeply. */
function fieldWithNul(root: unknown, wholeName: string): string | null {
  const stack: Array<[unknown, string]> = [[root, '']];
  const join = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));
  while (stack.length) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return path || wholeName;
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push([v, join(path, i)]));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k.includes('\u0000')) return join(path, k.replace(/\u0000/g, '\\0'));
        stack.push([v, join(path, k)]);
      }
    }
  }
  return null;
}
