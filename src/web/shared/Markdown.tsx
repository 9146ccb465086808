import { useMemo } from 'react';
import { renderArticleText } from './request-text';

// A knowledge-base article's text, through the web app's one Markdown renderer (shared/request-text.ts,
// docs/architecture.md#markdown): shown to everyone, so nothing in it may run.

/** A Markdown text, rendered (headings inside start at `h2`, below the page's title). */
export function Markdown({ text, className }: { text: string; className?: string }) {
  const html = useMemo(() => renderArticleText(text), [text]);
  // safe: renderArticleText escapes raw HTML and sanitises the result with DOMPurify
  return <div className={['ui-markdown', className].filter(Boolean).join(' ')} dangerouslySetInnerHTML={{ __html: html }} />;
}
