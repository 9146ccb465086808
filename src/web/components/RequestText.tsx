import { useMemo } from 'react';
import { renderRequestText } from '../shared/request-text';
import './RequestText.css';

/** A description or a comment, rendered the same way on every surface (shared/request-text.ts). */
export function RequestText({ text, className }: { text: string; className?: string }) {
  const html = useMemo(() => renderRequestText(text), [text]);
  // safe: renderRequestText escapes raw HTML and sanitises the result with DOMPurify
  return <div className={className ? `request-text ${className}` : 'request-text'} dangerouslySetInnerHTML={{ __html: html }} />;
}
