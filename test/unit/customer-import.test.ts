import { describe, expect, it } from 'vitest';
import { importColumns, importRow, importStatus, type ImportColumns } from '../../src/domain/customer-import.js';

describe('reading a customer CSV (docs/product.md#import)', () => {
  it('finds the columns of Portico’s export and of Jira Service Management’s, in any case and order', () => {
    expect(importColumns(['Name', 'Email', 'Status', 'Last active', 'Created'])).toEqual({ name: 0, email: 1, status: 2 });
    expect(importColumns(['Email address', 'Account ID', 'DISPLAY NAME'])).toEqual({ name: 2, email: 0, status: null });
    expect(importColumns([' full name ', 'e-mail'])).toEqual({ name: 0, email: 1, status: null });
    expect(importColumns(['Name', 'Status'])).toMatchObject({ problem: expect.stringContaining('no Email column') });
  });

  it('reads a status as active or revoked, and nothing else', () => {
    for (const s of ['', ' ', 'Active', 'ACTIVE']) expect(importStatus(s)).toBe('active');
    for (const s of ['Access revoked', 'revoked', 'Inactive', ' deactivated ']) expect(importStatus(s)).toBe('revoked');
    for (const s of ['Suspended', 'deleted', 'yes']) expect(importStatus(s)).toBeNull();
  });

  const columns: ImportColumns = { name: 0, email: 1, status: 2 };

  it('takes the email as the name when there is none, and drops the " (Deactivated)" our export adds to a revoked name', () => {
    expect(importRow(['', 'Ann@Example.com', ''], columns, 2)).toEqual({ line: 2, email: 'Ann@Example.com', emailLower: 'ann@example.com', displayName: 'Ann@Example.com', status: 'active' });
    expect(importRow(['Bob (Deactivated)', 'bob@example.com', 'Access revoked'], columns, 3)).toMatchObject({ displayName: 'Bob', status: 'revoked' });
    // an active customer may be named so: kept as is (docs/product.md#display-rule)
    expect(importRow(['Bob (Deactivated)', 'bob@example.com', 'Active'], columns, 4)).toMatchObject({ displayName: 'Bob (Deactivated)' });
  });

  it('refuses with a reason: a bad or missing email, a bad name, an unknown status', () => {
    expect(importRow(['A', 'no-at-sign', ''], columns, 5)).toEqual({ line: 5, email: 'no-at-sign', reason: 'The email address is not valid.' });
    expect(importRow(['A'], columns, 6)).toEqual({ line: 6, email: '', reason: 'The email address is empty.' });
    expect(importRow(['A\u202eB', 'a@example.com', ''], columns, 7)).toMatchObject({ reason: expect.stringContaining('control characters') });
    expect(importRow(['A', 'a@example.com', 'Maybe'], columns, 8)).toMatchObject({ reason: expect.stringContaining('"Maybe"') });
  });
});
