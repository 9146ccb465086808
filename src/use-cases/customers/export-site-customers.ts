import type { ActorContext } from '../context.js';
import { displayLabel } from '../../domain/display.js';
import type { CustomerRecord } from '../../db/queries/customer-records.js';
import { listCustomers } from '../../db/queries/customer-list.js';
import { authorizeSiteAction, customerListQuery } from './customer-admin.js';
import { csvRecord } from '../../domain/spreadsheet-cells.js';

const BATCH = 1000;

function customerCsvRow(c: CustomerRecord): string {
  return csvRecord([
    // the name as every screen shows it: "Name (Deactivated)" while access is revoked
    displayLabel({ display_name: c.displayName, status: c.status }),
    c.email ?? '',
    c.status === 'active' ? 'Active' : 'Access revoked',
    c.lastActiveAt ? c.lastActiveAt.toISOString() : '',
    c.createdAt.toISOString(),
    c.status === 'revoked' ? (c.revokeReason ?? '') : '',
    c.accessUntil ? c.accessUntil.toISOString() : '',
  ]);
}

/**
 * Export CSV of the admin list (same filters, every page): columns Name, Email, Status, Last active,
 * Created, Revoke reason, Access until (docs/product.md#reason-and-notice), every cell neutralized against formulas and quoted (domain/spreadsheet-cells.ts).
 * Permission is checked before anything streams; rows are read in keyset batches of 1,000 so a
 * large site never sits in memory.
 */
export async function exportSiteCustomers(
  ctx: ActorContext,
  input: { siteSlug: string; query?: string; status?: string; inactiveDays?: number },
): Promise<{ filename: string; lines: AsyncIterable<string> }> {
  const site = await authorizeSiteAction(ctx, input.siteSlug, 'list');
  const filter = { siteId: site.id, ...customerListQuery(input) };
  const db = ctx.db;
  async function* lines() {
    yield csvRecord(['Name', 'Email', 'Status', 'Last active', 'Created', 'Revoke reason', 'Access until']);
    let after: { sortName: string; accountId: string } | undefined;
    for (;;) {
      const batch = (await listCustomers(db, filter, { limit: BATCH, after })) as Array<CustomerRecord & { sortName: string }>;
      for (const c of batch) yield customerCsvRow(c);
      if (batch.length < BATCH) return;
      const last = batch[batch.length - 1];
      after = { sortName: last.sortName, accountId: last.accountId };
    }
  }
  return { filename: `${site.slug}-customers.csv`, lines: lines() };
}
