import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { badRequest } from '../../../domain/errors.js';
import { listParam } from '../../presenters/rest/common.js';
import { decodePageToken, partsPresented, presentSearchResults, selectFields } from '../../presenters/rest/search.js';
import { SearchResultsSchema, errorResponses } from '../../schemas/rest.js';
import { searchIssues } from '../../../use-cases/filters/search-issues.js';
import { DEFAULT_MAX_RESULTS, MAX_RESULTS_LIMIT } from '../../../use-cases/filters/jql-search.js';
import { ListParam, PLATFORM, SiteParams, restSite, emptyBodyAsObject } from './common.js';

/** The largest page of a search that asks for fields besides id and key (Jira serves fewer then, too). */
export const MAX_RESULTS_WITH_FIELDS = 100;

interface SearchParams {
  jql?: string;
  nextPageToken?: string;
  maxResults?: number;
  fields: string[];
  expand: string[];
}

async function runSearch(deps: AppDeps, request: FastifyRequest, p: SearchParams) {
  const { site, base } = restSite(request);
  const ctx = await contextFor(deps, request);
  if (p.jql === undefined) throw badRequest("'jql' is required.", { jql: "'jql' is required." });
  const offset = decodePageToken(p.jql, p.nextPageToken);
  // Jira lowers a too-large maxResults to its limit rather than refusing the request, and serves
  // its 5,000 only to a search for ids and keys: each issue with fields costs several look-ups
  const wantsFields = p.fields.some((f) => !/^(id|key|-.*)$/i.test(f.trim()));
  const limit = wantsFields ? MAX_RESULTS_WITH_FIELDS : MAX_RESULTS_LIMIT;
  const pageSize = Math.min(limit, Math.max(1, Math.floor(p.maxResults ?? DEFAULT_MAX_RESULTS)));
  const found = await searchIssues(ctx, {
    site, jql: p.jql, startAt: offset, maxResults: pageSize,
    parts: (customFields) => partsPresented(selectFields(p.fields, customFields)),
  });
  return presentSearchResults(base, {
    jql: p.jql,
    offset,
    pageSize,
    issues: found.issues,
    isLast: found.isLast,
    customFields: found.customFields,
    fields: selectFields(p.fields, found.customFields),
    expandNames: p.expand.includes('names'),
  });
}

const description =
  'Requests of the site the caller may see. `fields` defaults to `id` only; `*all`, `*navigable`, field ids or names, `-name` to leave one out. ' +
  'Page with `nextPageToken` until `isLast` is true.';

export function registerSearchRoutes(app: App, deps: AppDeps) {
  app.get('/s/:site/rest/api/3/search/jql', {
    schema: {
      tags: [PLATFORM],
      summary: 'Search requests with JQL',
      description,
      params: SiteParams,
      querystring: Type.Object({
        jql: Type.Optional(Type.String()),
        nextPageToken: Type.Optional(Type.String()),
        maxResults: Type.Optional(Type.Integer({ minimum: 0, description: `default 50; at most ${MAX_RESULTS_LIMIT} for ids and keys, ${MAX_RESULTS_WITH_FIELDS} when other fields are asked for (larger values are lowered)` })),
        fields: ListParam('fields to return'),
        expand: Type.Optional(Type.String({ description: 'comma list; `names` adds field names' })),
        properties: ListParam('not supported (ignored)'),
        fieldsByKeys: Type.Optional(Type.Boolean()),
        failFast: Type.Optional(Type.Boolean()),
        reconcileIssues: Type.Optional(Type.Array(Type.Integer())),
      }),
      response: { 200: SearchResultsSchema, ...errorResponses },
    },
  }, async (request) => {
    const q = request.query;
    return runSearch(deps, request, { jql: q.jql, nextPageToken: q.nextPageToken, maxResults: q.maxResults, fields: listParam(q.fields), expand: listParam(q.expand) });
  });

  app.post('/s/:site/rest/api/3/search/jql', {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: [PLATFORM],
      summary: 'Search requests with JQL (JSON body)',
      description,
      params: SiteParams,
      body: Type.Object(
        {
          jql: Type.Optional(Type.String()),
          nextPageToken: Type.Optional(Type.String()),
          maxResults: Type.Optional(Type.Integer({ minimum: 0, description: `default 50; at most ${MAX_RESULTS_LIMIT} for ids and keys, ${MAX_RESULTS_WITH_FIELDS} when other fields are asked for (larger values are lowered)` })),
          fields: Type.Optional(Type.Array(Type.String())),
          expand: Type.Optional(Type.String({ description: 'a comma-separated string' })),
          properties: Type.Optional(Type.Array(Type.String())),
          fieldsByKeys: Type.Optional(Type.Boolean()),
          failFast: Type.Optional(Type.Boolean()),
          reconcileIssues: Type.Optional(Type.Array(Type.Integer())),
        },
        { additionalProperties: false },
      ),
      response: { 200: SearchResultsSchema, ...errorResponses },
    },
  }, async (request) => {
    const b = request.body ?? {};
    return runSearch(deps, request, { jql: b.jql, nextPageToken: b.nextPageToken, maxResults: b.maxResults, fields: listParam(b.fields), expand: listParam(b.expand) });
  });
}
