import { useEffect } from 'react';
import { ApiError, del, get, post, put } from '../api';
import { useNavigate } from '@tanstack/react-router';
import type { Static } from 'typebox';
import type { PersonSchema } from '../../http/schemas/people';
import type { CommentSchema } from '../../http/schemas/requests';
import type {
  ArticlePageSchema,
  ArticleSchema,
  ArticleSummarySchema,
  FormFieldSchema,
  MyRequestsPageSchema,
  ParticipantsAddedSchema,
  ParticipantsSchema,
  PortalSchema,
  PortalsSchema,
  PortalWithRequestTypesSchema,
  RequestSummarySchema,
  RequestTypeFormSchema,
  RequestTypeSummarySchema,
  RequestViewSchema,
} from '../../http/schemas/portal';

/** Client side of the help center's JSON API (/s/{site}/api/portal/…), typed as the server declares it (src/http/schemas/portal.ts). */

export type Person = Static<typeof PersonSchema>;
export type Portal = Static<typeof PortalSchema>;
export type Portals = Static<typeof PortalsSchema>;
export type RequestTypeSummary = Static<typeof RequestTypeSummarySchema>;
export type PortalWithRequestTypes = Static<typeof PortalWithRequestTypesSchema>;
export type FormField = Static<typeof FormFieldSchema>;
export type RequestTypeForm = Static<typeof RequestTypeFormSchema>;
export type RequestSummary = Static<typeof RequestSummarySchema>;
export type Comment = Static<typeof CommentSchema>;
export type RequestView = Static<typeof RequestViewSchema>;
export type MyRequestsPage = Static<typeof MyRequestsPageSchema>;
export type ArticleSummary = Static<typeof ArticleSummarySchema>;
export type ArticlePage = Static<typeof ArticlePageSchema>;
export type Article = Static<typeof ArticleSchema>;
export type ParticipantsAdded = Static<typeof ParticipantsAddedSchema>;
export type Participants = Static<typeof ParticipantsSchema>;
/** The internal API's page envelope around `T` (schemas/common.ts Page). */
export type Page<T> = Omit<MyRequestsPage, 'values'> & { values: T[] };

const base = (site: string) => `/s/${encodeURIComponent(site)}/api/portal`;
const enc = encodeURIComponent;

export const portalApi = {
  portals: (site: string) => get<Portals>(`${base(site)}/portals`),
  portal: (site: string, projectId: string) => get<PortalWithRequestTypes>(`${base(site)}/portals/${enc(projectId)}`),
  requestType: (site: string, projectId: string, requestTypeId: string) =>
    get<RequestTypeForm>(`${base(site)}/portals/${enc(projectId)}/request-types/${enc(requestTypeId)}`),
  raise: (site: string, body: { projectId: string; requestTypeId: string; fields: Record<string, string | string[] | null>; participants: string[] }) =>
    post<RequestView>(`${base(site)}/requests`, body),
  myRequests: (site: string, filter: 'created' | 'shared' | 'all', start: number) =>
    get<MyRequestsPage>(`${base(site)}/requests?filter=${filter}&start=${start}&limit=25`),
  request: (site: string, key: string) => get<RequestView>(`${base(site)}/requests/${enc(key)}`),
  share: (site: string, key: string, accountIds: string[]) =>
    post<ParticipantsAdded>(`${base(site)}/requests/${enc(key)}/participants`, { accountIds }),
  unshare: (site: string, key: string, accountIds: string[]) =>
    del<Participants>(`${base(site)}/requests/${enc(key)}/participants`, { accountIds }),
  comment: (site: string, key: string, body: string) => post<Comment>(`${base(site)}/requests/${enc(key)}/comments`, { body }),
  editComment: (site: string, key: string, id: string, body: string) => put<Comment>(`${base(site)}/requests/${enc(key)}/comments/${enc(id)}`, { body }),
  deleteComment: (site: string, key: string, id: string) => del<void>(`${base(site)}/requests/${enc(key)}/comments/${enc(id)}`),
  transition: (site: string, key: string, status: string) => post<{ key: string; status: string }>(`${base(site)}/requests/${enc(key)}/transitions`, { status }),
  searchKb: (site: string, projectId: string, query: string, limit = 20) =>
    get<ArticlePage>(`${base(site)}/kb?projectId=${enc(projectId)}&query=${enc(query)}&limit=${limit}`),
  article: (site: string, id: string) => get<Article>(`${base(site)}/kb/${enc(id)}`),
};

/** A session that ended while the page was open (logout elsewhere, revoke): back to this site's login. */
export function useLoginOn401(site: string, error: unknown) {
  const gone = error instanceof ApiError && error.status === 401;
  const navigate = useNavigate();
  useEffect(() => {
    const next = window.location.pathname + window.location.search;
    if (gone) void navigate({ to: '/s/$site/servicedesk/customer/user/login', params: { site }, search: { next }, replace: true });
  }, [gone, site, navigate]);
}
