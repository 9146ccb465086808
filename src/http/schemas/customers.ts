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
  revokeReason: Type.Union([Type.String(), Type.Null()], { description: 'why access was revoked, when a reason was given' }),
  accessUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'when an active customer\'s access ends by itself' }),
  pendingEmail: Type.Union([Type.String(), Type.Null()], { description: 'the new address of an email change waiting for its confirmation (docs/product.md#change-customer-email)' }),
});

/** The body of an email change: the new address. */
export const EmailChangeBody = Type.Object({ email: Type.String({ maxLength: 1000, description: 'the new address; a link to confirm it is mailed there' }) }, { additionalProperties: false });

/**
 * What a revoke or grant may carry (docs/product.md#reason-and-notice). No body, or `{}`, changes
 * nothing about the revoke or grant itself.
 */
export const AccessChangeNoteBody = Type.Object(
  {
    reason: Type.Optional(Type.Union([Type.String({ maxLength: 5000, description: 'why (at most 1,000 characters); kept in the audit log' }), Type.Null()])),
    notify: Type.Optional(Type.Boolean({ description: 'mail the customer the site\'s revoke (or welcome-back) notice' })),
    includeReason: Type.Optional(Type.Boolean({ description: 'put the reason in the notice (default false)' })),
  },
  { additionalProperties: false },
);

/** `PUT …/access-until`: a future ISO 8601 time, or null to clear; the note applies when the access ends. */
export const AccessUntilBody = Type.Object(
  {
    until: Type.Union([Type.String({ maxLength: 64, description: 'ISO 8601, e.g. 2027-03-31T17:00:00Z' }), Type.Null()]),
    ...AccessChangeNoteBody.properties,
  },
  { additionalProperties: false },
);

/** A customer of a project as the agent workspace lists it: the person plus the admin list's status (presentProjectCustomer). */
export const ProjectCustomerSchema = Type.Object({
  ...PersonSchema.properties,
  status: Type.Union([Type.Literal('active'), Type.Literal('revoked'), Type.Literal('deleted')]),
  statusLabel: Type.Union([Type.Literal('Active'), Type.Literal('Access revoked')]),
});
