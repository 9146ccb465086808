import { Type } from 'typebox';
import { DateTime, Nullable } from './common.js';

// The SCIM server's messages (RFC 7643 resources, RFC 7644 protocol messages), as Portico sends them.

export const ScimErrorSchema = Type.Object({
  schemas: Type.Array(Type.String()),
  status: Type.String({ description: 'the HTTP status, as a string (RFC 7644 §3.12)' }),
  scimType: Type.Optional(Type.String()),
  detail: Type.String(),
});
export const scimErrors = { 400: ScimErrorSchema, 401: ScimErrorSchema, 404: ScimErrorSchema, 409: ScimErrorSchema, '4xx': ScimErrorSchema, '5xx': ScimErrorSchema } as const;

export const ScimUserSchema = Type.Object({
  schemas: Type.Array(Type.String()),
  id: Type.String({ description: "the customer's account id (qm:<uuid>)" }),
  externalId: Type.Optional(Type.String()),
  userName: Type.String(),
  name: Type.Object({ formatted: Type.String() }),
  displayName: Type.String(),
  emails: Type.Array(Type.Object({ value: Type.String(), type: Type.String(), primary: Type.Boolean() })),
  active: Type.Boolean({ description: 'false while access is revoked' }),
  meta: Type.Object({ resourceType: Type.String(), created: DateTime, lastModified: DateTime, location: Type.String() }),
});

export const ScimUserListSchema = Type.Object({
  schemas: Type.Array(Type.String()),
  totalResults: Type.Integer(),
  startIndex: Type.Integer(),
  itemsPerPage: Type.Integer(),
  Resources: Type.Array(ScimUserSchema),
});

/** A User resource in (POST, PUT): read by domain/scim.ts readScimUser, which names what is wrong in SCIM's terms. */
export const ScimUserBody = Type.Object(
  {
    schemas: Type.Optional(Type.Array(Type.String())),
    userName: Type.Optional(Type.String({ maxLength: 320 })),
    externalId: Type.Optional(Nullable(Type.String())),
    displayName: Type.Optional(Nullable(Type.String())),
    name: Type.Optional(Nullable(Type.Object({}, { additionalProperties: true }))),
    emails: Type.Optional(Nullable(Type.Array(Type.Unknown()))),
    active: Type.Optional(Nullable(Type.Union([Type.Boolean(), Type.String({ maxLength: 5 })]))),
  },
  { additionalProperties: true },
);

export const ScimPatchBody = Type.Object(
  {
    schemas: Type.Optional(Type.Array(Type.String())),
    Operations: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 1000 })),
  },
  { additionalProperties: true },
);

export const ScimListQuery = Type.Object({
  filter: Type.Optional(Type.String({ description: 'userName eq "…", externalId eq "…", emails[type eq "work"].value eq "…"' })),
  startIndex: Type.Optional(Type.Integer({ description: '1-based' })),
  count: Type.Optional(Type.Integer({ description: 'page size, at most 100' })),
  attributes: Type.Optional(Type.String({ maxLength: 1000 })),
  excludedAttributes: Type.Optional(Type.String({ maxLength: 1000 })),
});

export const ScimSiteParams = Type.Object({ site: Type.String({ minLength: 1, maxLength: 63 }) });
export const ScimUserParams = Type.Object({ site: Type.String({ minLength: 1, maxLength: 63 }), id: Type.String({ minLength: 1, maxLength: 128 }) });

/** Discovery documents (RFC 7643 §5–7): described loosely, they are fixed text. */
export const ScimDocumentSchema = Type.Object({}, { additionalProperties: true });

// The admin console's Security tab: the site's SCIM tokens and setting.
export const ScimTokenSchema = Type.Object({
  id: Type.String(),
  label: Type.String(),
  createdAt: DateTime,
  createdBy: Nullable(Type.String({ description: 'who created it; null when made with the portico command' })),
  lastUsedAt: Nullable(DateTime),
  revokedAt: Nullable(DateTime),
});
export const ScimSettingsSchema = Type.Object({
  baseUrl: Type.String({ description: "the SCIM server's base URL for the identity provider" }),
  onDelete: Type.Union([Type.Literal('revoke'), Type.Literal('delete')]),
  mayChooseDelete: Type.Boolean(),
  tokens: Type.Array(ScimTokenSchema),
});
export const CreatedScimTokenSchema = Type.Object({ id: Type.String(), label: Type.String(), token: Type.String({ description: 'shown once' }) });
