import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.js';
import { isDatabaseAtBound } from '../../db/errors.js';
import type { ApiErrorCode } from '../schemas/common.js';
import { plainValidation } from '../validation-messages.js';
import { SCIM_ERROR_SCHEMA, ScimProblem } from '../../domain/scim.js';

/** Seconds a client is asked to wait before retrying a request the database stopped (503). */
export const RETRY_AFTER_SECONDS = 5;

/** The REST API (Atlassian's shapes, docs/product.md#rest-api) lives under /s/{site}/rest/; everything else is Portico's own. */
export function isRestUrl(url: string): boolean {
  return /^\/s\/[^/?#]+\/rest(?:[/?#]|$)/.test(url);
}

const CODE_OF_STATUS: Record<number, ApiErrorCode> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'unavailable',
};

/** The machine code of an error that carries none of its own: by its status. */
export function codeOfStatus(status: number): ApiErrorCode {
  return CODE_OF_STATUS[status] ?? (status >= 500 ? 'internal' : 'bad_request');
}

/** Atlassian's error shape; `errorMessage` too, so JSM clients find their field (docs/product.md#rest-errors). */
export function errorBody(status: number, messages: string[], errors: Record<string, string> = {}) {
  return { errorMessages: messages, errors, status, errorMessage: messages[0] ?? '' };
}

/**
 * Sends an error: Atlassian's shape exactly on the REST API; on the internal JSON API the same
 * fields plus `code`, a stable machine name (schemas/common.ts ApiErrorSchema) that the web app and
 * scripts can branch on instead of the wording of a message.
 */
export function sendError(
  reply: FastifyReply,
  status: number,
  messages: string[],
  errors: Record<string, string> = {},
  code: ApiErrorCode = codeOfStatus(status),
) {
  const body = errorBody(status, messages, errors);
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send(isRestUrl(reply.request.url) ? body : { code, ...body });
}

/**
 * Errors the router raises before any route or hook runs (Fastify's `frameworkErrors`): a broken
 * %-escape in the path, a path segment over the router's length limit. Same shape as every other error.
 */
export function renderFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_BAD_URL') return sendError(reply, 400, ['The URL is not valid: it has a broken %-escape.']);
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return sendError(reply, 414, ['A part of the URL is too long.']);
  const status = error.statusCode ?? 500;
  return sendError(reply, status, [status < 500 ? error.message : 'Something went wrong on our side.']);
}

/**
 * The statement timeout fired, or no pooled connection came free in twice as long (db/errors.ts): the
 * server, not the request, is at its bound (the JQL budget refuses what is too costly with a 400
 * before it runs), and the same request may well pass when the database is less busy or a lock it
 * waited for is gone — so both error handlers answer 503 with Retry-After, each in its own shape.
 */
function answerDatabaseAtBound(request: FastifyRequest, reply: FastifyReply, error: unknown): void {
  request.log.warn({ err: error, url: request.url }, 'database at its bound: a statement ran to the statement timeout, or the wait for a connection to twice it');
  reply.header('retry-after', String(RETRY_AFTER_SECONDS));
}

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      // a service Portico depends on (the object store) failed: the person gets the plain message, the log the cause
      if (error.status >= 500) request.log.warn({ err: error.cause ?? error, url: request.url }, error.message);
      return sendError(reply, error.status, [error.message], error.fieldErrors, error.code);
    }
    if (isDatabaseAtBound(error)) {
      answerDatabaseAtBound(request, reply, error);
      return sendError(reply, 503, [
        'The database took too long to answer, so the request was stopped and nothing was changed. Try again in a moment, or narrow the search.',
      ]);
    }
    if (error.validation) {
      const { message, errors } = plainValidation(error.validation as never, error.validationContext, isRestUrl(request.url));
      return sendError(reply, 400, [message], errors, 'validation_failed');
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const message =
        error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 'The request body is too large.'
          : error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE'
            ? 'Unsupported content type.'
            : error.code?.startsWith('FST_ERR_CTP') || error instanceof SyntaxError
              ? 'The request body is not valid JSON.'
              : error.message;
      return sendError(reply, status, [message]);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendError(reply, 500, ['Something went wrong on our side.']);
  });
}

/** SCIM's error message (RFC 7644 §3.12), as application/scim+json. */
export function sendScimError(reply: FastifyReply, status: number, detail: string, scimType?: string) {
  return reply
    .code(status)
    .type('application/scim+json; charset=utf-8')
    .send({ schemas: [SCIM_ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail });
}

/**
 * The SCIM server's errors (routes/scim), in SCIM's shape whatever raised them: its own refusals
 * (ScimProblem, with their scimType), the shared use cases' (a 400 is invalidValue, a 409
 * uniqueness), validation, bodies that are no JSON (invalidSyntax), the statement timeout (503).
 */
export function registerScimErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof ScimProblem) {
      if (error.status === 401) reply.header('www-authenticate', 'Bearer realm="SCIM"');
      return sendScimError(reply, error.status, error.detail, error.scimType);
    }
    if (error instanceof AppError) {
      if (error.status >= 500) request.log.warn({ err: error.cause ?? error, url: request.url }, error.message);
      const scimType = error.status === 400 ? 'invalidValue' : error.status === 409 ? 'uniqueness' : undefined;
      return sendScimError(reply, error.status, error.message, scimType);
    }
    if (isDatabaseAtBound(error)) {
      answerDatabaseAtBound(request, reply, error);
      return sendScimError(reply, 503, 'The database took too long to answer, so the request was stopped and nothing was changed. Try again in a moment.');
    }
    if (error.validation) {
      const { message } = plainValidation(error.validation as never, error.validationContext, false);
      return sendScimError(reply, 400, message, error.validationContext === 'body' ? 'invalidSyntax' : 'invalidValue');
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendScimError(reply, 413, 'The request body is too large.');
      if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendScimError(reply, 415, 'Send the body as application/scim+json.');
      if (error.code?.startsWith('FST_ERR_CTP') || error instanceof SyntaxError) return sendScimError(reply, 400, 'The request body is not valid JSON.', 'invalidSyntax');
      return sendScimError(reply, status, error.message);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendScimError(reply, 500, 'Something went wrong on our side.');
  });
}
