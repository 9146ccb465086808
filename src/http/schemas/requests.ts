import { Type } from 'typebox';
import { PersonSchema } from './people.js';
import { DateTime } from './common.js';

// Shapes the help center (schemas/portal.ts) and the agent workspace (schemas/agent.ts) share.

/** The comment of a request as the help center and the agent workspace send it (presenters/comments.ts). */
export const CommentSchema = Type.Object({
  id: Type.String(),
  body: Type.String(),
  public: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  author: PersonSchema,
  /** when its author last edited it */
  editedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  /** written by a customer (the agent view labels it as the customer's) */
  fromCustomer: Type.Boolean(),
  /** only to its author, while they may still edit or delete it (docs/product.md#composer) */
  editableUntil: Type.Optional(Type.String({ format: 'date-time' })),
});

/** A status or a comment's text (`text`), or the people a field held (`people`); neither: empty. */
const HistoryValueSchema = Type.Object({
  text: Type.Optional(Type.String()),
  people: Type.Optional(Type.Array(PersonSchema)),
});

/** One change of one field of a request, for agents (docs/product.md#history). */
export const HistoryEntrySchema = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  actor: PersonSchema,
  field: Type.String({ description: "'status', 'reporter', 'participants', 'customfield_…' or 'comment'" }),
  fieldName: Type.String(),
  change: Type.Union([Type.Literal('changed'), Type.Literal('edited'), Type.Literal('deleted')]),
  from: HistoryValueSchema,
  to: HistoryValueSchema,
  commentId: Type.Union([Type.String(), Type.Null()]),
});

/** A user-picker field of a request and the people it holds. */
export const PickerFieldValuesSchema = Type.Object({
  fieldKey: Type.String(),
  label: Type.String(),
  type: Type.Union([Type.Literal('user'), Type.Literal('multiuser')]),
  values: Type.Array(PersonSchema),
});

export const RequestStatusSchema = Type.Union([
  Type.Literal('Waiting for approval'),
  Type.Literal('Open'),
  Type.Literal('Waiting for support'),
  Type.Literal('Waiting for customer'),
  Type.Literal('In progress'),
  Type.Literal('Resolved'),
  Type.Literal('Declined'),
  Type.Literal('Closed'),
]);

/** What every list of requests shows of one: a queue row, an issue-search row. */
export const RequestRowFields = {
  id: Type.String(),
  key: Type.String(),
  summary: Type.String(),
  status: RequestStatusSchema,
  created: DateTime,
  updated: DateTime,
  reporter: PersonSchema,
};
