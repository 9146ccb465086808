// A request's priority (docs/product.md#assignee-and-priority): Atlassian's five names, Medium
// unless an agent sets another. RANK orders them for JQL (ORDER BY priority DESC: Highest first).

export const PRIORITIES = ['Highest', 'High', 'Medium', 'Low', 'Lowest'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const DEFAULT_PRIORITY: Priority = 'Medium';

/** Lowest 1 … Highest 5: a greater rank is a more urgent request, as Jira sorts them. */
export const PRIORITY_RANK: Record<Priority, number> = { Lowest: 1, Low: 2, Medium: 3, High: 4, Highest: 5 };

/** Jira's ids of its default priorities (REST `priority.id`). */
export const PRIORITY_ID: Record<Priority, string> = { Highest: '1', High: '2', Medium: '3', Low: '4', Lowest: '5' };

/** The priority a written name stands for, any case, spaces around ignored; undefined when none. */
export function priorityNamed(text: string): Priority | undefined {
  const wanted = text.trim().toLowerCase();
  return PRIORITIES.find((p) => p.toLowerCase() === wanted);
}
