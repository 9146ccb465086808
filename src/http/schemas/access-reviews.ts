import { Type } from 'typebox';
import { DateTime, Nullable, Page } from './common.js';
import { REVIEW_MAX_CUSTOMERS, REVIEW_MAX_REVIEWERS } from '../../domain/access-reviews.js';
import { INACTIVE_DAYS_MAX } from '../../domain/inactivity-policy.js';
import { OFFSET_SCHEMA } from '../../domain/limits.js';

// Access reviews (docs/product.md#access-reviews): the admin console's and REST's shapes.

const Decision = Type.Union([Type.Literal('keep'), Type.Literal('revoke')]);
const Person = Type.Object({ accountId: Type.String(), displayName: Nullable(Type.String()) });
const Reviewer = Type.Object({ accountId: Type.String(), displayName: Nullable(Type.String()), email: Nullable(Type.String()) });

export const AccessReviewSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  scope: Type.Object(
    { query: Type.String({ description: 'words of a name or email; empty: any' }), inactiveDays: Nullable(Type.Integer({ description: 'inactive for more than this many days; null: any' })) },
    { description: 'the filter the customers with access were picked by when the review started' },
  ),
  dueAt: Nullable(DateTime),
  undecidedDefault: Decision,
  notifyOnRevoke: Type.Boolean({ description: "the customers it revokes are mailed the site's revoke notice, with the reason" }),
  status: Type.Union([Type.Literal('open'), Type.Literal('completed'), Type.Literal('cancelled')]),
  customers: Type.Integer({ description: 'customers in the review (snapshotted at its start)' }),
  progress: Type.Object({ decided: Type.Integer(), keep: Type.Integer(), revoke: Type.Integer() }),
  reviewers: Type.Array(Reviewer, { description: 'who decides; empty: any admin of the site' }),
  createdBy: Person,
  createdAt: DateTime,
  endedBy: Nullable(Person),
  endedAt: Nullable(DateTime),
  canDecide: Type.Optional(Type.Boolean({ description: 'whether the caller may decide in it (a reviewer, or any admin when it names none)' })),
});

export const AccessReviewListSchema = Type.Object({
  values: Type.Array(AccessReviewSchema, { description: 'newest first (at most 200)' }),
  reviewerCandidates: Type.Array(Reviewer, { description: "who may be named a reviewer: the site's org admins and site admins" }),
});

export const StartAccessReviewBody = Type.Object(
  {
    name: Type.String({ maxLength: 1000, description: '1 to 255 characters' }),
    query: Type.Optional(Type.String({ maxLength: 255, description: 'only customers a word of whose name or email matches (as the customer list searches)' })),
    inactiveDays: Type.Optional(Type.Integer({ minimum: 1, maximum: INACTIVE_DAYS_MAX, description: 'only customers inactive for more than this many days' })),
    dueAt: Type.Optional(Nullable(Type.String({ maxLength: 64, description: 'ISO 8601; at that time the review is applied, the undecided getting the default' }))),
    undecidedDefault: Type.Optional(Decision),
    notifyOnRevoke: Type.Optional(Type.Boolean({ description: "mail the site's revoke notice, with the reason, to the customers it revokes (default false)" })),
    reviewerIds: Type.Optional(Type.Array(Type.String({ maxLength: 128 }), { maxItems: REVIEW_MAX_REVIEWERS, description: "account ids of the site's admins who decide; none: any admin" })),
  },
  { additionalProperties: false, description: `Starts a review of the site's customers with access (at most ${REVIEW_MAX_CUSTOMERS})` },
);

export const ReviewItemSchema = Type.Object({
  accountId: Type.String(),
  displayName: Nullable(Type.String()),
  label: Type.String({ description: 'the name as screens show it: "Name (Deactivated)" once revoked, "Former user (Deactivated)" once deleted' }),
  email: Nullable(Type.String()),
  status: Type.Union([Type.Literal('active'), Type.Literal('revoked'), Type.Literal('deleted')], { description: 'the customer now' }),
  lastActiveAt: Nullable(DateTime),
  decision: Nullable(Decision),
  decidedBy: Nullable(Person),
  decidedAt: Nullable(DateTime),
  outcome: Nullable(Type.Union([Type.Literal('kept'), Type.Literal('revoked'), Type.Literal('already_revoked'), Type.Literal('deleted')], { description: 'once applied' })),
});

export const ReviewItemPageSchema = Page(ReviewItemSchema);

export const ReviewItemsQuery = Type.Object(
  {
    start: Type.Optional(Type.Integer({ ...OFFSET_SCHEMA, default: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    undecided: Type.Optional(Type.Boolean({ description: 'only the customers still without a decision' })),
  },
  { additionalProperties: false },
);

export const DecideBody = Type.Object({ decision: Nullable(Decision) }, { additionalProperties: false, description: '`keep`, `revoke`, or null to clear' });

export const ReviewAppliedSchema = Type.Object({
  review: AccessReviewSchema,
  applied: Type.Object({
    kept: Type.Integer(),
    revoked: Type.Integer(),
    alreadyRevoked: Type.Integer({ description: 'revoked by someone else during the review: left as they are' }),
    deleted: Type.Integer({ description: 'deleted during the review: skipped' }),
    defaulted: Type.Integer({ description: 'undecided customers who got the default' }),
  }),
});
