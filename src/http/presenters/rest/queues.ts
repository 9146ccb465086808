import type { QueueWithCount } from '../../../use-cases/queues/list-queues.js';

// JSM `QueueDTO` (routes/rest/queues.ts): absolute self link, string id, issueCount only when counted.

export function presentQueue(base: string, serviceDeskId: string, q: QueueWithCount) {
  return {
    id: q.id,
    name: q.name,
    jql: q.jql,
    fields: q.fields,
    ...(typeof q.issueCount === 'number' ? { issueCount: q.issueCount } : {}),
    _links: { self: `${base}/rest/servicedeskapi/servicedesk/${serviceDeskId}/queue/${q.id}` },
  };
}
