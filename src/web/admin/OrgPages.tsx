/**
 * The organization console's pages, one file each; routes.tsx loads them through this module
 * (with Landing and SiteAdmin) as the admin surface's one download.
 */
export { OrgOverviewPage } from './OrgOverviewPage';
export { OrgDirectoryPage } from './OrgDirectoryPage';
export { OrgProductsPage } from './OrgProductsPage';
export { CentralizedSitePage } from './CentralizedSitePage';
export { OrgAuditLogPage } from './AuditLog';
export { OrgOutboxPage } from './Outbox';
export { OrgWebhooksPage } from './Webhooks';
