import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/**
 * The accessibility rules every page of Portico keeps (issue 8, item 11): axe-core's WCAG 2.0 and 2.1
 * A and AA rules and its best practices (landmarks, one h1, unique ids …). Every page the end-to-end
 * suite visits is checked against them (test/e2e/support/browser.ts), and
 * test/e2e/accessibility.test.ts visits every page of every surface on purpose.
 */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;
export type AxeViolation = AxeResults['violations'][number];

/** Runs axe on the page as it is now and returns its violations (none when it is accessible). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Legacy mode runs axe.run() inside the page: Portico has no frames, and the default mode would open
  // a second, blank page in the test's browser context to finish the run.
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).setLegacyMode(true).analyze();
  return results.violations;
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
