import { useEffect } from 'react';
import { ApiError, del, get, post } from '../api';
import { navigate } from '../router';
import type { PickerPerson } from '../components/UserPicker';
import { customerLoginUrl } from '../shared/useSession';

/** Client side of the help center's JSON API (/s/{site}/api/portal/…). */

export interface Person extends PickerPerson {
  displayName: string;
  email?: string;
  active: boolean;
}

export interface Portal {
  id: string;
  key: string;
  name: string;
  projectName: string;
  description: string;
}

export interface RequestTypeSummary {
  id: string;
  name: string;
  description: string;
  helpText: string;
}

export interface FormField {
  fieldKey: string;
  label: string;
  required: boolean;
  type: 'text' | 'paragraph' | 'user' | 'multiuser';
}

export interface RequestSummary {
  id: string;
  key: string;
  summary: string;
  status: string;
  createdAt: string;
  updatedAt: string;
  portal: { id: string; name: string };
  requestType: { id: string; name: string };
  reporter: Person;
}

export interface Comment {
  id: string;
  body: string;
  public: boolean;
  createdAt: string;
  author: Person;
}

export interface RequestView extends RequestSummary {
  description: string;
  participants: Person[];
  fields: Array<{ fieldKey: string; label: string; type: 'user' | 'multiuser'; values: Person[] }>;
  comments: Comment[];
  permissions?: {
    canComment: boolean;
    canCommentInternally: boolean;
    canAddParticipants: boolean;
    removableParticipantIds: string[];
    worksProject: boolean;
  };
}

export interface Page<T> {
  start: number;
  limit: number;
  total: number;
  isLastPage: boolean;
  values: T[];
}

export interface ArticleSummary {
  id: string;
  projectId: string;
  portalName: string;
  title: string;
  excerpt: string;
}

export interface Article extends ArticleSummary {
  body: string;
  createdAt: string;
  updatedAt: string;
}

const base = (site: string) => `/s/${encodeURIComponent(site)}/api/portal`;
const enc = encodeURIComponent;

export const portalApi = {
  portals: (site: string) => get<{ values: Portal[] }>(`${base(site)}/portals`),
  portal: (site: string, projectId: string) => get<{ portal: Portal; requestTypes: RequestTypeSummary[] }>(`${base(site)}/portals/${enc(projectId)}`),
  requestType: (site: string, projectId: string, requestTypeId: string) =>
    get<{ portal: Portal; requestType: RequestTypeSummary; fields: FormField[] }>(`${base(site)}/portals/${enc(projectId)}/request-types/${enc(requestTypeId)}`),
  raise: (site: string, body: { projectId: string; requestTypeId: string; fields: Record<string, string | string[] | null>; participants: string[] }) =>
    post<RequestView>(`${base(site)}/requests`, body),
  myRequests: (site: string, filter: 'created' | 'shared' | 'all', start: number) =>
    get<Page<RequestSummary>>(`${base(site)}/requests?filter=${filter}&start=${start}&limit=25`),
  request: (site: string, key: string) => get<RequestView>(`${base(site)}/requests/${enc(key)}`),
  share: (site: string, key: string, accountIds: string[]) =>
    post<{ added: Person[]; participants: Person[] }>(`${base(site)}/requests/${enc(key)}/participants`, { accountIds }),
  unshare: (site: string, key: string, accountIds: string[]) =>
    del<{ participants: Person[] }>(`${base(site)}/requests/${enc(key)}/participants`, { accountIds }),
  comment: (site: string, key: string, body: string) => post<Comment>(`${base(site)}/requests/${enc(key)}/comments`, { body }),
  searchKb: (site: string, projectId: string, query: string) =>
    get<Page<ArticleSummary>>(`${base(site)}/kb?projectId=${enc(projectId)}&query=${enc(query)}&limit=20`),
  article: (site: string, id: string) => get<Article>(`${base(site)}/kb/${enc(id)}`),
};

export const portalUrls = {
  portals: (site: string) => `/s/${enc(site)}/servicedesk/customer/portals`,
  portal: (site: string, projectId: string) => `/s/${enc(site)}/servicedesk/customer/portal/${enc(projectId)}`,
  create: (site: string, projectId: string, requestTypeId: string) => `/s/${enc(site)}/servicedesk/customer/portal/${enc(projectId)}/create/${enc(requestTypeId)}`,
  request: (site: string, projectId: string, key: string) => `/s/${enc(site)}/servicedesk/customer/portal/${enc(projectId)}/${enc(key)}`,
  requests: (site: string, filter?: string) => `/s/${enc(site)}/servicedesk/customer/user/requests${filter ? `?filter=${filter}` : ''}`,
  article: (site: string, id: string) => `/s/${enc(site)}/servicedesk/customer/article/${enc(id)}`,
};

/** A session that ended while the page was open (logout elsewhere, revoke): back to this site's login. */
export function useLoginOn401(site: string, error: unknown) {
  const gone = error instanceof ApiError && error.status === 401;
  useEffect(() => {
    if (gone) navigate(customerLoginUrl(site, window.location.pathname + window.location.search), { replace: true });
  }, [gone, site]);
}

export { errorText } from '../shared/ui';
