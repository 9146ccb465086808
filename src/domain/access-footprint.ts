/**
 * What a revoke of a customer would touch, shown before anyone confirms it (docs/product.md#footprint):
 * counts of open requests the customer reported, requests they take part in, user-picker values
 * that name them, live sessions; when they were last active; and the date their access ends on its
 * own (none yet: Portico has no dated access, so always null).
 */
export interface AccessFootprint {
  openRequestsReported: number;
  requestsParticipating: number;
  pickerFieldReferences: number;
  liveSessions: number;
  lastActiveAt: Date | null;
  accessUntil: Date | null;
}

/** The bulk dry run's sum over the customers a revoke would change; lastActiveAt is the latest of theirs. */
export function sumFootprints(footprints: Iterable<AccessFootprint>): AccessFootprint {
  const sum: AccessFootprint = { openRequestsReported: 0, requestsParticipating: 0, pickerFieldReferences: 0, liveSessions: 0, lastActiveAt: null, accessUntil: null };
  for (const f of footprints) {
    sum.openRequestsReported += f.openRequestsReported;
    sum.requestsParticipating += f.requestsParticipating;
    sum.pickerFieldReferences += f.pickerFieldReferences;
    sum.liveSessions += f.liveSessions;
    if (f.lastActiveAt && (!sum.lastActiveAt || f.lastActiveAt > sum.lastActiveAt)) sum.lastActiveAt = f.lastActiveAt;
  }
  return sum;
}
