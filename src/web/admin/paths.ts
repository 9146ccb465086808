import type { UserManagement } from './admin-api';

/** Paths, names and messages shared by the admin console's pages (docs/product.md#admin-console). */

const enc = encodeURIComponent;
export const orgBase = (orgId: string) => `/admin/o/${enc(orgId)}`;
export const centralizedSiteBase = (orgId: string, slug: string) => `${orgBase(orgId)}/products/${enc(slug)}`;
export const originalSiteBase = (slug: string) => `/admin/s/${enc(slug)}`;

export function experienceName(m: UserManagement): string {
  return m === 'centralized' ? 'Centralized user management' : 'Original user management';
}

/** What a 404 or 403 from the admin API means on its pages (the server does not say whose it is). */
export const NOT_ADMINISTERED: Readonly<Record<number, string>> = {
  404: 'Not found, or you do not administer it.',
  403: 'You do not have permission to see this.',
};
