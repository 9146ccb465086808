import type { SiteRef } from '../../domain/policies.js';
import { assertAgentWorkspace } from '../requests/agent-access.js';
import type { ActorContext } from '../context.js';
import { searchIssues, type SearchIssuesResult } from './search-issues.js';
import { pageOffset } from '../../domain/limits.js';

export const AGENT_SEARCH_MAX_RESULTS = 100;

/**
 * The agent workspace's issue search page: the same JQL search as REST (search-issues.ts, over the
 * JQL engine and its visibility rule), open to staff with a role on the site only — a customer of
 * the site gets 403, anyone else 404.
 */
export async function searchAgentIssues(
  ctx: ActorContext,
  input: { site: SiteRef; jql: string; startAt?: number; maxResults?: number },
): Promise<SearchIssuesResult & { startAt: number; maxResults: number }> {
  assertAgentWorkspace(ctx, input.site);
  const startAt = pageOffset(input.startAt, 'startAt');
  const maxResults = Math.max(1, Math.min(AGENT_SEARCH_MAX_RESULTS, Math.floor(input.maxResults ?? 50)));
  const result = await searchIssues(ctx, { site: input.site, jql: input.jql, startAt, maxResults });
  return { ...result, startAt, maxResults };
}
