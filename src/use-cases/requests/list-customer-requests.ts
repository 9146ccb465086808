import type { ActorContext } from '../context.js';
import { administersSite, belongsToSite, mayUseInternalComments, requestPermissions, type RequestPermissions, type SiteRef } from '../../domain/policies.js';
import { badRequest } from '../../domain/errors.js';
import { pageOffset, SEARCH_TEXT_MAX_LENGTH } from '../../domain/limits.js';
import { isBigintId } from '../../db/queries/projects.js';
import { listCustomerRequests as queryCustomerRequests, type CustomerRequestScope } from '../../db/queries/requests.js';
import { statusHistoryOf } from './list-status-history.js';
import { listPickerValuesOfMany, loadRequestDetail, type RequestDetail } from '../../db/queries/request-detail.js';

export const REQUEST_OWNERSHIPS = ['OWNED_REQUESTS', 'PARTICIPATED_REQUESTS', 'ORGANIZATION', 'ALL_ORGANIZATIONS', 'APPROVER', 'ALL_REQUESTS'] as const;
export type RequestOwnership = (typeof REQUEST_OWNERSHIPS)[number];
export const REQUEST_STATUS_FILTERS = ['OPEN_REQUESTS', 'CLOSED_REQUESTS', 'ALL_REQUESTS'] as const;
export const APPROVAL_STATUSES = ['MY_PENDING_APPROVAL', 'MY_HISTORY_APPROVAL'] as const;

export interface ListCustomerRequestsInput {
  site: SiteRef;
  /** Atlassian's default when none is given: OWNED_REQUESTS, PARTICIPATED_REQUESTS and ALL_ORGANIZATIONS */
  requestOwnership: string[];
  requestStatus?: string;
  approvalStatus?: string;
  organizationId?: number;
  searchTerm?: string;
  serviceDeskId?: number;
  requestTypeId?: number;
  start?: number;
  limit?: number;
  /** load participants, comments and what the caller may do (for expand=participant, comment, action) */
  full: boolean;
  /** load each request's statuses (for expand=status) */
  withStatusHistory?: boolean;
}

export interface ListedRequest {
  detail: RequestDetail;
  permissions?: RequestPermissions;
}

const bad = (param: string, message: string) => badRequest(message, { [param]: message });

/**
 * GET /rest/servicedeskapi/request (docs/product.md#rest-customer-requests): the caller's requests on
 * this site — reported, participated in, shared with their organizations, and with ALL_REQUESTS
 * every request they may see (agents: their projects'; admins: the site's) — filtered by status,
 * service desk, request type and words of the summary, most recently changed first. A request
 * appears once however many ways it is the caller's. APPROVER adds the requests whose approval names
 * the caller (docs/product.md#approvals): with MY_PENDING_APPROVAL those still waiting, with
 * MY_HISTORY_APPROVAL those decided.
 */
export async function listCustomerRequests(
  ctx: ActorContext,
  input: ListCustomerRequestsInput,
): Promise<{ start: number; limit: number; isLastPage: boolean; values: ListedRequest[] }> {
  const actor = ctx.actor;
  const start = pageOffset(input.start);
  const limit = Math.max(1, Math.min(100, Math.floor(input.limit ?? 50)));

  const unknown = input.requestOwnership.filter((o) => !(REQUEST_OWNERSHIPS as readonly string[]).includes(o));
  if (unknown.length) throw bad('requestOwnership', `'requestOwnership' can be ${REQUEST_OWNERSHIPS.join(', ')}; not '${unknown[0].slice(0, 40)}'.`);
  const ownership = new Set<string>(input.requestOwnership.length ? input.requestOwnership : ['OWNED_REQUESTS', 'PARTICIPATED_REQUESTS', 'ALL_ORGANIZATIONS']);
  const status = input.requestStatus ?? 'ALL_REQUESTS';
  if (!(REQUEST_STATUS_FILTERS as readonly string[]).includes(status)) throw bad('requestStatus', `'requestStatus' can be ${REQUEST_STATUS_FILTERS.join(', ')}.`);
  if (input.organizationId !== undefined && !ownership.has('ORGANIZATION')) throw bad('organizationId', "'organizationId' goes with requestOwnership=ORGANIZATION.");
  if (ownership.has('ORGANIZATION') && input.organizationId === undefined) throw bad('organizationId', "requestOwnership=ORGANIZATION needs 'organizationId'.");
  if (input.approvalStatus !== undefined) {
    if (!ownership.has('APPROVER')) throw bad('approvalStatus', "'approvalStatus' goes with requestOwnership=APPROVER.");
    if (!(APPROVAL_STATUSES as readonly string[]).includes(input.approvalStatus)) throw bad('approvalStatus', `'approvalStatus' can be ${APPROVAL_STATUSES.join(' or ')}.`);
  }
  if (input.requestTypeId !== undefined && input.serviceDeskId === undefined) throw bad('requestTypeId', "'requestTypeId' needs the 'serviceDeskId' it belongs to.");
  const ids: Record<string, number | undefined> = { organizationId: input.organizationId, serviceDeskId: input.serviceDeskId, requestTypeId: input.requestTypeId };
  for (const [param, value] of Object.entries(ids)) {
    if (value !== undefined && !isBigintId(String(value))) throw bad(param, `'${param}' must be a positive whole number.`);
  }
  const searchTerm = (input.searchTerm ?? '').normalize('NFKC').toLowerCase();
  if (searchTerm.length > SEARCH_TEXT_MAX_LENGTH) throw bad('searchTerm', `'searchTerm' can have at most ${SEARCH_TEXT_MAX_LENGTH} characters.`);

  // a customer of another site, or staff of another organization, has no requests here
  if (!belongsToSite(actor, input.site)) return { start, limit, isLastPage: true, values: [] };

  const all = ownership.has('ALL_REQUESTS');
  const scope: CustomerRequestScope = {
    owned: all || ownership.has('OWNED_REQUESTS'),
    participated: all || ownership.has('PARTICIPATED_REQUESTS'),
    organizations: all || ownership.has('ALL_ORGANIZATIONS') ? 'all' : ownership.has('ORGANIZATION') ? String(input.organizationId) : null,
    projects: !all || actor.kind !== 'staff' ? null : administersSite(actor, input.site) ? 'all' : [...actor.roles.agentOfProjects],
    approvals: !ownership.has('APPROVER') ? null : input.approvalStatus === 'MY_PENDING_APPROVAL' ? 'pending' : input.approvalStatus === 'MY_HISTORY_APPROVAL' ? 'decided' : 'all',
  };
  const { rows, total } = await queryCustomerRequests(ctx.db, {
    siteId: input.site.id,
    accountId: actor.accountId,
    scope,
    filter: {
      open: status === 'OPEN_REQUESTS' ? true : status === 'CLOSED_REQUESTS' ? false : undefined,
      projectId: input.serviceDeskId === undefined ? undefined : String(input.serviceDeskId),
      requestTypeId: input.requestTypeId === undefined ? undefined : String(input.requestTypeId),
      // Atlassian's wildcards (*, ?) are implied: every word matches inside the summary
      words: searchTerm.split(/[\s*?]+/u).filter(Boolean),
    },
    start,
    limit,
  });

  const values: ListedRequest[] = [];
  const pickerValues = input.full ? new Map() : await listPickerValuesOfMany(ctx.db, rows);
  for (const row of rows) {
    const { reporter, ...request } = row;
    let listed: ListedRequest;
    if (input.full) {
      const detail = await loadRequestDetail(ctx.db, request, { publicCommentsOnly: !mayUseInternalComments(actor, input.site, request) });
      listed = { detail, permissions: requestPermissions(actor, input.site, request, detail.participants.map((p) => p.accountId)) };
    } else {
      listed = { detail: { request, reporter, participants: [], pickerValues: pickerValues.get(request.id) ?? [], comments: [] } };
    }
    if (input.withStatusHistory) listed.detail.statusHistory = await statusHistoryOf(ctx.db, request);
    values.push(listed);
  }
  return { start, limit, isLastPage: start + rows.length >= total, values };
}
