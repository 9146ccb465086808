import { Type } from 'typebox';
import { Nullable, DateTime } from './common.js';
import { EXCLUSIONS_MAX, INACTIVE_DAYS_MAX } from '../../domain/inactivity-policy.js';

// A site's inactivity policy and its dry run (docs/product.md#inactivity-policy): the admin console's and REST's shapes.

export const InactivityPolicySchema = Type.Object({
  enabled: Type.Boolean({ description: 'the policy warns and revokes; off by default' }),
  inactiveDays: Type.Integer({ description: `N: an active customer inactive this many days is revoked (1 to ${INACTIVE_DAYS_MAX})` }),
  warnDays: Type.Integer({ description: 'M: the customer is mailed a warning this many days before (0: no warning; fewer than N)' }),
  notifyOnRevoke: Type.Boolean({ description: "the site's revoke notice, with the reason, is mailed when the policy revokes" }),
  excluded: Type.Array(
    Type.Object({
      accountId: Type.String(),
      displayName: Nullable(Type.String()),
      email: Nullable(Type.String()),
      status: Type.Union([Type.Literal('active'), Type.Literal('revoked'), Type.Literal('deleted')]),
    }),
    { description: 'customers the policy never warns nor revokes' },
  ),
  updatedAt: Nullable(DateTime),
});

/** What a save changes: the settings it names (the others stay as they are). */
export const InactivityPolicyBody = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    inactiveDays: Type.Optional(Type.Integer({ description: `1 to ${INACTIVE_DAYS_MAX}` })),
    warnDays: Type.Optional(Type.Integer({ description: '0 (no warning) to inactiveDays − 1' })),
    notifyOnRevoke: Type.Optional(Type.Boolean()),
    excludedAccountIds: Type.Optional(
      Type.Array(Type.String({ maxLength: 128 }), { maxItems: EXCLUSIONS_MAX, description: "the whole list of excluded customers' account ids; [] excludes nobody" }),
    ),
  },
  { additionalProperties: false },
);

export const InactivityPreviewQuery = Type.Object(
  {
    inactiveDays: Type.Optional(Type.Integer({ description: 'N to try; default the saved one' })),
    warnDays: Type.Optional(Type.Integer({ description: 'M to try; default the saved one' })),
  },
  { additionalProperties: false },
);

const PreviewCustomer = Type.Object({
  accountId: Type.String(),
  displayName: Nullable(Type.String()),
  email: Nullable(Type.String()),
  lastActiveAt: Nullable(DateTime),
  inactiveSince: DateTime,
  revokeOn: DateTime,
});

export const InactivityPreviewSchema = Type.Object({
  at: DateTime,
  inactiveDays: Type.Integer(),
  warnDays: Type.Integer(),
  revoke: Type.Object({ total: Type.Integer(), customers: Type.Array(PreviewCustomer, { description: 'the first 100, longest inactive first' }) }, { description: 'would be revoked now' }),
  warn: Type.Object({ total: Type.Integer(), customers: Type.Array(PreviewCustomer) }, { description: 'would be mailed a warning now' }),
  more: Type.Boolean({ description: 'more than 10,000 customers are inactive: the totals are at least these' }),
});
