import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { badRequest } from '../../../domain/errors.js';
import { listParam } from '../../presenters/rest/common.js';
import { presentFoundUsers, presentPlatformUser } from '../../presenters/rest/users.js';
import { FoundUsersSchema, PlatformUserSchema, errorResponses } from '../../schemas/rest.js';
import { getUser } from '../../../use-cases/people/get-user.js';
import { clampPickerLimit, searchSiteUsers, USER_SEARCH_MAX_LIMIT } from '../../../use-cases/people/search-site-users.js';
import { ListParam, PLATFORM, SiteParams, restSite } from './common.js';
import { MAX_OFFSET, OFFSET_SCHEMA, SEARCH_TEXT_MAX_LENGTH } from '../../../domain/limits.js';

export function registerUserRoutes(app: App, deps: AppDeps) {
  app.get('/s/:site/rest/api/3/user', {
    schema: {
      tags: [PLATFORM],
      summary: 'One user by account id (revoked and deleted ones answer active:false)',
      params: SiteParams,
      querystring: Type.Object({
        accountId: Type.Optional(Type.String({ maxLength: 128 })),
        expand: ListParam('not supported: groups and applicationRoles are not sent'),
      }),
      response: { 200: PlatformUserSchema, ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const accountId = request.query.accountId;
    if (accountId === undefined) throw badRequest("'accountId' is required.", { accountId: "'accountId' is required." });
    const found = await getUser(await contextFor(deps, request), { site, accountId });
    return presentPlatformUser(base, found);
  });

  app.get('/s/:site/rest/api/3/user/search', {
    schema: {
      tags: [PLATFORM],
      summary: 'Active users by name or email prefix, or by account id (a bare array)',
      params: SiteParams,
      querystring: Type.Object({
        query: Type.Optional(Type.String({ maxLength: SEARCH_TEXT_MAX_LENGTH })),
        accountId: Type.Optional(Type.String()),
        property: Type.Optional(Type.String({ description: 'not supported: 400' })),
        username: Type.Optional(Type.String({ description: 'deprecated; ignored' })),
        startAt: Type.Optional(Type.Integer({ ...OFFSET_SCHEMA, description: `0-based offset, at most ${MAX_OFFSET}` })),
        maxResults: Type.Optional(Type.Integer({ minimum: 0, description: `page size: default 50, at most ${USER_SEARCH_MAX_LIMIT} (larger values are capped); page on with startAt` })),
      }),
      response: { 200: Type.Array(PlatformUserSchema), ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const q = request.query;
    if (q.property !== undefined) throw badRequest("Searching by 'property' is not supported.", { property: "Searching by 'property' is not supported." });
    const hasQuery = q.query !== undefined && q.query.trim() !== '';
    const hasAccountId = q.accountId !== undefined && q.accountId.trim() !== '';
    if (hasQuery === hasAccountId) {
      const message = hasQuery ? "Give either 'query' or 'accountId', not both." : "One of 'query' or 'accountId' is required.";
      throw badRequest(message, { query: message });
    }
    const found = await searchSiteUsers(await contextFor(deps, request), {
      site,
      ...(hasQuery ? { query: q.query } : { accountId: q.accountId }),
      start: q.startAt ?? 0,
      limit: q.maxResults ?? 50,
      maxLimit: USER_SEARCH_MAX_LIMIT,
    });
    return found.users.map((u) => presentPlatformUser(base, u));
  });

  app.get('/s/:site/rest/api/3/user/picker', {
    schema: {
      tags: [PLATFORM],
      summary: 'User picker: active users matching a query ({users, total, header})',
      params: SiteParams,
      querystring: Type.Object({
        query: Type.Optional(Type.String({ maxLength: SEARCH_TEXT_MAX_LENGTH })),
        maxResults: Type.Optional(Type.Integer({ minimum: 1, description: 'default 20, at most 50' })),
        showAvatar: Type.Optional(Type.Boolean()),
        excludeAccountIds: ListParam('account ids to leave out'),
        exclude: ListParam('deprecated; cannot be combined with excludeAccountIds'),
        avatarSize: Type.Optional(Type.String()),
        excludeConnectUsers: Type.Optional(Type.Boolean()),
      }),
      response: { 200: FoundUsersSchema, ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const q = request.query;
    if (q.query === undefined) throw badRequest("'query' is required.", { query: "'query' is required." });
    if (q.exclude !== undefined && q.excludeAccountIds !== undefined) {
      const message = "'exclude' and 'excludeAccountIds' cannot be used together.";
      throw badRequest(message, { excludeAccountIds: message });
    }
    const found = await searchSiteUsers(await contextFor(deps, request), {
      site,
      query: q.query,
      limit: clampPickerLimit(q.maxResults),
      excludeAccountIds: listParam(q.excludeAccountIds ?? q.exclude),
      withTotal: true,
    });
    return presentFoundUsers(base, q.query, { users: found.users, total: found.total ?? found.users.length }, q.showAvatar === true);
  });
}
