import { SCIM_PAGE_MAX, SCIM_PATCH_OPERATIONS_MAX, SCIM_USER_SCHEMA } from '../../../domain/scim.js';
import { BODY_LIMIT_BYTES } from '../../../domain/limits.js';

// The SCIM server's discovery documents (RFC 7643 §5–7, RFC 7644 §4): what Portico supports, for
// identity providers that read them before provisioning.

const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export function serviceProviderConfig(base: string) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    documentationUri: 'https://tools.ietf.org/html/rfc7644',
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: SCIM_PAGE_MAX },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      { type: 'oauthbearertoken', name: 'Bearer token', description: "A SCIM token of the site, created in the admin console's Security tab or with `portico scim-token create`.", primary: true },
    ],
    meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
    // not in RFC 7643, for people reading it: the caps of docs/limits.md
    'urn:portico:limits': { maxBodyBytes: BODY_LIMIT_BYTES, maxPatchOperations: SCIM_PATCH_OPERATIONS_MAX },
  };
}

export function userResourceType(base: string) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: "The site's portal-only customers",
    schema: SCIM_USER_SCHEMA,
    schemaExtensions: [],
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
  };
}

export function resourceTypes(base: string) {
  return { schemas: [LIST], totalResults: 1, startIndex: 1, itemsPerPage: 1, Resources: [userResourceType(base)] };
}

const text = (name: string, description: string, extra: Record<string, unknown> = {}) => ({
  name,
  type: 'string',
  multiValued: false,
  description,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...extra,
});

export function userSchema(base: string) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
    id: SCIM_USER_SCHEMA,
    name: 'User',
    description: 'A portal-only customer of the site',
    attributes: [
      text('userName', "The identity provider's name for the customer; their email unless it says otherwise.", { required: true, uniqueness: 'server' }),
      text('externalId', "The identity provider's id of the customer.", { caseExact: true }),
      text('displayName', "The customer's full name."),
      {
        name: 'name',
        type: 'complex',
        multiValued: false,
        description: 'The full name (displayName wins when both are sent).',
        required: false,
        mutability: 'readWrite',
        returned: 'default',
        subAttributes: [text('formatted', 'The full name.'), text('givenName', 'Given name.'), text('familyName', 'Family name.')],
      },
      {
        name: 'emails',
        type: 'complex',
        multiValued: true,
        description: "The customer's email: the primary (or work) one. It cannot change once the customer exists.",
        required: false,
        mutability: 'readWrite',
        returned: 'default',
        subAttributes: [text('value', 'The address.'), text('type', 'work'), { name: 'primary', type: 'boolean', multiValued: false, required: false, mutability: 'readWrite', returned: 'default' }],
      },
      { name: 'active', type: 'boolean', multiValued: false, description: 'false revokes portal access (sessions end, pickers leave the customer out); true grants it back.', required: false, mutability: 'readWrite', returned: 'default' },
    ],
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${SCIM_USER_SCHEMA}` },
  };
}

export function schemas(base: string) {
  return { schemas: [LIST], totalResults: 1, startIndex: 1, itemsPerPage: 1, Resources: [userSchema(base)] };
}
