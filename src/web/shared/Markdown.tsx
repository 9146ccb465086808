import { useMemo } from 'react';
import { Marked } from 'marked';
import DOMPurify from 'dompurify';

// Markdown as HTML, safely (docs/architecture.md#markdown): `marked` turns the text into HTML,
// showing any HTML the author typed as text, and DOMPurify then keeps only harmless HTML of the
// result — no script, no event handler attributes, no javascript: links, no style, no forms or
// frames. The text comes from authors (articles) but is shown to everyone, so nothing in it may run.

const marked = new Marked({ gfm: true, breaks: true, async: false });
const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

marked.use({
  renderer: {
    // HTML typed into the text is shown as the text it is, never made into elements: nothing of it
    // can run, and no browser ever parses an event handler of it (Chromium reports one to the
    // Content-Security-Policy even in the inert document a sanitiser parses)
    html({ text }) {
      return escapeHtml(text);
    },
    // a "# Heading" in the text is a section of the page, whose own title is its one h1
    heading({ tokens, depth }) {
      const level = Math.min(6, depth + 1);
      return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
    },
  },
});

const FORBID_TAGS = ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'svg', 'math'];

let hooked = false;
function purifier() {
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      // links open in a new tab and do not hand the opener to the page they lead to
      if (node.tagName === 'A' && node.getAttribute('href')) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer nofollow');
      }
      // an image written as HTML without a text is taken as decoration, not read out as its file name
      if (node.tagName === 'IMG' && !node.hasAttribute('alt')) node.setAttribute('alt', '');
    });
    hooked = true;
  }
  return DOMPurify;
}

/** The sanitised HTML of a Markdown text. */
export function markdownToSafeHtml(text: string): string {
  const html = marked.parse(text) as string;
  return purifier().sanitize(html, { USE_PROFILES: { html: true }, FORBID_TAGS, FORBID_ATTR: ['style', 'class', 'id'] });
}

/** A Markdown text, rendered (headings inside start at `h2`, below the page's title). */
export function Markdown({ text, className }: { text: string; className?: string }) {
  const html = useMemo(() => markdownToSafeHtml(text), [text]);
  return <div className={['ui-markdown', className].filter(Boolean).join(' ')} dangerouslySetInnerHTML={{ __html: html }} />;
}
