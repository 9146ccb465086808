import { Type } from 'typebox';
import { PersonSchema } from './people.js';

/** A portal-only customer as the admin console lists it (presenters/customers.ts presentCustomer). */
export const CustomerSchema = Type.Object({
  accountId: Type.String(),
  displayName: Type.String(),
  label: Type.String({ description: 'display label: "Name" or "Name (Deactivated)"' }),
  email: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('revoked')]),
  lastActiveAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

/** A customer of a project as the agent workspace lists it: the person plus the admin list's status (presentProjectCustomer). */
export const ProjectCustomerSchema = Type.Object({
  ...PersonSchema.properties,
  status: Type.Union([Type.Literal('active'), Type.Literal('revoked'), Type.Literal('deleted')]),
  statusLabel: Type.Union([Type.Literal('Active'), Type.Literal('Access revoked')]),
});
