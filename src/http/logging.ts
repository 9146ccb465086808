import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { LogLevel } from '../config.js';

// Request logging: Fastify's own logger (pino), one JSON line per request when its answer has
// gone out, tagged with the request id. What is logged of a request is chosen here (method, URL,
// client address, status, time) and never carries a header or a body; the URL's query values of
// secret-looking names are blanked, and pino's redaction censors the usual secret fields should an
// error or a plugin log a request's headers or body.

const CENSOR = '[REDACTED]';

/** A request id a client or proxy may send (and gets back): short, and nothing that could forge a log line. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The id of a request: a well-formed `x-request-id` it carries (from a proxy, say), else a new UUID. */
export function requestIdOf(request: { headers: Record<string, string | string[] | undefined> }): string {
  const sent = request.headers['x-request-id'];
  return typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
}

/** Query parameters whose values are secrets (a password-reset link carries `?token=`). */
const SECRET_PARAM = /token|password|secret|code/i;

/** The URL as logged: the value of every secret-looking query parameter replaced. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // a broken escape: judge the name as written
      }
      return eq >= 0 && SECRET_PARAM.test(decoded) ? `${name}=${CENSOR}` : pair;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

const SECRET_FIELDS = ['password', 'newPassword', 'currentPassword', 'token', 'csrfToken'];

/** Fastify's `logger` option: the level, what a request and a reply look like in a line, redaction. */
export function loggerOptions(level: LogLevel, stream?: { write(line: string): void }): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: {
      paths: [
        ...['authorization', 'cookie', '"set-cookie"', '"x-csrf-token"', '"x-portico-cli-secret"'].flatMap((h) => [
          `req.headers.${h}`,
          `res.headers.${h}`,
          `headers.${h}`,
        ]),
        ...SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `req.body.${f}`]),
      ],
      censor: CENSOR,
    },
    serializers: {
      req: (request: FastifyRequest) => ({ method: request.method, url: redactUrl(request.url), remoteAddress: request.ip }),
      res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
    },
  };
}

/** One line per request once it is answered (Fastify's own two lines per request are switched off). */
export function registerRequestLogging(app: FastifyInstance) {
  // The id goes back only to a caller that sent one (a proxy tying its log to ours). Answers to
  // requests without one carry no per-request header, so two refusals stay byte for byte alike
  // (docs/security.md, R4: no account-state oracle).
  app.addHook('onRequest', async (request, reply) => {
    if (request.headers['x-request-id'] !== undefined) reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ req: request, res: reply, responseTime: Math.round(reply.elapsedTime * 10) / 10 }, 'request completed');
  });
}
