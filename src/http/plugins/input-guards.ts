import { Stream } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { badRequest } from '../../domain/errors.js';

/**
 * Refusals of input no route could handle, before any route runs (each found by the route fuzzer):
 *
 * - A Host header that is no valid authority (a port over 65535, a space): 400, as HTTP asks.
 *   Links never come from it (they come from the public URL), but nothing downstream should have
 *   to cope with a host no URL can hold.
 * - Text PostgreSQL cannot store: U+0000 (NUL), which no text column can hold, and half of a
 *   UTF-16 surrogate pair (a JSON "\ud800" alone), which is no Unicode character and which the
 *   embedded database refuses as invalid UTF-8. A query given either fails, which would answer 500.
 *   Any path value, query value or JSON string (or object key) holding one is refused before
 *   validation, with a 400 naming it.
 * - JSON nested deeper than MAX_JSON_DEPTH levels: parsing takes it, but anything that walks it
 *   again recursively (JSON.stringify of an entity property's value) runs out of stack, which would
 *   answer 500. No value of the API needs a hundredth level.
 * - Infinity as a number: JSON bodies are validated with strictNumbers (a JSON 1e999), and the
 *   query string and path are checked after their text is coerced (ajv lets "Infinity" through).
 */
export function registerInputGuards(app: FastifyInstance): void {
  // The hooks answer through `done`, not as async functions: they run on every request, and an async
  // hook costs a promise and a turn of the microtask queue each (docs/benchmarks.md, "HTTP throughput
  // of an authenticated request", 2026-12-05).
  // The Host a server is reached by hardly varies: the last valid one is not parsed again.
  let validHost = '';
  app.addHook('onRequest', (request, _reply, done) => {
    const host = request.host;
    if (!host || host === validHost) return done();
    if (!URL.canParse(`http://${host}`)) return done(badRequest('The Host header is not valid.'));
    validHost = host;
    done();
  });

  app.addHook('preValidation', (request, _reply, done) => {
    // Path and query values are decoded from the URL, and the HTTP parser refuses a request line with
    // a NUL or any byte outside ASCII: without a percent escape they can hold neither NUL nor half a
    // surrogate pair, so only a URL with an escape is walked.
    const escaped = request.url.includes('%');
    const found =
      (escaped ? (unstorableText(request.params, 'path') ?? unstorableText(request.query, 'query')) : null) ??
      unstorableText(request.body, 'body');
    if (!found) return done();
    const message =
      found.problem === 'nul'
        ? `'${found.field}' must not contain the NUL character.`
        : found.problem === 'deep'
          ? `'${found.field}' is nested too deeply (at most ${MAX_JSON_DEPTH} levels).`
          : `'${found.field}' is not valid Unicode text (half of a surrogate pair).`;
    done(badRequest(message, { [found.field]: message }));
  });

  // The validator turns query text into numbers, and takes "Infinity" (or "1e400") for an integer
  // when it does: after validation, no number of the query string or path may be infinite.
  app.addHook('preHandler', (request, _reply, done) => {
    const key = infiniteNumberIn(request.query) ?? infiniteNumberIn(request.params);
    if (key === undefined) return done();
    const message = `'${key}' must be a finite number.`;
    done(badRequest(message, { [key]: message }));
  });
}

const isInfinite = (value: unknown) => typeof value === 'number' && !Number.isFinite(value);

/** The name of a value of a parsed query string or path that is an infinite number (or holds one). */
function infiniteNumberIn(part: unknown): string | undefined {
  if (part === null || typeof part !== 'object') return undefined;
  for (const key of Object.keys(part)) {
    const value = (part as Record<string, unknown>)[key];
    if (isInfinite(value) || (Array.isArray(value) && value.some(isInfinite))) return key;
  }
  return undefined;
}

type Problem = 'nul' | 'surrogate' | 'deep';

/** How deeply a JSON body may nest arrays and objects. */
export const MAX_JSON_DEPTH = 100;

/**
 * Parsed JSON, query strings and path parameters are walked; a file's bytes (a Buffer) and a request
 * stream (an attachment's upload) are not text and are not — a Buffer's entries are its bytes, so
 * walking one cost about a second of CPU per megabyte uploaded, and a stream's properties lead into
 * the socket and the server.
 */
function isWalkable(value: unknown): value is object {
  return value !== null && typeof value === 'object' && !ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer) && !(value instanceof Stream);
}

function problemOf(text: string): Problem | null {
  if (text.includes('\u0000')) return 'nul';
  return text.isWellFormed() ? null : 'surrogate';
}

/**
 * The first string or key (in document order) that cannot be stored, or the first array or object
 * nested deeper than MAX_JSON_DEPTH, with its path ("fields.summary", "accountIds.2"), or null.
 * Iterative: a JSON body may nest deeply.
 */
function unstorableText(root: unknown, wholeName: string): { field: string; problem: Problem } | null {
  const stack: Array<[unknown, string, number]> = [[root, '', 0]];
  const join = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));
  while (stack.length) {
    const [value, path, depth] = stack.pop()!;
    if (typeof value === 'string') {
      const problem = problemOf(value);
      if (problem) return { field: path || wholeName, problem };
    } else if (Array.isArray(value)) {
      if (depth >= MAX_JSON_DEPTH) return { field: wholeName, problem: 'deep' };
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], join(path, i), depth + 1]);
    } else if (isWalkable(value)) {
      if (depth >= MAX_JSON_DEPTH) return { field: wholeName, problem: 'deep' };
      const entries = Object.entries(value);
      for (const [k] of entries) {
        const problem = problemOf(k);
        if (problem) return { field: join(path, k.replace(/\u0000/g, '\\0').toWellFormed()), problem };
      }
      for (let i = entries.length - 1; i >= 0; i--) stack.push([entries[i][1], join(path, entries[i][0]), depth + 1]);
    }
  }
  return null;
}
