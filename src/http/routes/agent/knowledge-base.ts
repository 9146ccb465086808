import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { requireSite } from '../../plugins/auth.js';
import { presentAuthoredArticle } from '../../presenters/agent.js';
import { apiErrors } from '../../schemas/common.js';
import { AuthoredArticlePageSchema, AuthoredArticleSchema } from '../../schemas/agent.js';
import { OFFSET_SCHEMA } from '../../../domain/limits.js';
import { ARTICLE_BODY_MAX_LENGTH, ARTICLE_CATEGORY_MAX_LENGTH, ARTICLE_TITLE_MAX_LENGTH } from '../../../domain/knowledge-base.js';
import { KB_QUERY_MAX_LENGTH } from '../../../use-cases/knowledge-base/search-kb-articles.js';
import { listProjectArticles } from '../../../use-cases/knowledge-base/list-project-articles.js';
import { getProjectArticle } from '../../../use-cases/knowledge-base/get-project-article.js';
import { createKbArticle } from '../../../use-cases/knowledge-base/create-kb-article.js';
import { updateKbArticleText } from '../../../use-cases/knowledge-base/update-kb-article.js';
import { setKbArticlePublished } from '../../../use-cases/knowledge-base/set-kb-article-published.js';

// Knowledge-base authoring in the agent workspace (docs/product.md#knowledge-base), under
// /s/{site}/api/agent/projects/{KEY}/articles (staff cookie with CSRF for writes). The schemas
// bound the sizes loosely; the use cases say what is too long in plain words (domain/knowledge-base.ts).

const ProjectParams = Type.Object({ site: Type.String({ maxLength: 63 }), key: Type.String({ minLength: 1, maxLength: 20 }) });
const ArticleParams = Type.Object({ ...ProjectParams.properties, id: Type.String({ minLength: 1, maxLength: 20 }) });
// twice the real caps, so a slightly long text gets the use case's plain message rather than the validator's
const ArticleText = {
  title: Type.String({ maxLength: ARTICLE_TITLE_MAX_LENGTH * 2, description: `at most ${ARTICLE_TITLE_MAX_LENGTH} characters, required` }),
  body: Type.String({ maxLength: ARTICLE_BODY_MAX_LENGTH * 2, description: `Markdown, at most ${ARTICLE_BODY_MAX_LENGTH} characters` }),
  category: Type.Optional(Type.Union([Type.String({ maxLength: ARTICLE_CATEGORY_MAX_LENGTH * 2 }), Type.Null()], { description: 'blank or null: none' })),
};

export function registerAgentKnowledgeBaseRoutes(app: App, deps: AppDeps): void {
  const base = '/s/:site/api/agent/projects/:key/articles';
  const hide = { tags: ['agent workspace (internal)'] };

  app.get(base, {
    schema: {
      ...hide,
      summary: "A project's knowledge-base articles, drafts included",
      params: ProjectParams,
      querystring: Type.Object({
        query: Type.Optional(Type.String({ maxLength: KB_QUERY_MAX_LENGTH })),
        start: Type.Optional(Type.Integer(OFFSET_SCHEMA)),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
      }),
      response: { 200: AuthoredArticlePageSchema, ...apiErrors },
    },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const page = await listProjectArticles(ctx, { site: requireSite(request), projectKey: request.params.key, ...request.query });
    return { ...page, values: page.values.map(presentAuthoredArticle) };
  });

  app.get(`${base}/:id`, {
    schema: { ...hide, summary: 'One article, draft or published', params: ArticleParams, response: { 200: AuthoredArticleSchema, ...apiErrors } },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    return presentAuthoredArticle(await getProjectArticle(ctx, { site: requireSite(request), projectKey: request.params.key, id: request.params.id }));
  });

  app.post(base, {
    schema: {
      ...hide,
      summary: 'Write a new article (a draft unless published is true)',
      params: ProjectParams,
      body: Type.Object({ ...ArticleText, published: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      response: { 201: AuthoredArticleSchema, ...apiErrors },
    },
  }, async (request, reply) => {
    const ctx = await contextFor(deps, request);
    const a = await createKbArticle(ctx, { site: requireSite(request), projectKey: request.params.key, ...request.body });
    return reply.code(201).send(presentAuthoredArticle(a));
  });

  app.put(`${base}/:id`, {
    schema: {
      ...hide,
      summary: "Save an article's title, text and category",
      params: ArticleParams,
      body: Type.Object({
        ...ArticleText,
        baseUpdatedAt: Type.Optional(Type.String({ format: 'date-time', description: "the article's updatedAt when the author opened it: 409 if it was saved since" })),
      }, { additionalProperties: false }),
      response: { 200: AuthoredArticleSchema, ...apiErrors },
    },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const { baseUpdatedAt, ...text } = request.body;
    return presentAuthoredArticle(
      await updateKbArticleText(ctx, {
        site: requireSite(request),
        projectKey: request.params.key,
        id: request.params.id,
        ...text,
        baseUpdatedAt: baseUpdatedAt === undefined ? undefined : new Date(baseUpdatedAt),
      }),
    );
  });

  app.put(`${base}/:id/published`, {
    schema: {
      ...hide,
      summary: 'Publish an article, or take it back to a draft',
      params: ArticleParams,
      body: Type.Object({ published: Type.Boolean() }, { additionalProperties: false }),
      response: { 200: AuthoredArticleSchema, ...apiErrors },
    },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    return presentAuthoredArticle(
      await setKbArticlePublished(ctx, { site: requireSite(request), projectKey: request.params.key, id: request.params.id, published: request.body.published }),
    );
  });
}
