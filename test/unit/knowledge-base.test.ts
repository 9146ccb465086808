import { describe, expect, it } from 'vitest';
import { kbAnyWordQuery, kbHasPhrase, validateArticle, KB_MAX_WORDS } from '../../src/domain/knowledge-base.js';
import { AppError } from '../../src/domain/errors.js';

// The knowledge base's rules (docs/product.md#knowledge-base): how a search's text becomes a
// full-text query, and what an article may hold.

describe('kbAnyWordQuery', () => {
  it('joins the words with OR, so an article needs only some of them', () => {
    expect(kbAnyWordQuery('my vpn password is wrong ')).toBe('my | vpn | password | is | wrong');
  });

  it('also matches the word being typed by its start, once it has three letters', () => {
    expect(kbAnyWordQuery('vpn pass')).toBe('vpn | pass | pass:*');
    expect(kbAnyWordQuery('vpn pa')).toBe('vpn | pa');
    expect(kbAnyWordQuery('"vpn password"')).toBe('vpn | password');
  });

  it("keeps to_tsquery's syntax out: only letters and digits reach it", () => {
    expect(kbAnyWordQuery("(vpn) & !pass:* | 'x'")).toBe('vpn | pass | x');
    expect(kbAnyWordQuery('!!! ??? ')).toBeNull();
    expect(kbAnyWordQuery('')).toBeNull();
  });

  it(`uses at most ${KB_MAX_WORDS} distinct words, each at most 64 characters`, () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ') + ' ';
    expect(kbAnyWordQuery(words)!.split(' | ')).toHaveLength(KB_MAX_WORDS);
    expect(kbAnyWordQuery('a'.repeat(100) + ' ')).toBe('a'.repeat(64));
    expect(kbAnyWordQuery('vpn VPN vpn ')).toBe('vpn');
  });
});

describe('kbHasPhrase', () => {
  it('is true for words in double quotes only', () => {
    expect(kbHasPhrase('"vpn password"')).toBe(true);
    expect(kbHasPhrase('reset "vpn"')).toBe(true);
    expect(kbHasPhrase('vpn password')).toBe(false);
    expect(kbHasPhrase('"" "!!"')).toBe(false);
  });
});

describe('validateArticle', () => {
  it('trims the title and category and stores a blank category as none', () => {
    expect(validateArticle({ title: '  Printer troubleshooting ', body: 'Text', category: '  ' })).toEqual({ title: 'Printer troubleshooting', body: 'Text', category: null });
  });

  it('refuses in plain words, naming the field', () => {
    const refusal = (input: Parameters<typeof validateArticle>[0]) => {
      try {
        validateArticle(input);
      } catch (e) {
        expect(e).toBeInstanceOf(AppError);
        return { message: (e as AppError).message, fields: (e as AppError).fieldErrors };
      }
      throw new Error('accepted');
    };
    expect(refusal({ title: ' ', body: '', category: null })).toEqual({ message: 'Title is required.', fields: { title: 'Title is required.' } });
    expect(refusal({ title: 't'.repeat(256), body: '', category: null }).message).toBe('A title can be at most 255 characters.');
    expect(refusal({ title: 'T', body: 'b'.repeat(100_001), category: null }).message).toBe('An article can be at most 100,000 characters.');
    expect(refusal({ title: 'T', body: '', category: 'c'.repeat(61) }).message).toBe('A category can be at most 60 characters.');
  });
});
