import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { badRequest } from '../../../domain/errors.js';
import { pageWindow, presentPage } from '../../presenters/rest/common.js';
import { presentArticle } from '../../presenters/rest/requests.js';
import { ArticleSchema, PageSchema, errorResponses } from '../../schemas/rest.js';
import { KB_QUERY_MAX_LENGTH, searchKbArticles } from '../../../use-cases/knowledge-base/search-kb-articles.js';
import { JSM, PageQuery, SiteParams, restSite } from './common.js';

export function registerKnowledgeBaseRoutes(app: App, deps: AppDeps) {
  app.get('/s/:site/rest/servicedeskapi/knowledgebase/article', {
    schema: {
      tags: [JSM],
      summary: 'Search knowledge-base articles of the portals the caller may use',
      params: SiteParams,
      querystring: Type.Object({
        query: Type.Optional(Type.String({ maxLength: KB_QUERY_MAX_LENGTH, description: 'required: words of the title or body' })),
        highlight: Type.Optional(Type.Boolean({ description: 'wrap matches as @@@hl@@@term@@@endhl@@@' })),
        ...PageQuery,
        cursor: Type.Optional(Type.String({ description: 'not supported: use start' })),
        prev: Type.Optional(Type.Boolean()),
      }),
      response: { 200: PageSchema(ArticleSchema, 'Page of ArticleDTO'), ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const q = request.query;
    if (q.query === undefined || q.query.trim() === '') throw badRequest("'query' is required.", { query: "'query' is required." });
    const ctx = await contextFor(deps, request);
    // another organization's or site's people learn nothing about this site, not even an empty list
    const page = await searchKbArticles(ctx, { site, query: q.query, ...pageWindow(q), strangersGetNotFound: true });
    return presentPage(request, base, { ...page, values: page.values.map((a) => presentArticle(base, a, q.highlight ? q.query! : null)) });
  });
}
