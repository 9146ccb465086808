// Editing and deleting one's own comment (docs/product.md#composer): only its author, and only
// within a window after writing it (PORTICO_COMMENT_EDIT_WINDOW_MINUTES; 0 turns editing off).

export const DEFAULT_COMMENT_EDIT_WINDOW_MINUTES = 15;

/** Until when a comment written at `createdAt` may still be edited or deleted by its author. */
export function commentEditableUntil(createdAt: Date, windowMinutes: number): Date {
  return new Date(createdAt.getTime() + windowMinutes * 60_000);
}

export type CommentChangeDecision = 'allow' | 'not-author' | 'window-passed';

/** Whether `actorId` may edit or delete a comment now: its author, before the window closes. */
export function decideCommentChange(
  comment: { authorId: string; createdAt: Date },
  actorId: string,
  options: { now: Date; windowMinutes: number },
): CommentChangeDecision {
  if (comment.authorId !== actorId) return 'not-author';
  if (options.now.getTime() >= commentEditableUntil(comment.createdAt, options.windowMinutes).getTime()) return 'window-passed';
  return 'allow';
}
