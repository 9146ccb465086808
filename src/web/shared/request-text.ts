import { Marked, type Tokens } from 'marked';
import DOMPurify from 'dompurify';

// The one renderer of request text — descriptions and comments, in the help center and the agent
// view alike (docs/product.md#request-text): Markdown (GitHub's flavour, a single line break is a
// line break) made safe twice. Raw HTML someone types is shown as the text they typed, never
// parsed; and what Markdown makes is passed through DOMPurify, which keeps only harmless elements
// and attributes (no scripts, event handlers, javascript: links, styles, forms or images).

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const markdown = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    // raw HTML (a block or an inline tag) is text, as typed
    html(token: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(token.text);
    },
  },
});

/** Markdown to HTML with raw HTML escaped (not yet sanitised: see renderRequestText). */
export function markdownToHtml(text: string): string {
  return markdown.parse(text, { async: false });
}

let hooked = false;
function purifier() {
  if (!hooked) {
    // links open in a new tab, without handing the opener or the referrer to the other site
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer nofollow');
      }
    });
    hooked = true;
  }
  return DOMPurify;
}

/** Request text as safe HTML, for the RequestText component. */
export function renderRequestText(text: string): string {
  return purifier().sanitize(markdownToHtml(text), {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['img', 'style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'svg', 'math'],
    FORBID_ATTR: ['style', 'class', 'id'],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|\/|#)/i,
  });
}
