import { Type, type TProperties, type TSchema } from 'typebox';
import type { ErrorCode } from '../../domain/errors.js';

// The building blocks of every response schema (docs/architecture.md, "One contract between server
// and web"). Fastify serialises each answer with its route's schema and drops what the schema does
// not declare, so a schema lists every field its presenter sends; the web app reads the same
// schemas as types (`Static<typeof …>`), and test/integration/contract.test.ts checks both agree.

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** A timestamp as the internal JSON API sends it: ISO 8601 in UTC (Date#toISOString). */
export const DateTime = Type.String({ format: 'date-time' });

const PAGE_WINDOW = { start: Type.Integer(), limit: Type.Integer(), isLastPage: Type.Boolean() };

/**
 * The internal API's page envelope, `{start, limit, total, isLastPage, values}`, written once.
 * `extra` adds fields beside the envelope (the project a queue belongs to).
 */
export function Page<T extends TSchema, E extends TProperties = {}>(item: T, options: { extra?: E } = {}) {
  return Type.Object({ ...(options.extra ?? ({} as E)), ...PAGE_WINDOW, total: Type.Integer(), values: Type.Array(item) });
}

/** The same envelope for the lists that do not count their rows: no `total`. */
export function UncountedPage<T extends TSchema, E extends TProperties = {}>(item: T, options: { extra?: E } = {}) {
  return Type.Object({ ...(options.extra ?? ({} as E)), ...PAGE_WINDOW, values: Type.Array(item) });
}

/** The `{values: [...]}` of a short list sent whole. */
export const List = <T extends TSchema>(item: T) => Type.Object({ values: Type.Array(item) });

/** An answer without a body (204). */
export const NoContent = Type.Null({ description: 'no content' });

/**
 * The machine names an internal-API error carries in `code`: the domain's (an AppError's own code)
 * and the transport's (what the HTTP layer refuses before or around a use case).
 */
export type ApiErrorCode =
  | ErrorCode
  | 'payload_too_large'
  | 'uri_too_long'
  | 'method_not_allowed'
  | 'unavailable'
  | 'internal';

const API_ERROR_CODES: readonly ApiErrorCode[] = [
  'bad_request',
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'csrf',
  'not_found',
  'method_not_allowed',
  'conflict',
  'payload_too_large',
  'uri_too_long',
  'unsupported_media_type',
  'rate_limited',
  'internal',
  'unavailable',
];

/** Atlassian's error fields, shared by both surfaces (docs/product.md#rest-errors). */
const ATLASSIAN_ERROR_FIELDS = {
  errorMessages: Type.Array(Type.String()),
  errors: Type.Record(Type.String(), Type.String(), { description: 'field or parameter name → message' }),
  status: Type.Integer(),
  errorMessage: Type.String({ description: 'the first of errorMessages' }),
};

/** An error of the internal JSON API: Atlassian's fields plus the stable machine `code`. */
export const ApiErrorSchema = Type.Object(
  {
    code: Type.Unsafe<ApiErrorCode>({ type: 'string', enum: [...API_ERROR_CODES] }),
    ...ATLASSIAN_ERROR_FIELDS,
  },
  { description: 'Internal API error: Atlassian error shape plus a machine code' },
);

/** An error of the REST API, exactly Atlassian's shape (no `code`). */
export const RestErrorSchema = Type.Object(ATLASSIAN_ERROR_FIELDS, { description: 'Atlassian error collection' });

/**
 * Every error status of an internal route: the usual ones by name (for the API docs), and any other
 * 4xx or 5xx by class (any route may be refused — 413, 415, 429 — or fail).
 */
export const apiErrors = { 400: ApiErrorSchema, 401: ApiErrorSchema, 403: ApiErrorSchema, 404: ApiErrorSchema, '4xx': ApiErrorSchema, '5xx': ApiErrorSchema } as const;

/** Every error status of a REST route, the same way. */
export const restErrors = { 400: RestErrorSchema, 401: RestErrorSchema, 403: RestErrorSchema, 404: RestErrorSchema, '4xx': RestErrorSchema, '5xx': RestErrorSchema } as const;

/** GET /healthz. */
export const HealthSchema = Type.Object({ status: Type.Literal('ok') });

/** GET /api/openapi.json: the OpenAPI document @fastify/swagger generates from these schemas, sent whole. */
export const OpenApiDocumentSchema = Type.Object({}, { additionalProperties: true, description: 'OpenAPI 3 document' });
