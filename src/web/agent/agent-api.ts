import { del, get, post, put } from '../api';
import type { PickerPerson } from '../components/UserPicker';

/** The agent workspace's internal API (/s/{site}/api/agent/…), typed as the server sends it. */

export interface Person extends PickerPerson {
  displayName: string;
  active: boolean;
}

import type { RequestStatus } from '../../domain/request-workflow';

export type { RequestStatus };

export interface QueueRow {
  id: string;
  key: string;
  summary: string;
  status: RequestStatus;
  created: string;
  updated: string;
  reporter: Person;
}

export interface ProjectInfo {
  id: string;
  key: string;
  name: string;
}

export interface QueuePage {
  project: ProjectInfo;
  start: number;
  limit: number;
  total: number;
  isLastPage: boolean;
  values: QueueRow[];
}

export interface ProjectCustomer extends Person {
  status: 'active' | 'revoked' | 'deleted';
  statusLabel: 'Active' | 'Access revoked';
}

export interface CustomersPage {
  project: ProjectInfo & { customerAccess: 'restricted' | 'open' };
  start: number;
  limit: number;
  isLastPage: boolean;
  values: ProjectCustomer[];
}

export interface Comment {
  id: string;
  body: string;
  public: boolean;
  createdAt: string;
  author: Person;
}

export interface RequestField {
  fieldKey: string;
  label: string;
  type: 'user' | 'multiuser';
  values: Person[];
}

export interface AgentRequest {
  id: string;
  key: string;
  summary: string;
  description: string;
  status: RequestStatus;
  created: string;
  updated: string;
  project: ProjectInfo;
  requestType: { id: string; name: string };
  reporter: Person;
  participants: Person[];
  fields: RequestField[];
  comments: Comment[];
  transitions: Array<{ to: RequestStatus; name: string }>;
}

export interface IssueRow {
  id: string;
  key: string;
  summary: string;
  status: RequestStatus;
  created: string;
  updated: string;
  project: ProjectInfo;
  reporter: Person;
}

export interface SearchPage {
  startAt: number;
  maxResults: number;
  isLast: boolean;
  issues: IssueRow[];
}

export interface SavedFilter {
  id: string;
  name: string;
  jql: string;
  createdAt: string;
}

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
  addCustomers: (site: string, key: string, accountIds: string[]) => post<{ added: string[] }>(`${s(site)}/projects/${k(key)}/customers`, { accountIds }),
  createCustomer: (site: string, key: string, displayName: string, email: string) =>
    post<ProjectCustomer>(`${s(site)}/projects/${k(key)}/customers/new`, { displayName, email }),
  request: (site: string, key: string) => get<AgentRequest>(`${s(site)}/requests/${k(key)}`),
  updatePeople: (site: string, key: string, change: PeopleChange) => put<{ changed: string[] }>(`${s(site)}/requests/${k(key)}/people`, change),
  transition: (site: string, key: string, status: RequestStatus) => post<{ status: RequestStatus }>(`${s(site)}/requests/${k(key)}/transitions`, { status }),
  comment: (site: string, key: string, body: string, isPublic: boolean) => post<Comment>(`${s(site)}/requests/${k(key)}/comments`, { body, public: isPublic }),
  search: (site: string, jql: string, startAt: number) =>
    get<SearchPage>(`${s(site)}/search?${new URLSearchParams({ jql, startAt: String(startAt), maxResults: '50' })}`),
  filterUsers: (site: string, query: string) => get<{ users: Person[] }>(`${s(site)}/filter-users?${new URLSearchParams({ query })}`),
  filters: (site: string) => get<{ values: SavedFilter[] }>(`${s(site)}/filters`),
  saveFilter: (site: string, name: string, jql: string) => post<SavedFilter>(`${s(site)}/filters`, { name, jql }),
  deleteFilter: (site: string, id: string) => del<void>(`${s(site)}/filters/${encodeURIComponent(id)}`),
};

export const agentKeys = {
  queue: (site: string, key: string, start: number) => ['agent', site, 'queue', key, start] as const,
  customers: (site: string, key: string, query: string, start: number) => ['agent', site, 'customers', key, query, start] as const,
  request: (site: string, key: string) => ['agent', site, 'request', key.toUpperCase()] as const,
  search: (site: string, jql: string, startAt: number) => ['agent', site, 'search', jql, startAt] as const,
  filters: (site: string) => ['agent', site, 'filters'] as const,
};
