import type { InactivityPolicyView, InactivityPreview, InactivityPreviewCustomer } from '../../use-cases/customer-access/inactivity-policy.js';

export function presentInactivityPolicy(p: InactivityPolicyView) {
  return { ...p, updatedAt: p.updatedAt?.toISOString() ?? null };
}

const customer = (c: InactivityPreviewCustomer) => ({
  ...c,
  lastActiveAt: c.lastActiveAt?.toISOString() ?? null,
  inactiveSince: c.inactiveSince.toISOString(),
  revokeOn: c.revokeOn.toISOString(),
});

export function presentInactivityPreview(p: InactivityPreview) {
  return {
    ...p,
    at: p.at.toISOString(),
    revoke: { total: p.revoke.total, customers: p.revoke.customers.map(customer) },
    warn: { total: p.warn.total, customers: p.warn.customers.map(customer) },
  };
}
