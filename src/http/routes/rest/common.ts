import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireSite } from '../../plugins/auth.js';
import { restBase } from '../../presenters/rest/common.js';
import { MAX_OFFSET, OFFSET_SCHEMA } from '../../../domain/limits.js';

export const SiteParams = Type.Object({ site: Type.String({ description: 'site slug' }) });

export const PageQuery = {
  start: Type.Optional(Type.Integer({ ...OFFSET_SCHEMA, description: `0-based offset, default 0, at most ${MAX_OFFSET}` })),
  limit: Type.Optional(Type.Integer({ minimum: 1, description: 'page size, default 50, at most 100' })),
};

/** An array parameter: repeated keys (`a=x&a=y`) or a comma list (`a=x,y`). */
export const ListParam = (description: string) => Type.Optional(Type.Array(Type.String(), { description }));

/** The site of the URL (404 when unknown) and the `{base}` every link starts with. */
export function restSite(request: FastifyRequest) {
  const site = requireSite(request);
  return { site, base: restBase(request, site.slug) };
}

export const JSM = 'Service Management REST';
export const PLATFORM = 'Jira platform REST API'; // the tag GET /rest/api/3/myself uses too

/**
 * jira.js sends `Content-Type: application/json` with no body on some calls (docs/product.md#rest-transport): an
 * empty body counts as `{}`, so the answer names the missing field instead of "body must be object".
 */
export function emptyBodyAsObject(request: FastifyRequest, _reply: FastifyReply, done: () => void): void {
  if (request.body === undefined || request.body === null) request.body = {};
  done(); // a callback hook: no promise or microtask turn per request
}
