import type { SiteRef } from '../../domain/policies.js';
import { assertAgentWorkspace } from '../requests/agent-access.js';
import type { ActorContext } from '../context.js';
import { searchIssues, type SearchIssuesResult } from './search-issues.js';
import { pageOffset } from '../../domain/limits.js';
import { interpretQuickSearch, type QuickSearch } from '../../domain/jql/quick-search.js';

export const AGENT_SEARCH_MAX_RESULTS = 100;

/**
 * The agent workspace's issue search page: the same JQL search as REST (search-issues.ts, over the
 * JQL engine and its visibility rule), open to staff with a role on the site only — a customer of
 * the site gets 403, anyone else 404. The box also takes a request's key or plain words
 * (domain/jql/quick-search.ts); the answer says how the text was read.
 */
export async function searchAgentIssues(
  ctx: ActorContext,
  input: { site: SiteRef; jql: string; startAt?: number; maxResults?: number },
): Promise<SearchIssuesResult & { startAt: number; maxResults: number; searched: QuickSearch }> {
  assertAgentWorkspace(ctx, input.site);
  const startAt = pageOffset(input.startAt, 'startAt');
  const maxResults = Math.max(1, Math.min(AGENT_SEARCH_MAX_RESULTS, Math.floor(input.maxResults ?? 50)));
  const searched = interpretQuickSearch(input.jql);
  const result = await searchIssues(ctx, { site: input.site, jql: searched.jql, startAt, maxResults });
  return { ...result, startAt, maxResults, searched };
}
