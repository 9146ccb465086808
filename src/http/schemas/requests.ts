import { Type } from 'typebox';
import { PersonSchema } from './people.js';

// Shapes the help center (schemas/portal.ts) and the agent workspace (schemas/agent.ts) share.

/** The comment of a request as the help center and the agent workspace send it (presenters/comments.ts). */
export const CommentSchema = Type.Object({
  id: Type.String(),
  body: Type.String(),
  public: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  author: PersonSchema,
});

/** A user-picker field of a request and the people it holds. */
export const PickerFieldValuesSchema = Type.Object({
  fieldKey: Type.String(),
  label: Type.String(),
  type: Type.Union([Type.Literal('user'), Type.Literal('multiuser')]),
  values: Type.Array(PersonSchema),
});

export const RequestStatusSchema = Type.Union([
  Type.Literal('Open'),
  Type.Literal('Waiting for support'),
  Type.Literal('Waiting for customer'),
  Type.Literal('In progress'),
  Type.Literal('Resolved'),
  Type.Literal('Closed'),
]);
