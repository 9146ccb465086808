import type { FastifyRequest } from 'fastify';

/**
 * The one reading of a JSON request body (application/json, and SCIM's application/scim+json): an
 * empty body is no body (jira.js sends one on PUT); text that is not JSON is a 400 in words.
 */
export function parseJsonBody(_req: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void): void {
  const text = String(body);
  if (text.trim() === '') return done(null, undefined);
  try {
    done(null, JSON.parse(text));
  } catch {
    const err = new SyntaxError('The request body is not valid JSON.') as SyntaxError & { statusCode: number };
    err.statusCode = 400;
    done(err, undefined);
  }
}
