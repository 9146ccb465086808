import { Marked, type MarkedExtension, type Tokens } from 'marked';
import DOMPurify from 'dompurify';

// The one Markdown renderer of the web app (docs/product.md#request-text): request text —
// descriptions and comments, in the help center and the agent view alike — and knowledge-base
// articles. Markdown (GitHub's flavour, a single line break is a line break) made safe twice: raw
// HTML someone types is shown as the text they typed, never parsed (nothing of it can run, and no
// browser ever parses an event handler of it: Chromium reports one to the Content-Security-Policy
// even in the inert document a sanitiser parses); and what Markdown makes is passed through
// DOMPurify, which keeps only harmless elements and attributes (no scripts, event handlers,
// javascript: links, styles, forms or frames). Request text shows no images; an article may.

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const rawHtmlAsText: MarkedExtension = {
  renderer: {
    // raw HTML (a block or an inline tag) is text, as typed
    html(token: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(token.text);
    },
  },
};

const requestMarkdown = new Marked({ gfm: true, breaks: true, async: false }, rawHtmlAsText);
const articleMarkdown = new Marked({ gfm: true, breaks: true, async: false }, rawHtmlAsText, {
  renderer: {
    // a "# Heading" in an article is a section of the page, whose own title is its one h1
    heading({ tokens, depth }) {
      const level = Math.min(6, depth + 1);
      return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
    },
  },
});

/** Request text as HTML with raw HTML escaped (not yet sanitised: see renderRequestText). */
export function markdownToHtml(text: string): string {
  return requestMarkdown.parse(text, { async: false });
}

let hooked = false;
function purifier() {
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      // links open in a new tab, without handing the opener or the referrer to the other site
      if (node.tagName === 'A' && node.getAttribute('href')) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer nofollow');
      }
      // an image without a text is taken as decoration, not read out as its file name
      if (node.tagName === 'IMG' && !node.hasAttribute('alt')) node.setAttribute('alt', '');
    });
    hooked = true;
  }
  return DOMPurify;
}

const FORBID_TAGS = ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'svg', 'math'];

/** Request text (a description, a comment) as safe HTML, for the RequestText component. */
export function renderRequestText(text: string): string {
  return purifier().sanitize(markdownToHtml(text), {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['img', ...FORBID_TAGS],
    FORBID_ATTR: ['style', 'class', 'id'],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|\/|#)/i,
  });
}

/** A knowledge-base article as safe HTML: its headings start at h2, below the page's title. */
export function renderArticleText(text: string): string {
  return purifier().sanitize(articleMarkdown.parse(text, { async: false }), { USE_PROFILES: { html: true }, FORBID_TAGS, FORBID_ATTR: ['style', 'class', 'id'] });
}
