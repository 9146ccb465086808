import type { CommentRow } from '../../db/queries/requests.js';
import { presentPerson } from './people.js';

/** A request's comment as the internal JSON API sends it (help center and agent workspace alike). */
export const presentComment = (c: CommentRow) => ({
  id: c.id,
  body: c.body,
  public: c.public,
  createdAt: c.createdAt.toISOString(),
  author: presentPerson(c.author),
});
