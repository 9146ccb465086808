import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';
import { pino } from 'pino';
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

/**
 * Standard output, written in batches: lines gather up to 4 KB and go out at least once a second
 * (and at exit), instead of one write call per line — a write per request was 7% of a request's
 * time (docs/benchmarks.md, "Per-request overhead").
 */
function standardOutput(): pino.DestinationStream {
  return pino.destination({ dest: process.stdout.fd ?? 1, minLength: 4096, periodicFlush: 1000, sync: false });
}

const SECRET_FIELDS = ['password', 'newPassword', 'currentPassword', 'token', 'csrfToken'];

/** Fastify's `logger` option: the level, what a request and a reply look like in a line, redaction. */
export function loggerOptions(level: LogLevel, stream?: { write(line: string): void }): FastifyServerOptions['logger'] {
  return {
    level,
    stream: stream ?? standardOutput(),
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

/**
 * One line per request once it is answered (Fastify's own two lines per request are switched off).
 * The line is written by a logger of its own on the app logger's destination, without redaction:
 * it is built here from chosen fields only (the URL with its secret-looking values blanked), so
 * there is nothing to censor, and matching the redaction paths against every line was 5% of a
 * request's time (docs/benchmarks.md, "Per-request overhead"). Everything else that logs a request —
 * an error, a plugin — still goes through the redacting app logger.
 */
export function registerRequestLogging(app: FastifyInstance) {
  const access = pino({ level: app.log.level }, (app.log as unknown as Record<symbol, pino.DestinationStream>)[pino.symbols.streamSym]);
  // The id goes back only to a caller that sent one (a proxy tying its log to ours). Answers to
  // requests without one carry no per-request header, so two refusals stay byte for byte alike
  // (docs/security.md, R4: no account-state oracle).
  app.addHook('onRequest', (request, reply, done) => {
    if (request.headers['x-request-id'] !== undefined) reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    access.info(
      {
        reqId: request.id,
        req: { method: request.method, url: redactUrl(request.url), remoteAddress: request.ip },
        res: { statusCode: reply.statusCode },
        responseTime: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request completed',
    );
    done();
  });
}
