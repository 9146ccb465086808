import type { ErasureRequestRow, PendingErasureListRow } from '../../use-cases/own-data/own-data.js';
import { displayLabel } from '../../domain/display.js';
import type { OwnDataExport } from '../../use-cases/own-data/export-own-data.js';

export function presentErasureRequest(r: ErasureRequestRow) {
  return {
    id: r.id,
    status: r.status,
    reason: r.reason,
    requestedAt: new Date(r.requested_at).toISOString(),
    decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
    note: r.decision_note,
  };
}

export function presentErasureReviewItem(r: PendingErasureListRow) {
  return {
    ...presentErasureRequest(r),
    customer: {
      accountId: r.account_id,
      displayName: displayLabel({ display_name: r.display_name, status: r.account_status }),
      emailAddress: r.email,
      active: r.account_status === 'active',
    },
  };
}

/**
 * The export as JSON text, a piece at a time: the head at once, then each request as the use case
 * reads it (docs/product.md#own-data). Dates become ISO 8601 through JSON.stringify.
 */
export async function* ownDataJson(data: OwnDataExport): AsyncGenerator<string> {
  const head = JSON.stringify(data.head, null, 2);
  yield head.slice(0, head.lastIndexOf('}')).trimEnd() + ',\n  "requests": [';
  let first = true;
  for await (const request of data.requests) {
    const text = JSON.stringify(request, null, 2).replace(/\n/g, '\n    ');
    yield (first ? '\n    ' : ',\n    ') + text;
    first = false;
  }
  yield first ? ']\n}\n' : '\n  ]\n}\n';
}
