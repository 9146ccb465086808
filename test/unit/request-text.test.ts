import { describe, expect, it } from 'vitest';
import { markdownToHtml } from '../../src/web/shared/request-text.js';

// The one renderer of request text (docs/product.md#request-text), its Markdown stage. The browser
// stage (DOMPurify) is proven in Chromium by test/e2e/composer-history.test.ts.
describe('request text', () => {
  it('a single line break is a line break, and lists read as lists', () => {
    expect(markdownToHtml('Line one\nLine two')).toBe('<p>Line one<br>Line two</p>\n');
    expect(markdownToHtml('Steps:\n\n- restart\n- log in')).toContain('<ul>\n<li>restart</li>\n<li>log in</li>\n</ul>');
    expect(markdownToHtml('1. one\n2. two')).toContain('<ol>');
  });

  it('raw HTML is shown as the text typed, never as markup', () => {
    const html = markdownToHtml('<script>alert(1)</script>\n\nHi <img src=x onerror="alert(2)"> there');
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(2)&quot;&gt;');
  });
});
