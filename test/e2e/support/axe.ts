import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';
import type { AxeResults, Result, RunOptions } from 'axe-core';

/**
 * The accessibility rules every page of Portico keeps (issue 8, item 11): axe-core's WCAG 2.0 and 2.1
 * A and AA rules and its best practices (landmarks, one h1, unique ids …). Every page the end-to-end
 * suite visits is checked against them (test/e2e/support/browser.ts), and
 * test/e2e/accessibility.test.ts visits every page of every surface on purpose.
 */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

export type AxeViolation = Result;

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Puts axe-core into every document of the context as it starts (an init script, which the page's
 * Content-Security-Policy does not govern). A scan then only runs it: evaluating axe's 560 kB of
 * source before every scan, as @axe-core/playwright does, cost about 0.55 s a scan here, against
 * about 0.08 s for the run itself (docs/architecture.md, "End-to-end tests").
 */
export async function installAxe(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: AXE_SOURCE });
}

/** Runs axe on the page as it is now and returns its violations (none when it is accessible). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const options: RunOptions = { runOnly: { type: 'tag', values: AXE_TAGS }, resultTypes: ['violations'] };
  const run = (source: string | null) =>
    page.evaluate(
      async ({ source, options }) => {
        const w = window as unknown as { axe?: { run(context: Document, options: unknown): Promise<AxeResults> } };
        // a document that started before installAxe (or without it) gets axe now
        if (!w.axe && source) (0, eval)(source);
        if (!w.axe) return null;
        return (await w.axe.run(document, options)).violations;
      },
      { source, options },
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
