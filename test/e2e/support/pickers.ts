import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/** The people searches behind the comboboxes: the user pickers and the issue search's Reporter filter. */
const PEOPLE_SEARCH = /^\/s\/[^/]+\/api\/(users\/picker|agent\/filter-users)$/;

/** The labels of the people an open picker list offers (its empty state is not one). */
export const offeredLabels = async (page: Page) =>
  (await page.getByRole('listbox').locator('.user-picker-option-label').allInnerTexts()).map((t) => t.trim());

/**
 * Types `text` into the people combobox named `label` and waits for the server's answer to exactly
 * that text (both comboboxes debounce their search), then until the list shows that answer: the
 * same people, or its "No matching people" state. No fixed wait: what the list offers afterwards is
 * the answer for the whole text, never an earlier prefix's.
 */
export async function typeInPicker(page: Page, label: string, text: string, options: { exact?: boolean } = {}): Promise<string[]> {
  const box = page.getByRole('combobox', { name: label, exact: options.exact });
  await box.click();
  await box.fill('');
  const query = text.trim();
  const answered = page.waitForResponse((r) => {
    const url = new URL(r.url());
    return PEOPLE_SEARCH.test(url.pathname) && url.searchParams.get('query') === query;
  });
  await box.pressSequentially(text, { delay: 30 });
  const response = await answered;
  expect(response.status()).toBe(200);
  const answer = ((await response.json()) as { users: Array<{ label: string }> }).users.map((u) => u.label);
  const list = page.getByRole('listbox');
  await list.waitFor({ state: 'visible' });
  await expect
    .poll(async () => {
      if ((await box.inputValue()) !== text) return 'the box does not hold the text';
      const labels = await offeredLabels(page);
      if (labels.length > 0) return labels;
      return (await list.innerText()).includes('No matching people') ? [] : 'the list is still searching';
    })
    .toEqual(answer);
  return answer;
}
