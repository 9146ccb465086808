import type { Static } from 'typebox';
import { get } from '../api';
import type { AgentQueuesSchema } from '../../http/schemas/queues';

// The project's queues with their counts, as the agent workspace's side navigation lists them
// (QueueNav). Small on purpose: the agent routes (agent/routes.tsx, in the app's first download) load
// it with a project's page, in parallel with the surface's code, so the side navigation appears whole
// and its links never move under a pointer once shown (docs/architecture.md, "The web app's files").

type AgentQueues = Static<typeof AgentQueuesSchema>;

/** The key of the project a request's key belongs to (`HELP-12` → `HELP`); a project's key is its own. */
export const projectKeyOf = (key: string) => key.split('-')[0];

/** The cache key of a project's queue list (agentKeys.queues too: what changes a queue refreshes it). */
export const queueListKey = (site: string, key: string) => ['agent', site, 'queue', 'list', key.toUpperCase()] as const;

/** A project's queue list from the server. */
export const fetchQueueList = (site: string, key: string) =>
  get<AgentQueues>(`/s/${encodeURIComponent(site)}/api/agent/projects/${encodeURIComponent(key)}/queues`);

/**
 * The query of a project's queue list: one cache entry that the routes' loader and QueueNav share.
 * Fresh for a few seconds, so the navigation does not ask again right after the loader has; what
 * changes a request in this app refreshes it at once (invalidated under ['agent', site, 'queue']).
 */
export const queueListQuery = (site: string, key: string) => ({
  queryKey: queueListKey(site, key),
  queryFn: () => fetchQueueList(site, key),
  staleTime: QUEUE_LIST_FRESH_MS,
});

const QUEUE_LIST_FRESH_MS = 5_000;
