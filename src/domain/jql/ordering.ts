import type { RequestStatus } from '../request-workflow.js';
export { PRIORITY_RANK } from '../priority.js';

// Orderings shared by the SQL planner's ORDER BY and the in-memory evaluator, so the two sort alike.

/** Orders numeric id strings (bigint columns) by value. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Orders strings by code point, which is what COLLATE "C" does on UTF-8 text. */
export function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

export const STATUS_ORDER: Record<RequestStatus, number> = { 'Waiting for approval': 0, Open: 1, 'Waiting for support': 2, 'Waiting for customer': 3, 'In progress': 4, Resolved: 5, Declined: 6, Closed: 7 };
