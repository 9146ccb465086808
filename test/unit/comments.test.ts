import { describe, expect, it } from 'vitest';
import { commentEditableUntil, decideCommentChange } from '../../src/domain/comments.js';
import { ConfigError, loadConfig } from '../../src/config.js';

// The author's edit window (docs/product.md#composer).
describe('editing one\'s own comment', () => {
  const createdAt = new Date('2026-12-04T10:00:00Z');
  const at = (minutes: number) => new Date(createdAt.getTime() + minutes * 60_000);

  it('the author may change it until the window closes, and not from then on', () => {
    expect(decideCommentChange({ authorId: 'a', createdAt }, 'a', { now: at(14.9), windowMinutes: 15 })).toBe('allow');
    expect(decideCommentChange({ authorId: 'a', createdAt }, 'a', { now: at(15), windowMinutes: 15 })).toBe('window-passed');
    expect(commentEditableUntil(createdAt, 15)).toEqual(at(15));
  });

  it('nobody else may change it, even inside the window; a window of 0 turns editing off', () => {
    expect(decideCommentChange({ authorId: 'a', createdAt }, 'b', { now: at(1), windowMinutes: 15 })).toBe('not-author');
    expect(decideCommentChange({ authorId: 'a', createdAt }, 'a', { now: createdAt, windowMinutes: 0 })).toBe('window-passed');
  });

  it('the window is 15 minutes unless PORTICO_COMMENT_EDIT_WINDOW_MINUTES says otherwise; nonsense is refused', () => {
    expect(loadConfig({}).commentEditWindowMinutes).toBe(15);
    expect(loadConfig({ PORTICO_COMMENT_EDIT_WINDOW_MINUTES: '60' }).commentEditWindowMinutes).toBe(60);
    expect(() => loadConfig({ PORTICO_COMMENT_EDIT_WINDOW_MINUTES: 'soon' })).toThrow(ConfigError);
  });
});
