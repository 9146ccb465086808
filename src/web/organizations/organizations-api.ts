import { del, get, post, put } from '../api';
import type { Static } from 'typebox';
import type {
  ChangedMembersSchema,
  CustomerSharingSchema,
  CustomerOrganizationSchema,
  CustomerOrganizationsPageSchema,
  OrganizationMembersPageSchema,
  ProjectOrganizationsPageSchema,
  RequestOrganizationsSchema,
} from '../../http/schemas/organizations';

export type CustomerSharing = Static<typeof CustomerSharingSchema>;

/** Customer organizations on the internal API (/s/{site}/api/organizations…), typed as the server declares them. */

export type CustomerOrganization = Static<typeof CustomerOrganizationSchema>;
export type OrganizationsPage = Static<typeof CustomerOrganizationsPageSchema>;
export type OrganizationRow = OrganizationsPage['values'][number];
export type MembersPage = Static<typeof OrganizationMembersPageSchema>;
export type Member = MembersPage['values'][number];
export type ProjectOrganizationsPage = Static<typeof ProjectOrganizationsPageSchema>;
export type RequestOrganizations = Static<typeof RequestOrganizationsSchema>;
type ChangedMembers = Static<typeof ChangedMembersSchema>;

const s = (site: string) => `/s/${encodeURIComponent(site)}/api`;
const e = encodeURIComponent;

export const organizationsApi = {
  list: (site: string, query: string, start: number, limit = 50) =>
    get<OrganizationsPage>(`${s(site)}/organizations?${new URLSearchParams({ query, start: String(start), limit: String(limit) })}`),
  create: (site: string, name: string) => post<CustomerOrganization>(`${s(site)}/organizations`, { name }),
  rename: (site: string, id: string, name: string) => put<CustomerOrganization>(`${s(site)}/organizations/${e(id)}`, { name }),
  remove: (site: string, id: string) => del<void>(`${s(site)}/organizations/${e(id)}`),
  members: (site: string, id: string, start: number) => get<MembersPage>(`${s(site)}/organizations/${e(id)}/members?start=${start}&limit=50`),
  addMembers: (site: string, id: string, accountIds: string[]) => post<ChangedMembers>(`${s(site)}/organizations/${e(id)}/members`, { accountIds }),
  removeMembers: (site: string, id: string, accountIds: string[]) => post<ChangedMembers>(`${s(site)}/organizations/${e(id)}/members/remove`, { accountIds }),
  ofProject: (site: string, key: string, start: number) => get<ProjectOrganizationsPage>(`${s(site)}/agent/projects/${e(key)}/organizations?start=${start}&limit=50`),
  addToProject: (site: string, key: string, organizationId: string) => post<void>(`${s(site)}/agent/projects/${e(key)}/organizations`, { organizationId }),
  setSharing: (site: string, key: string, customerSharing: CustomerSharing) =>
    put<{ customerSharing: CustomerSharing }>(`${s(site)}/agent/projects/${e(key)}/sharing`, { customerSharing }),
  removeFromProject: (site: string, key: string, organizationId: string) => del<void>(`${s(site)}/agent/projects/${e(key)}/organizations/${e(organizationId)}`),
  ofRequest: (site: string, key: string) => get<RequestOrganizations>(`${s(site)}/portal/requests/${e(key)}/organizations`),
  shareRequest: (site: string, key: string, organizationId: string) => post<RequestOrganizations>(`${s(site)}/portal/requests/${e(key)}/organizations`, { organizationId }),
  unshareRequest: (site: string, key: string, organizationId: string) => del<RequestOrganizations>(`${s(site)}/portal/requests/${e(key)}/organizations/${e(organizationId)}`),
};
