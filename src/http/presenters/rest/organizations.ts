import type { Static } from 'typebox';
import type { OrganizationSchema } from '../../schemas/rest.js';
import { presentDate } from './common.js';

/** JSM `OrganizationDTO` (docs/product.md#rest-shapes) of a customer organization. */
export function presentOrganization(base: string, org: { id: string; name: string; createdAt: Date }): Static<typeof OrganizationSchema> {
  return {
    id: org.id,
    name: org.name,
    created: presentDate(org.createdAt),
    scimManaged: false,
    _links: { self: `${base}/rest/servicedeskapi/organization/${org.id}` },
  };
}
