import type { Static } from 'typebox';
import type { CommentRow } from '../../domain/requests.js';
import type { Actor } from '../../domain/policies.js';
import type { CommentSchema } from '../schemas/requests.js';
import { presentPerson } from './people.js';

/** A request's comment as the internal JSON API sends it to `viewer` (help center and agent workspace alike). */
export const presentComment = (c: CommentRow, viewer: Actor): Static<typeof CommentSchema> => ({
  id: c.id,
  body: c.body,
  public: c.public,
  createdAt: c.createdAt.toISOString(),
  author: presentPerson(c.author, viewer),
});
