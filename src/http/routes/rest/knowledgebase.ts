import { Type, type Static } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { badRequest } from '../../../domain/errors.js';
import { pageWindow, presentPage } from '../../presenters/rest/common.js';
import { presentArticle, textToHtml } from '../../presenters/rest/requests.js';
import { ArticleSchema, PageSchema, errorResponses } from '../../schemas/rest.js';
import { KB_QUERY_MAX_LENGTH, searchKbArticles } from '../../../use-cases/knowledge-base/search-kb-articles.js';
import { getKbArticle } from '../../../use-cases/knowledge-base/get-kb-article.js';
import { JSM, PageQuery, SiteParams, restSite } from './common.js';

const ArticleQuery = Type.Object({
  query: Type.Optional(Type.String({ maxLength: KB_QUERY_MAX_LENGTH, description: 'required: words of the title or body' })),
  highlight: Type.Optional(Type.Boolean({ description: 'wrap matches as @@@hl@@@term@@@endhl@@@' })),
  ...PageQuery,
  cursor: Type.Optional(Type.String({ description: 'not supported: use start' })),
  prev: Type.Optional(Type.Boolean()),
});

const requiredQuery = (query: string | undefined): string => {
  if (query === undefined || query.trim() === '') throw badRequest("'query' is required.", { query: "'query' is required." });
  return query;
};

export function registerKnowledgeBaseRoutes(app: App, deps: AppDeps) {
  /** One search for both paths: the site's portals the caller may use, or one service desk's. */
  async function searchArticles(request: FastifyRequest, q: Static<typeof ArticleQuery>, serviceDeskId: string | undefined) {
    const { site, base } = restSite(request);
    const query = requiredQuery(q.query);
    const ctx = await contextFor(deps, request);
    // another organization's or site's people learn nothing about this site, not even an empty list
    const page = await searchKbArticles(ctx, { site, query, serviceDeskId, ...pageWindow(q), strangersGetNotFound: true });
    return presentPage(request, base, { ...page, values: page.values.map((a) => presentArticle(base, a, q.highlight ? query : null)) });
  }

  app.get('/s/:site/rest/servicedeskapi/knowledgebase/article', {
    schema: {
      tags: [JSM],
      summary: 'Search knowledge-base articles of the portals the caller may use',
      params: SiteParams,
      querystring: ArticleQuery,
      response: { 200: PageSchema(ArticleSchema, 'Page of ArticleDTO'), ...errorResponses },
    },
  }, (request) => searchArticles(request, request.query, undefined));

  app.get('/s/:site/rest/servicedeskapi/servicedesk/:serviceDeskId/knowledgebase/article', {
    schema: {
      tags: [JSM],
      summary: "Search the published knowledge-base articles of one service desk (its portal's)",
      params: Type.Object({ ...SiteParams.properties, serviceDeskId: Type.String({ minLength: 1, maxLength: 40 }) }),
      querystring: ArticleQuery,
      response: { 200: PageSchema(ArticleSchema, 'Page of ArticleDTO'), ...errorResponses },
    },
  }, (request) => searchArticles(request, request.query, request.params.serviceDeskId));

  app.get('/s/:site/rest/servicedeskapi/knowledgebase/article/view/:pageId', {
    schema: {
      tags: [JSM],
      summary: "One published article as HTML, a JSON string (its title and its text; the help center's rules of who may read it)",
      params: Type.Object({ ...SiteParams.properties, pageId: Type.String({ minLength: 1, maxLength: 20, description: "the article's id (ArticleDTO source.pageId)" }) }),
      response: { 200: Type.String({ description: 'the article as HTML' }), ...errorResponses },
    },
  }, async (request, reply) => {
    const { site } = restSite(request);
    const a = await getKbArticle(await contextFor(deps, request), { site, id: request.params.pageId });
    // the text is escaped as a request's is (textToHtml): nothing in an article can run where it is shown
    const html = `<h1>${textToHtml(a.title).replace(/^<p>|<\/p>$/g, '')}</h1>${textToHtml(a.body)}`;
    // a JSON string, as Atlassian answers (a bare string would go out as text/plain)
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(html));
  });
}
