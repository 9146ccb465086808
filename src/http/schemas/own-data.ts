import { Type } from 'typebox';
import { DateTime, Nullable } from './common.js';

// A customer's own data and erasure requests (docs/product.md#own-data), Portico's REST.

const Text = Type.String();

export const ErasureRequestSchema = Type.Object(
  {
    id: Type.String(),
    status: Type.Union([Type.Literal('pending'), Type.Literal('withdrawn'), Type.Literal('approved'), Type.Literal('declined')]),
    reason: Nullable(Type.String({ description: "the customer's words; cleared when the request is approved" })),
    requestedAt: DateTime,
    decidedAt: Nullable(DateTime),
    note: Nullable(Type.String({ description: "the admin's note on a decline" })),
  },
  { title: 'Erasure request' },
);

export const PendingErasureSchema = Type.Object(
  { request: Nullable(ErasureRequestSchema) },
  { title: 'Pending erasure request', description: 'the customer\'s pending request, or null' },
);

export const ErasureRequestBody = Type.Object(
  { reason: Type.Optional(Nullable(Type.String({ maxLength: 5000, description: 'optional, at most 2,000 characters once trimmed' }))) },
  { additionalProperties: false },
);

export const DeclineErasureBody = Type.Object(
  { note: Type.String({ maxLength: 5000, description: 'why, mailed to the customer: 1 to 2,000 characters once trimmed' }) },
  { additionalProperties: false },
);

export const ErasureReviewItemSchema = Type.Object(
  {
    ...ErasureRequestSchema.properties,
    customer: Type.Object({
      accountId: Type.String(),
      displayName: Type.String({ description: 'as the display rule shows it ("Name (Deactivated)" while revoked)' }),
      emailAddress: Nullable(Type.String()),
      active: Type.Boolean(),
    }),
  },
  { title: 'Erasure request to review' },
);

export const ErasureReviewPageSchema = Type.Object(
  {
    start: Type.Integer({ minimum: 0 }),
    limit: Type.Integer({ minimum: 1 }),
    total: Type.Integer({ minimum: 0 }),
    isLastPage: Type.Boolean(),
    values: Type.Array(ErasureReviewItemSchema),
  },
  { title: 'Pending erasure requests' },
);

const Stamp = DateTime;
/** The downloaded file (streamed; this schema documents it and the web app reads it as its type). */
export const OwnDataSchema = Type.Object(
  {
    format: Type.Literal('portico.own-data/1'),
    exportedAt: Stamp,
    site: Type.Object({ slug: Text, name: Text }),
    profile: Type.Object({
      accountId: Text,
      displayName: Nullable(Text),
      email: Nullable(Text),
      status: Text,
      createdAt: Stamp,
      lastActiveAt: Nullable(Stamp),
      revokedAt: Nullable(Stamp),
    }),
    organizations: Type.Array(Type.Object({ name: Text, memberSince: Stamp })),
    notificationSettings: Type.Object({ mutedRequests: Type.Array(Type.Object({ key: Text, mutedAt: Stamp })) }),
    savedFilters: Type.Array(Type.Object({ name: Text, jql: Text, createdAt: Stamp })),
    apiTokens: Type.Array(Type.Object({ label: Text, createdAt: Stamp, lastUsedAt: Nullable(Stamp), revokedAt: Nullable(Stamp) })),
    erasureRequests: Type.Array(Type.Object({ id: Text, status: Text, reason: Nullable(Text), requestedAt: Stamp, decidedAt: Nullable(Stamp), note: Nullable(Text) })),
    commentsElsewhere: Type.Array(
      Type.Object({ requestKey: Text, body: Text, createdAt: Stamp, editedAt: Nullable(Stamp) }),
      { description: 'your comments on requests you no longer report or take part in (at most 10,000)' },
    ),
    requests: Type.Array(
      Type.Object({
        key: Text,
        yourRole: Type.Union([Type.Literal('reporter'), Type.Literal('participant')]),
        summary: Text,
        description: Text,
        status: Text,
        statusChangedAt: Stamp,
        portal: Text,
        requestType: Text,
        createdAt: Stamp,
        updatedAt: Stamp,
        reporter: Text,
        participants: Type.Array(Text),
        fields: Type.Array(Type.Object({ name: Text, values: Type.Array(Text) })),
        comments: Type.Array(Type.Object({ author: Text, byYou: Type.Boolean(), body: Text, createdAt: Stamp, editedAt: Nullable(Stamp) })),
        attachments: Type.Array(
          Type.Object({ fileName: Text, contentType: Text, size: Type.Integer(), createdAt: Stamp, uploadedByYou: Type.Boolean(), onComment: Type.Boolean() }),
        ),
        yourRating: Nullable(Type.Object({ rating: Type.Integer(), comment: Nullable(Text), ratedAt: Stamp })),
      }),
      { description: 'every request you report or take part in, with what you see of it in the help center (never internal notes)' },
    ),
  },
  { title: 'Your data' },
);
