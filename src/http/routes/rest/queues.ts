import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { pageWindow, presentPage } from '../../presenters/rest/common.js';
import { presentQueue } from '../../presenters/rest/queues.js';
import { presentIssueBean, selectFields } from '../../presenters/rest/search.js';
import { PageSchema, QueueIssueSchema, QueueSchema, errorResponses } from '../../schemas/rest.js';
import { listQueues } from '../../../use-cases/queues/list-queues.js';
import { getQueue } from '../../../use-cases/queues/get-queue.js';
import { listQueueIssues } from '../../../use-cases/queues/list-queue-issues.js';
import { JSM, PageQuery, restSite } from './common.js';

// Queues of a service desk (docs/product.md#queues), for its agents: jira.js serviceDesk.getQueues,
// getQueue and getIssuesInQueue.

const DeskParams = Type.Object({ site: Type.String(), serviceDeskId: Type.String({ description: 'service desk id, project id or project key' }) });
const QueueParams = Type.Object({ site: Type.String(), serviceDeskId: Type.String(), queueId: Type.String() });
const IncludeCount = Type.Optional(Type.Boolean({ description: 'add issueCount: the requests in the queue (default false)' }));

export function registerQueueRoutes(app: App, deps: AppDeps) {
  app.get('/s/:site/rest/servicedeskapi/servicedesk/:serviceDeskId/queue', {
    schema: {
      tags: [JSM],
      summary: 'Queues of a service desk (agents)',
      params: DeskParams,
      querystring: Type.Object({ ...PageQuery, includeCount: IncludeCount }),
      response: { 200: PageSchema(QueueSchema, 'Page of QueueDTO'), ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const page = await listQueues(await contextFor(deps, request), {
      site, serviceDeskId: request.params.serviceDeskId, includeCount: request.query.includeCount, ...pageWindow(request.query),
    });
    return presentPage(request, base, { ...page, values: page.values.map((q) => presentQueue(base, page.desk.id, q)) });
  });

  app.get('/s/:site/rest/servicedeskapi/servicedesk/:serviceDeskId/queue/:queueId', {
    schema: {
      tags: [JSM],
      summary: 'One queue of a service desk (agents)',
      params: QueueParams,
      querystring: Type.Object({ includeCount: IncludeCount }),
      response: { 200: QueueSchema, ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const { desk, queue } = await getQueue(await contextFor(deps, request), {
      site, serviceDeskId: request.params.serviceDeskId, queueId: request.params.queueId, includeCount: request.query.includeCount,
    });
    return presentQueue(base, desk.id, queue);
  });

  app.get('/s/:site/rest/servicedeskapi/servicedesk/:serviceDeskId/queue/:queueId/issue', {
    schema: {
      tags: [JSM],
      summary: 'The requests in a queue, with the queue\'s columns as fields (agents)',
      params: QueueParams,
      querystring: Type.Object(PageQuery),
      response: { 200: PageSchema(QueueIssueSchema, 'Page of IssueBean'), ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const found = await listQueueIssues(await contextFor(deps, request), {
      site, serviceDeskId: request.params.serviceDeskId, queueId: request.params.queueId, ...pageWindow(request.query),
    });
    const fields = selectFields(found.queue.fields, found.customFields);
    return presentPage(request, base, {
      start: found.start,
      limit: found.limit,
      isLastPage: found.isLast,
      values: found.issues.map((issue) => presentIssueBean(base, issue, fields, found.customFields)),
    });
  });
}
