import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { AxeResults, Result, RunOptions } from 'axe-core';

/**
 * The accessibility rules every page of Portico keeps (issue 8, item 11): axe-core's WCAG 2.0 and 2.1
 * A and AA rules and its best practices (landmarks, one h1, unique ids …). Every screen the end-to-end
 * suite reaches is checked against them, once (test/e2e/support/browser.ts), and
 * test/e2e/accessibility.test.ts visits every page of every surface on purpose.
 */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

export type AxeViolation = Result;

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// axe-core is put into a page only when a scan runs (axeViolations, below), not into every document
// as it starts: as an init script it ran in every new page's blank first document and again in every
// page a test opened (about 0.19 s and 0.15 s each here), while most loads are never scanned (the same
// screen was checked already: screenOf). Sending its 560 kB to the page is what costs (about 0.11 s
// through the DevTools protocol, against 3 ms for V8 to compile it again and 7 ms to run it), so it is
// sent once per browser context and kept in the origin's localStorage, from which the context's later
// documents evaluate it. docs/architecture.md, "End-to-end tests".
const KEPT_AS = 'portico-test:axe-core';

/**
 * What axe's rules read of the page as it is now, as a short hash: every element's tag, role, class,
 * inline style, state attributes (hidden, disabled, open, tabindex, type) and ARIA attributes —
 * their values, except those that hold ids or a name (aria-label, aria-labelledby, aria-controls …),
 * which count by their presence, as do for, alt, title, href, src, name and placeholder; whether it
 * holds text of its own; a landmark's name (two landmarks of a kind must differ by it). Runs of
 * siblings that are alike count once, so a list of three requests and one of thirty are one screen.
 * Not in it: the text itself, ids (only whether some id is used twice) and values. Two loads with
 * the same hash at the same window size are the same screen to axe: the end-to-end tests check each
 * screen once (test/e2e/support/browser.ts).
 */
export function screenOf(page: Page): Promise<string> {
  return page.evaluate(() => {
    const VALUED = ['role', 'class', 'style', 'type', 'hidden', 'disabled', 'open', 'tabindex', 'lang', 'dir', 'inert'];
    const PRESENT = ['for', 'alt', 'title', 'href', 'src', 'name', 'placeholder', 'id'];
    const NAMING = new Set(['aria-label', 'aria-labelledby', 'aria-describedby', 'aria-controls', 'aria-owns', 'aria-activedescendant', 'aria-errormessage', 'aria-details', 'aria-valuenow', 'aria-valuetext', 'aria-posinset', 'aria-setsize', 'aria-rowindex', 'aria-colindex', 'aria-rowcount', 'aria-colcount']);
    const LANDMARKS = new Set(['NAV', 'ASIDE', 'SECTION', 'FORM', 'MAIN', 'HEADER', 'FOOTER']);
    // FNV-1a, two seeds: 64 bits in two 32-bit halves
    const hash = (text: string): string => {
      let a = 0x811c9dc5;
      let b = 0x01000193 ^ 0x5bd1e995;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        a = Math.imul(a ^ c, 0x01000193);
        b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
      }
      return (a >>> 0).toString(36) + (b >>> 0).toString(36);
    };
    const of = (element: Element): string => {
      const parts = [element.tagName];
      for (const name of VALUED) {
        const value = element.getAttribute(name);
        if (value !== null) parts.push(`${name}=${value}`);
      }
      for (const name of element.getAttributeNames()) {
        if (PRESENT.includes(name) || NAMING.has(name)) parts.push(name);
        else if (name.startsWith('aria-')) parts.push(`${name}=${element.getAttribute(name)}`);
      }
      if ((LANDMARKS.has(element.tagName) || element.getAttribute('role') === 'region') && element.hasAttribute('aria-label')) parts.push(`named=${element.getAttribute('aria-label')}`);
      for (const child of element.childNodes) {
        if (child.nodeType === Node.TEXT_NODE && (child.textContent ?? '').trim()) {
          parts.push('text');
          break;
        }
      }
      let previous = '';
      for (const child of element.children) {
        if (child.tagName === 'SCRIPT' || child.tagName === 'STYLE') continue;
        const h = of(child);
        if (h !== previous) parts.push(h);
        previous = h;
      }
      return hash(parts.join(' '));
    };
    const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
    const html = document.documentElement;
    const page = [html.getAttribute('lang') ?? '', document.title.trim() ? 'titled' : '', new Set(ids).size !== ids.length ? 'duplicate ids' : ''];
    return hash([...page, document.body ? of(document.body) : ''].join('|'));
  });
}

/** Runs axe on the page as it is now and returns its violations (none when it is accessible). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const options: RunOptions = { runOnly: { type: 'tag', values: AXE_TAGS }, resultTypes: ['violations'] };
  const run = (source: string | null) =>
    page.evaluate(
      async ({ source, options, keptAs }) => {
        const w = window as unknown as { axe?: { run(context: Document, options: unknown): Promise<AxeResults> } };
        if (!w.axe) {
          // sent with this call, or kept by an earlier document of the context (storage may be refused: then it is sent each time)
          const stored = () => {
            try {
              return window.localStorage.getItem(keptAs);
            } catch {
              return null;
            }
          };
          const code = source ?? stored();
          if (code) (0, eval)(code);
          if (w.axe && source) {
            try {
              window.localStorage.setItem(keptAs, source);
            } catch {}
          }
        }
        if (!w.axe) return null;
        return (await w.axe.run(document, options)).violations;
      },
      { source, options, keptAs: KEPT_AS },
    );
  return (await run(null)) ?? (await run(AXE_SOURCE)) ?? [];
}

/** One readable block per page: each rule with its impact and help, and every element it found, by selector. */
export function describeViolations(url: string, violations: AxeViolation[], viewport?: string): string {
  const lines = [`${url}${viewport ? ` (${viewport})` : ''}: ${violations.length} axe violation${violations.length === 1 ? '' : 's'}`];
  for (const v of violations) {
    lines.push(`  ${v.id} [${v.impact ?? 'no impact'}] ${v.help} (${v.helpUrl})`);
    for (const node of v.nodes) {
      lines.push(`    at ${node.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : String(t))).join(' ')}`);
      const summary = node.failureSummary?.split('\n').map((l) => l.trim()).filter((l) => l && !/^Fix (any|all) of the following:$/.test(l));
      if (summary?.length) lines.push(`       ${summary.join('; ')}`);
    }
  }
  return lines.join('\n');
}
