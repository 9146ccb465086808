import { describe, expect, it } from 'vitest';
import { statusAfterReply, type RequestStatus } from '../../src/domain/request-workflow.js';

// statusAfterReply (docs/product.md#workflow): where a public reply moves a request.

const now = new Date('2026-12-03T12:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
const after = (status: RequestStatus, by: 'support' | 'customer', changed = daysAgo(1), reopenWindowDays = 14) =>
  statusAfterReply({ status, statusChangedAt: changed }, by, { now, reopenWindowDays });

describe('statusAfterReply', () => {
  it("support's reply hands a request that is Open or waiting for support to the customer, nothing else", () => {
    expect(after('Open', 'support')).toBe('Waiting for customer');
    expect(after('Waiting for support', 'support')).toBe('Waiting for customer');
    for (const s of ['Waiting for customer', 'In progress', 'Resolved', 'Closed'] as const) expect(after(s, 'support')).toBeUndefined();
  });

  it("the customer's reply hands a request waiting for them back, and reopens one resolved within the window", () => {
    expect(after('Waiting for customer', 'customer')).toBe('Waiting for support');
    expect(after('Resolved', 'customer', daysAgo(14))).toBe('Waiting for support');
    expect(after('Resolved', 'customer', daysAgo(14.01))).toBeUndefined();
    expect(after('Resolved', 'customer', daysAgo(1), 0)).toBeUndefined();
    for (const s of ['Open', 'Waiting for support', 'In progress', 'Closed'] as const) expect(after(s, 'customer')).toBeUndefined();
  });
});
