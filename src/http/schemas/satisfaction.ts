import { Type } from 'typebox';
import { DateTime } from './common.js';
import { PersonSchema } from './people.js';
import { RATING_COMMENT_MAX } from '../../domain/satisfaction.js';

/** A request's rating as the web app shows it (docs/product.md#satisfaction). */
export const RatingSchema = Type.Object({
  rating: Type.Integer({ minimum: 1, maximum: 5 }),
  comment: Type.Union([Type.String(), Type.Null()]),
  ratedAt: DateTime,
  ratedBy: PersonSchema,
});

/** The help center's view of a request's rating: the rating if any, and whether the viewer may rate now. */
export const RequestRatingSchema = Type.Object({
  rating: Type.Union([RatingSchema, Type.Null()]),
  canRate: Type.Boolean(),
});

export const RateBodySchema = Type.Object(
  {
    rating: Type.Integer({ minimum: 1, maximum: 5, title: 'A rating' }),
    comment: Type.Optional(Type.Union([Type.String({ maxLength: RATING_COMMENT_MAX, title: 'A comment on a rating' }), Type.Null()])),
  },
  { additionalProperties: false },
);

export const ProjectSatisfactionSchema = Type.Object({
  project: Type.Object({ key: Type.String(), name: Type.String() }),
  total: Type.Integer(),
  average: Type.Union([Type.Number(), Type.Null()]),
  counts: Type.Object({ '1': Type.Integer(), '2': Type.Integer(), '3': Type.Integer(), '4': Type.Integer(), '5': Type.Integer() }),
  latest: Type.Array(Type.Object({ key: Type.String(), summary: Type.String(), ...RatingSchema.properties })),
});

/** Atlassian's CSATFeedbackFullDTO (`GET|POST /rest/servicedeskapi/request/{key}/feedback`). */
export const CsatFeedbackSchema = Type.Object({
  type: Type.Literal('csat'),
  rating: Type.Integer({ minimum: 1, maximum: 5 }),
  comment: Type.Optional(Type.Object({ body: Type.String() })),
});

export const CsatFeedbackBodySchema = Type.Object(
  {
    type: Type.Optional(Type.Literal('csat', { description: 'the only kind of feedback: csat' })),
    rating: Type.Integer({ minimum: 1, maximum: 5, description: 'a whole number from 1 to 5' }),
    comment: Type.Optional(Type.Object({ body: Type.Optional(Type.String({ maxLength: RATING_COMMENT_MAX })) })),
  },
  { additionalProperties: false },
);
