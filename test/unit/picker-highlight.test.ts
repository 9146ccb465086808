import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { highlightHtml } from '../../src/http/presenters/rest/users.js';

// REST user/picker's `html` (docs/product.md#rest-shapes): the matched words in <strong>, the rest
// escaped. The presenter escapes each run of marked or unmarked characters at once; this checks it
// against the plain definition, one character at a time.

const escapeChar = (c: string) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c;

/** The definition: walk the characters, open <strong> where a marked run starts, close it where it ends. */
function byCharacter(text: string, words: string[], wholeOnly = false): string {
  const lower = text.toLowerCase();
  const marks = new Array<boolean>(text.length).fill(false);
  for (const w of words) {
    if (!w) continue;
    for (let i = lower.indexOf(w); i >= 0; i = lower.indexOf(w, i + 1)) {
      if (i === 0 || (!wholeOnly && /[\s\p{P}]/u.test(text[i - 1]))) for (let k = i; k < i + w.length; k++) marks[k] = true;
    }
  }
  let out = '';
  let open = false;
  for (let i = 0; i < text.length; i++) {
    if (marks[i] !== open) {
      out += open ? '</strong>' : '<strong>';
      open = marks[i];
    }
    out += escapeChar(text[i]);
  }
  return open ? out + '</strong>' : out;
}

describe('the picker\'s highlighted html', () => {
  it('marks word prefixes of a name, only the start of an email, and escapes inside and outside the marks', () => {
    expect(highlightHtml('Alice Example', ['ali'])).toBe('<strong>Ali</strong>ce Example');
    expect(highlightHtml('Maria Garcia-Gomez', ['maria', 'g'])).toBe('<strong>Maria</strong> <strong>G</strong>arcia-<strong>G</strong>omez');
    expect(highlightHtml('maria.garcia@acme.test', ['maria', 'g'], true)).toBe('<strong>maria</strong>.garcia@acme.test');
    expect(highlightHtml('Eve <img src=x onerror=alert(1)>', ['eve', '<img'])).toBe('<strong>Eve</strong> <strong>&lt;img</strong> src=x onerror=alert(1)&gt;');
    expect(highlightHtml('Tom & Jerry', ['&'])).toBe('Tom <strong>&amp;</strong> Jerry');
    expect(highlightHtml('', ['a'])).toBe('');
    expect(highlightHtml('Bob', [])).toBe('Bob');
    expect(highlightHtml('Bob', ['bob'])).toBe('<strong>Bob</strong>');
  });

  it('is the per-character definition for any text and words', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'A', ' ', '-', '.', '@', '&', '<', '>', '"', "'", 'é') , maxLength: 30 });
    const words = fc.array(fc.string({ unit: fc.constantFrom('a', 'b', '-', '&', '<'), maxLength: 3 }), { maxLength: 3 });
    fc.assert(
      fc.property(text, words, fc.boolean(), (t, ws, wholeOnly) => {
        expect(highlightHtml(t, ws, wholeOnly)).toBe(byCharacter(t, ws, wholeOnly));
      }),
      { numRuns: 2000 },
    );
  });
});
