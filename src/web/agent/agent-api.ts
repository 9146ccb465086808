import { del, get, post, put } from '../api';
import { queueListKey } from './queue-list';
import type { Static } from 'typebox';
import type { RequestStatus } from '../../domain/request-workflow';
import type { PersonSchema } from '../../http/schemas/people';
import type { CommentSchema, HistoryEntrySchema, PickerFieldValuesSchema } from '../../http/schemas/requests';
import type { ProjectCustomerSchema } from '../../http/schemas/customers';
import type { InvitationResultsSchema } from '../../http/schemas/signup';
import type {
  AddedCustomersSchema,
  AgentRequestSchema,
  AuthoredArticlePageSchema,
  AuthoredArticleSchema,
  FilterUsersSchema,
  IssueRowSchema,
  PeopleChangeResultSchema,
  ProjectCustomersPageSchema,
  ProjectInfoSchema,
  QueuePageSchema,
  QueueRowSchema,
  SavedFilterSchema,
  SavedFiltersSchema,
  SearchPageSchema,
  TransitionResultSchema,
} from '../../http/schemas/agent';
import type { AgentSlaSchema, AgentSlasSchema, SlaSettingsBody, SlaSettingsSchema } from '../../http/schemas/sla';
import type { RequestTypeApprovalSchema, RequestTypeApprovalsSchema } from '../../http/schemas/approvals';
import type { AgentQueueSchema, AssignmentResultSchema, PrioritySchema, QueueIssueRowSchema, QueueIssuesPageSchema } from '../../http/schemas/queues';

/** The agent workspace's internal API (/s/{site}/api/agent/…), typed as the server declares it (src/http/schemas/agent.ts). */

export type { RequestStatus };
export type Person = Static<typeof PersonSchema>;
export type QueueRow = Static<typeof QueueRowSchema>;
export type ProjectInfo = Static<typeof ProjectInfoSchema>;
export type QueuePage = Static<typeof QueuePageSchema>;
export type ProjectCustomer = Static<typeof ProjectCustomerSchema>;
export type CustomersPage = Static<typeof ProjectCustomersPageSchema>;
export type Comment = Static<typeof CommentSchema>;
export type HistoryEntry = Static<typeof HistoryEntrySchema>;
export type RequestField = Static<typeof PickerFieldValuesSchema>;
export type AgentRequest = Static<typeof AgentRequestSchema>;
export type IssueRow = Static<typeof IssueRowSchema>;
export type SearchPage = Static<typeof SearchPageSchema>;
export type SavedFilter = Static<typeof SavedFilterSchema>;
export type SavedFilters = Static<typeof SavedFiltersSchema>;
export type AddedCustomers = Static<typeof AddedCustomersSchema>;
export type PeopleChangeResult = Static<typeof PeopleChangeResultSchema>;
export type TransitionResult = Static<typeof TransitionResultSchema>;
export type FilterUsers = Static<typeof FilterUsersSchema>;
export type InvitationResults = Static<typeof InvitationResultsSchema>;
export type AuthoredArticle = Static<typeof AuthoredArticleSchema>;
export type AuthoredArticlePage = Static<typeof AuthoredArticlePageSchema>;
export type Priority = Static<typeof PrioritySchema>;
export type AgentQueue = Static<typeof AgentQueueSchema>;
export type QueueIssueRow = Static<typeof QueueIssueRowSchema>;
export type QueueIssuesPage = Static<typeof QueueIssuesPageSchema>;
export type AssignmentResult = Static<typeof AssignmentResultSchema>;
export type AgentSla = Static<typeof AgentSlaSchema>;
export type AgentSlas = Static<typeof AgentSlasSchema>;
export type SlaSettings = Static<typeof SlaSettingsSchema>;
export type RequestTypeApprovals = Static<typeof RequestTypeApprovalsSchema>;
export type RequestTypeApproval = Static<typeof RequestTypeApprovalSchema>;
export type SlaSettingsChange = Static<typeof SlaSettingsBody>;
/** The body of a change of a request's assignee and priority (what the route accepts). */
export interface AssignmentChange {
  assignee?: string | null;
  priority?: Priority;
}
/** What an author edits of an article. */
export interface ArticleText {
  title: string;
  body: string;
  category: string | null;
}

/** The body of a change of a request's people (what the route accepts). */
export interface PeopleChange {
  reporter?: string;
  participants?: string[];
  fields?: Record<string, string | string[] | null>;
}

const s = (site: string) => `/s/${encodeURIComponent(site)}/api/agent`;
const k = (key: string) => encodeURIComponent(key);

export const agentApi = {
  queue: (site: string, key: string, start: number) => get<QueuePage>(`${s(site)}/projects/${k(key)}/queue?start=${start}&limit=50`),
  customers: (site: string, key: string, query: string, start: number) =>
    get<CustomersPage>(`${s(site)}/projects/${k(key)}/customers?${new URLSearchParams({ query, start: String(start), limit: '50' })}`),
  addCustomers: (site: string, key: string, accountIds: string[]) => post<AddedCustomers>(`${s(site)}/projects/${k(key)}/customers`, { accountIds }),
  createCustomer: (site: string, key: string, displayName: string, email: string, accessUntil?: string | null) =>
    post<ProjectCustomer>(`${s(site)}/projects/${k(key)}/customers/new`, { displayName, email, ...(accessUntil ? { accessUntil } : {}) }),
  inviteCustomers: (site: string, key: string, emails: string[]) => post<InvitationResults>(`${s(site)}/projects/${k(key)}/invitations`, { emails }),
  request: (site: string, key: string) => get<AgentRequest>(`${s(site)}/requests/${k(key)}`),
  updatePeople: (site: string, key: string, change: PeopleChange) => put<PeopleChangeResult>(`${s(site)}/requests/${k(key)}/people`, change),
  transition: (site: string, key: string, status: RequestStatus) => post<TransitionResult>(`${s(site)}/requests/${k(key)}/transitions`, { status }),
  comment: (site: string, key: string, body: string, isPublic: boolean) => post<Comment>(`${s(site)}/requests/${k(key)}/comments`, { body, public: isPublic }),
  editComment: (site: string, key: string, id: string, body: string) => put<Comment>(`${s(site)}/requests/${k(key)}/comments/${encodeURIComponent(id)}`, { body }),
  deleteComment: (site: string, key: string, id: string) => del<void>(`${s(site)}/requests/${k(key)}/comments/${encodeURIComponent(id)}`),
  search: (site: string, jql: string, startAt: number) =>
    get<SearchPage>(`${s(site)}/search?${new URLSearchParams({ jql, startAt: String(startAt), maxResults: '50' })}`),
  filterUsers: (site: string, query: string) => get<FilterUsers>(`${s(site)}/filter-users?${new URLSearchParams({ query })}`),
  filters: (site: string) => get<SavedFilters>(`${s(site)}/filters`),
  saveFilter: (site: string, name: string, jql: string) => post<SavedFilter>(`${s(site)}/filters`, { name, jql }),
  deleteFilter: (site: string, id: string) => del<void>(`${s(site)}/filters/${encodeURIComponent(id)}`),
  articles: (site: string, key: string, query: string) =>
    get<AuthoredArticlePage>(`${s(site)}/projects/${k(key)}/articles?${new URLSearchParams({ query, limit: '100' })}`),
  article: (site: string, key: string, id: string) => get<AuthoredArticle>(`${s(site)}/projects/${k(key)}/articles/${k(id)}`),
  createArticle: (site: string, key: string, text: ArticleText, published: boolean) =>
    post<AuthoredArticle>(`${s(site)}/projects/${k(key)}/articles`, { ...text, published }),
  saveArticle: (site: string, key: string, id: string, text: ArticleText, baseUpdatedAt: string) =>
    put<AuthoredArticle>(`${s(site)}/projects/${k(key)}/articles/${k(id)}`, { ...text, baseUpdatedAt }),
  publishArticle: (site: string, key: string, id: string, published: boolean) =>
    put<AuthoredArticle>(`${s(site)}/projects/${k(key)}/articles/${k(id)}/published`, { published }),
  queueIssues: (site: string, key: string, queueId: string, start: number) =>
    get<QueueIssuesPage>(`${s(site)}/projects/${k(key)}/queues/${k(queueId)}/issues?start=${start}&limit=50`),
  createQueue: (site: string, key: string, name: string, jql: string) => post<AgentQueue>(`${s(site)}/projects/${k(key)}/queues`, { name, jql }),
  deleteQueue: (site: string, key: string, queueId: string) => del<void>(`${s(site)}/projects/${k(key)}/queues/${k(queueId)}`),
  slas: (site: string, key: string) => get<AgentSlas>(`${s(site)}/requests/${k(key)}/slas`),
  slaSettings: (site: string, key: string) => get<SlaSettings>(`${s(site)}/projects/${k(key)}/sla-settings`),
  saveSlaSettings: (site: string, key: string, change: SlaSettingsChange) => put<SlaSettings>(`${s(site)}/projects/${k(key)}/sla-settings`, change),
  updateAssignment: (site: string, key: string, change: AssignmentChange) => put<AssignmentResult>(`${s(site)}/requests/${k(key)}/assignment`, change),
  approvalSettings: (site: string, key: string) => get<RequestTypeApprovals>(`${s(site)}/projects/${k(key)}/approvals`),
  setApproval: (site: string, key: string, requestTypeId: string, fieldKey: string | null) =>
    put<RequestTypeApproval>(`${s(site)}/projects/${k(key)}/request-types/${k(requestTypeId)}/approval`, { fieldKey }),
};

export const agentKeys = {
  queue: (site: string, key: string, start: number) => ['agent', site, 'queue', key, start] as const,
  queues: queueListKey,
  queueIssues: (site: string, key: string, queueId: string, start: number) => ['agent', site, 'queue', 'issues', key.toUpperCase(), queueId, start] as const,
  customers: (site: string, key: string, query: string, start: number) => ['agent', site, 'customers', key, query, start] as const,
  request: (site: string, key: string) => ['agent', site, 'request', key.toUpperCase()] as const,
  /** under the request's key: whatever refreshes the request refreshes its timers */
  slas: (site: string, key: string) => ['agent', site, 'request', key.toUpperCase(), 'slas'] as const,
  slaSettings: (site: string, key: string) => ['agent', site, 'sla-settings', key.toUpperCase()] as const,
  approvalSettings: (site: string, key: string) => ['agent', site, 'approval-settings', key.toUpperCase()] as const,
  search: (site: string, jql: string, startAt: number) => ['agent', site, 'search', jql, startAt] as const,
  articles: (site: string, key: string) => ['agent', site, 'articles', key.toUpperCase()] as const,
  filters: (site: string) => ['agent', site, 'filters'] as const,
};
