import type { Static } from 'typebox';
import type { CommentRow, HistoryEntry, HistoryValue } from '../../domain/requests.js';
import type { Actor } from '../../domain/policies.js';
import { commentEditableUntil } from '../../domain/comments.js';
import type { CommentSchema, HistoryEntrySchema } from '../schemas/requests.js';
import { presentPerson } from './people.js';

/**
 * A request's comment as the internal JSON API sends it to `viewer` (help center and agent workspace
 * alike). `editWindowMinutes` (the server's setting) adds `editableUntil` for the comment's author
 * while the window is open.
 */
export function presentComment(c: CommentRow, viewer: Actor, options: { editWindowMinutes?: number; now?: Date } = {}): Static<typeof CommentSchema> {
  const comment: Static<typeof CommentSchema> = {
    id: c.id,
    body: c.body,
    public: c.public,
    createdAt: c.createdAt.toISOString(),
    author: presentPerson(c.author, viewer),
    editedAt: c.editedAt ? c.editedAt.toISOString() : null,
    fromCustomer: c.author.kind === 'customer',
  };
  if (options.editWindowMinutes !== undefined && c.author.accountId === viewer.accountId) {
    const until = commentEditableUntil(c.createdAt, options.editWindowMinutes);
    if (until.getTime() > (options.now ?? new Date()).getTime()) comment.editableUntil = until.toISOString();
  }
  return comment;
}

function presentHistoryValue(v: HistoryValue, viewer: Actor): Static<typeof HistoryEntrySchema>['from'] {
  if (v === null) return {};
  if ('text' in v) return { text: v.text };
  return { people: v.people.map((p) => presentPerson(p, viewer)) };
}

/** A line of a request's history; every person through presentPerson ("Name (Deactivated)"). */
export const presentHistoryEntry = (h: HistoryEntry, viewer: Actor): Static<typeof HistoryEntrySchema> => ({
  id: h.id,
  at: h.at.toISOString(),
  actor: presentPerson(h.actor, viewer),
  field: h.field,
  fieldName: h.fieldName,
  change: h.change,
  from: presentHistoryValue(h.from, viewer),
  to: presentHistoryValue(h.to, viewer),
  commentId: h.commentId,
});
