import type { Static } from 'typebox';
import type { ScimUserRow } from '../../use-cases/scim/scim-users.js';
import { SCIM_LIST_SCHEMA, SCIM_USER_SCHEMA } from '../../domain/scim.js';
import type { ScimSettings } from '../../use-cases/scim/scim-tokens.js';
import type { ScimSettingsSchema, ScimUserListSchema, ScimUserSchema } from '../schemas/scim.js';

/** The base URL an identity provider is given: {public URL}/s/{site}/scim/v2 */
export function scimBaseUrl(origin: string, siteSlug: string): string {
  return `${origin}/s/${siteSlug}/scim/v2`;
}

/** A customer as a SCIM User resource (RFC 7643 §4.1): the account id is its id, its email its one work email. */
export function presentScimUser(user: ScimUserRow, base: string): Static<typeof ScimUserSchema> {
  return {
    schemas: [SCIM_USER_SCHEMA],
    id: user.accountId,
    ...(user.externalId !== null ? { externalId: user.externalId } : {}),
    userName: user.userName,
    name: { formatted: user.displayName },
    displayName: user.displayName,
    emails: [{ value: user.email, type: 'work', primary: true }],
    active: user.active,
    meta: { resourceType: 'User', created: user.createdAt.toISOString(), lastModified: user.lastModified.toISOString(), location: `${base}/Users/${user.accountId}` },
  };
}

export function presentScimUserList(
  page: { totalResults: number; startIndex: number; itemsPerPage: number; users: ScimUserRow[] },
  base: string,
): Static<typeof ScimUserListSchema> {
  return {
    schemas: [SCIM_LIST_SCHEMA],
    totalResults: page.totalResults,
    startIndex: page.startIndex,
    itemsPerPage: page.itemsPerPage,
    Resources: page.users.map((u) => presentScimUser(u, base)),
  };
}

export function presentScimSettings(settings: ScimSettings, baseUrl: string): Static<typeof ScimSettingsSchema> {
  return {
    baseUrl,
    onDelete: settings.onDelete,
    mayChooseDelete: settings.mayChooseDelete,
    tokens: settings.tokens.map((t) => ({
      id: t.id,
      label: t.label,
      createdAt: t.createdAt.toISOString(),
      createdBy: t.createdByLabel,
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
      revokedAt: t.revokedAt?.toISOString() ?? null,
    })),
  };
}
