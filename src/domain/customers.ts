import type { AccountStatus } from './account-state.js';

/** A portal-only customer of one site, as the customer-administration use cases load it. */
export interface CustomerRecord {
  accountId: string;
  siteId: string;
  displayName: string | null;
  email: string | null;
  status: AccountStatus;
  createdAt: Date;
  lastActiveAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
  /** why the current revoke happened, as the admin wrote it; null when none was given or access is active */
  revokeReason: string | null;
  /** when an active customer's access ends by itself (docs/product.md#access-until) */
  accessUntil: Date | null;
  /** made from an email address alone and not yet verified by its owner: in no picker, even when active */
  awaitingVerification: boolean;
}
