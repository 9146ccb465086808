import type { Static } from 'typebox';
import type { CustomerOrganizationRowSchema, CustomerOrganizationSchema } from '../schemas/organizations.js';

/** A customer organization on the internal API. */
export function presentCustomerOrganization(o: { id: string; name: string; createdAt: Date }): Static<typeof CustomerOrganizationSchema> {
  return { id: o.id, name: o.name, createdAt: o.createdAt.toISOString() };
}

/** A row of an organizations list: the organization and how many members it has. */
export function presentCustomerOrganizationRow(o: { id: string; name: string; createdAt: Date; memberCount: number }): Static<typeof CustomerOrganizationRowSchema> {
  return { ...presentCustomerOrganization(o), memberCount: o.memberCount };
}
