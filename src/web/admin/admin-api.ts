/**
 * The admin console's view of the server: the types of the /api/admin JSON contract and one function
 * per call. Screens use these through TanStack Query; query keys live here so that every action can
 * invalidate exactly the lists it changes.
 */
import type { SignupSettingsSchema } from '../../http/schemas/signup';
import { del, get, post, put, upload } from '../api';
import type { StaffSession } from '../shared/useSession';
import type { Static } from 'typebox';
import type {
  AdminOrgSchema,
  AdminSiteSchema,
  AuditEventSchema,
  AuditPageSchema,
  OutboxPageSchema,
  BulkResultSchema,
  AccessFootprintSchema,
  CustomerChangeSchema,
  CustomerPageSchema,
  ImportReportSchema,
  StaffGroupSchema,
  StaffGroupsSchema,
  StaffUserSchema,
  StaffUsersSchema,
  UserManagementSchema,
  MailTemplatePartsSchema,
  NotificationTemplateSchema,
} from '../../http/schemas/admin';
import type { CustomerSchema } from '../../http/schemas/customers';
import type { AccessNoticeSchema, BulkAccessUntilSchema } from '../../http/schemas/access-lifecycle';
import type { InboundLogSchema, MailboxSchema, SiteMailboxesSchema } from '../../http/schemas/inbound-mail';
import type { CreatedWebhookSubscriptionSchema, WebhookDeliveryPageSchema, WebhookSubscriptionSchema, WebhookSubscriptionsSchema } from '../../http/schemas/webhooks';
import type { CreatedScimTokenSchema, ScimSettingsSchema } from '../../http/schemas/scim';
import type { InactivityPolicySchema, InactivityPreviewSchema } from '../../http/schemas/inactivity-policy';

// The answers of /api/admin, exactly as the server declares them (src/http/schemas/admin.ts).
export type UserManagement = Static<typeof UserManagementSchema>;
export type Customer = Static<typeof CustomerSchema>;
export type AccessFootprint = Static<typeof AccessFootprintSchema>;
export type CustomerStatus = Customer['status'];
export type AccessNotice = Static<typeof AccessNoticeSchema>;
export type AccessNoticeKind = AccessNotice['kind'];
export type BulkAccessUntil = Static<typeof BulkAccessUntilSchema>;
/** What a revoke, grant or dated access may carry (docs/product.md#reason-and-notice). */
export interface AccessNote {
  reason?: string;
  notify?: boolean;
  includeReason?: boolean;
}
export type StatusFilter = 'all' | CustomerStatus;
/** "Inactive for more than N days" in the customer list: '' for any time */
export type InactiveFilter = '' | '30' | '90' | '180' | '365';
export type CustomerSort = 'name' | 'lastActiveDesc' | 'lastActiveAsc';

export type { StaffSession };
export type SessionOrganization = StaffSession['organizations'][number];
export type SessionSite = SessionOrganization['sites'][number];

export type AdminOrg = Static<typeof AdminOrgSchema>;
export type Mailbox = Static<typeof MailboxSchema>;
export type SiteMailboxes = Static<typeof SiteMailboxesSchema>;
export type InboundLog = Static<typeof InboundLogSchema>;
export interface MailboxInput {
  host: string;
  port: number;
  tls: boolean;
  user: string;
  password: string;
  folder?: string;
}
export type AdminSite = Static<typeof AdminSiteSchema>;
export type OrgUser = Static<typeof StaffUserSchema>;
export type OrgUsers = Static<typeof StaffUsersSchema>;
export type OrgGroup = Static<typeof StaffGroupSchema>;
export type OrgGroups = Static<typeof StaffGroupsSchema>;
export type CustomerPage = Static<typeof CustomerPageSchema>;
export type CustomerChange = Static<typeof CustomerChangeSchema>;
export type BulkAction = 'revoke' | 'grant';
export type BulkResult = Static<typeof BulkResultSchema>;
export type ImportReport = Static<typeof ImportReportSchema>;
export type AuditEvent = Static<typeof AuditEventSchema>;
export type AuditPage = Static<typeof AuditPageSchema>;
export type OutboxPage = Static<typeof OutboxPageSchema>;
export type OutboxMail = OutboxPage['values'][number];
export type WebhookSubscriptions = Static<typeof WebhookSubscriptionsSchema>;
export type WebhookSubscription = Static<typeof WebhookSubscriptionSchema>;
export type CreatedWebhookSubscription = Static<typeof CreatedWebhookSubscriptionSchema>;
export type WebhookDeliveryPage = Static<typeof WebhookDeliveryPageSchema>;
export type WebhookDelivery = WebhookDeliveryPage['values'][number];

export type NotificationTemplate = Static<typeof NotificationTemplateSchema>;
export type SignupSettings = Static<typeof SignupSettingsSchema>;
export type MailTemplateParts = Static<typeof MailTemplatePartsSchema>;
export type NotificationEvent = 'created' | 'shared' | 'commented' | 'statusChanged';

/** The audit log's filters (docs/product.md#admin-console): emails or account ids, and whole UTC days. */
export interface AuditFilters {
  action?: string;
  actor?: string;
  target?: string;
  from?: string;
  to?: string;
}

export const PAGE_SIZE = 50;

const enc = encodeURIComponent;

function qs(params: Record<string, string | number | undefined>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') sp.set(k, String(v));
  const s = sp.toString();
  return s ? `?${s}` : '';
}

export const keys = {
  /** every session query (staff and customer) — after a settings change the staff session's organizations change */
  session: ['session'] as const,
  org: (orgId: string) => ['admin', 'org', orgId] as const,
  orgUsers: (orgId: string) => ['admin', 'org', orgId, 'users'] as const,
  orgGroups: (orgId: string) => ['admin', 'org', orgId, 'groups'] as const,
  audit: (orgId: string) => ['admin', 'org', orgId, 'audit'] as const,
  webhooks: (orgId: string) => ['admin', 'org', orgId, 'webhooks'] as const,
  site: (slug: string) => ['admin', 'site', slug] as const,
  siteUsers: (slug: string) => ['admin', 'site', slug, 'users'] as const,
  siteGroups: (slug: string) => ['admin', 'site', slug, 'groups'] as const,
  customers: (slug: string) => ['admin', 'site', slug, 'customers'] as const,
  notificationTemplate: (slug: string) => ['admin', 'site', slug, 'notification-template'] as const,
  accessNotices: (slug: string) => ['admin', 'site', slug, 'access-notices'] as const,
  signupSettings: (slug: string) => ['admin', 'site', slug, 'signup-settings'] as const,
  scim: (slug: string) => ['admin', 'site', slug, 'scim'] as const,
  inactivityPolicy: (slug: string) => ['admin', 'site', slug, 'inactivity-policy'] as const,
  inactivityPreview: (slug: string, inactiveDays: number, warnDays: number) => ['admin', 'site', slug, 'inactivity-policy', 'preview', inactiveDays, warnDays] as const,
  mailboxes: (slug: string) => ['admin', 'site', slug, 'mailboxes'] as const,
  inboundLog: (slug: string) => ['admin', 'site', slug, 'inbound-mail-log'] as const,
};

export const adminApi = {
  signupSettings: (slug: string) => get<SignupSettings>(`/api/admin/sites/${enc(slug)}/signup-settings`),
  inactivityPolicy: (slug: string) => get<InactivityPolicy>(`/api/admin/sites/${enc(slug)}/inactivity-policy`),
  saveInactivityPolicy: (slug: string, body: InactivityPolicyInput) => put<InactivityPolicy>(`/api/admin/sites/${enc(slug)}/inactivity-policy`, body),
  inactivityPreview: (slug: string, inactiveDays: number, warnDays: number) =>
    get<InactivityPreview>(`/api/admin/sites/${enc(slug)}/inactivity-policy/preview?inactiveDays=${inactiveDays}&warnDays=${warnDays}`),
  scimSettings: (slug: string) => get<Static<typeof ScimSettingsSchema>>(`/api/admin/sites/${enc(slug)}/scim`),
  createScimToken: (slug: string, label: string) => post<Static<typeof CreatedScimTokenSchema>>(`/api/admin/sites/${enc(slug)}/scim/tokens`, { label }),
  revokeScimToken: (slug: string, id: string) => del<void>(`/api/admin/sites/${enc(slug)}/scim/tokens/${enc(id)}`),
  setScimOnDelete: (slug: string, onDelete: 'revoke' | 'delete') => put<{ onDelete: 'revoke' | 'delete' }>(`/api/admin/sites/${enc(slug)}/scim/settings`, { onDelete }),
  saveSignupSettings: (slug: string, settings: SignupSettings) => put<SignupSettings>(`/api/admin/sites/${enc(slug)}/signup-settings`, settings),
  notificationTemplate: (slug: string) => get<NotificationTemplate>(`/api/admin/sites/${enc(slug)}/notification-template`),
  mailboxes: (slug: string) => get<SiteMailboxes>(`/api/admin/sites/${enc(slug)}/mailboxes`),
  setMailbox: (slug: string, key: string, mailbox: MailboxInput) => put<Mailbox>(`/api/admin/sites/${enc(slug)}/projects/${enc(key)}/mailbox`, mailbox),
  removeMailbox: (slug: string, key: string) => del<null>(`/api/admin/sites/${enc(slug)}/projects/${enc(key)}/mailbox`),
  inboundLog: (slug: string) => get<InboundLog>(`/api/admin/sites/${enc(slug)}/inbound-mail-log?limit=50`),
  saveNotificationTemplate: (slug: string, template: MailTemplateParts) => put<NotificationTemplate>(`/api/admin/sites/${enc(slug)}/notification-template`, template),
  resetNotificationTemplate: (slug: string) => del<NotificationTemplate>(`/api/admin/sites/${enc(slug)}/notification-template`),
  previewNotificationTemplate: (slug: string, template: MailTemplateParts, event: NotificationEvent) =>
    post<MailTemplateParts>(`/api/admin/sites/${enc(slug)}/notification-template/preview`, { template, event }),
  org: (orgId: string) => get<AdminOrg>(`/api/admin/orgs/${enc(orgId)}`),
  updateSettings: (orgId: string, userManagement: UserManagement) =>
    put<AdminOrg>(`/api/admin/orgs/${enc(orgId)}/settings`, { userManagement }),
  orgUsers: (orgId: string) => get<OrgUsers>(`/api/admin/orgs/${enc(orgId)}/users`),
  orgGroups: (orgId: string) => get<OrgGroups>(`/api/admin/orgs/${enc(orgId)}/groups`),
  siteUsers: (slug: string) => get<OrgUsers>(`/api/admin/sites/${enc(slug)}/users`),
  siteGroups: (slug: string) => get<OrgGroups>(`/api/admin/sites/${enc(slug)}/groups`),
  auditLog: (orgId: string, p: AuditFilters & { start: number; limit: number }) =>
    get<AuditPage>(`/api/admin/orgs/${enc(orgId)}/audit-log${qs({ ...p })}`),
  auditExportUrl: (orgId: string, p: AuditFilters) => `/api/admin/orgs/${enc(orgId)}/audit-log/export.csv${qs({ ...p })}`,
  outbox: (orgId: string, p: { start: number; limit: number }) => get<OutboxPage>(`/api/orgs/${enc(orgId)}/outbox${qs(p)}`),
  webhooks: (orgId: string) => get<WebhookSubscriptions>(`/api/admin/orgs/${enc(orgId)}/webhooks`),
  createWebhook: (orgId: string, body: { url: string; description: string; events: string[] }) =>
    post<CreatedWebhookSubscription>(`/api/admin/orgs/${enc(orgId)}/webhooks`, body),
  updateWebhook: (orgId: string, id: string, body: { enabled?: boolean; url?: string; description?: string; events?: string[] }) =>
    put<WebhookSubscription>(`/api/admin/orgs/${enc(orgId)}/webhooks/${enc(id)}`, body),
  deleteWebhook: (orgId: string, id: string) => del<null>(`/api/admin/orgs/${enc(orgId)}/webhooks/${enc(id)}`),
  webhookDeliveries: (orgId: string, id: string) => get<WebhookDeliveryPage>(`/api/admin/orgs/${enc(orgId)}/webhooks/${enc(id)}/deliveries?limit=50`),
  resendWebhook: (orgId: string, id: string, deliveryId: string) =>
    post<WebhookDelivery>(`/api/admin/orgs/${enc(orgId)}/webhooks/${enc(id)}/deliveries/${enc(deliveryId)}/resend`),
  site: (slug: string) => get<AdminSite>(`/api/admin/sites/${enc(slug)}`),
  customers: (slug: string, p: { query: string; status: StatusFilter; inactive: InactiveFilter; sort: CustomerSort; start: number; limit: number }) =>
    get<CustomerPage>(
      `/api/admin/sites/${enc(slug)}/customers${qs({ query: p.query, status: p.status, inactiveDays: p.inactive || undefined, sort: p.sort === 'name' ? undefined : p.sort, start: p.start, limit: p.limit })}`,
    ),
  exportUrl: (slug: string, p: { query: string; status: StatusFilter; inactive: InactiveFilter }) =>
    `/api/admin/sites/${enc(slug)}/customers/export.csv${qs({ query: p.query, status: p.status, inactiveDays: p.inactive || undefined })}`,
  footprint: (slug: string, accountId: string) => get<AccessFootprint>(`/api/admin/sites/${enc(slug)}/customers/${enc(accountId)}/access-footprint`),
  revoke: (slug: string, accountId: string, note: AccessNote = {}) => post<CustomerChange>(`/api/admin/sites/${enc(slug)}/customers/${enc(accountId)}/revoke`, note),
  grant: (slug: string, accountId: string, note: AccessNote = {}) => post<CustomerChange>(`/api/admin/sites/${enc(slug)}/customers/${enc(accountId)}/grant`, note),
  accessUntil: (slug: string, accountId: string, until: string | null, note: AccessNote = {}) =>
    put<CustomerChange>(`/api/admin/sites/${enc(slug)}/customers/${enc(accountId)}/access-until`, { until, ...note }),
  bulkAccessUntil: (slug: string, accountIds: string[], until: string | null, note: AccessNote = {}) =>
    post<BulkAccessUntil>(`/api/admin/sites/${enc(slug)}/customers/bulk-access-until`, { accountIds, until, ...note }),
  accessNotices: (slug: string) => get<AccessNotice[]>(`/api/admin/sites/${enc(slug)}/access-notices`),
  saveAccessNotice: (slug: string, kind: AccessNoticeKind, template: { subject: string; text: string }) =>
    put<AccessNotice>(`/api/admin/sites/${enc(slug)}/access-notices/${kind}`, template),
  resetAccessNotice: (slug: string, kind: AccessNoticeKind) => del<AccessNotice>(`/api/admin/sites/${enc(slug)}/access-notices/${kind}`),
  changePassword: (slug: string, accountId: string, password: string) =>
    put<void>(`/api/admin/sites/${enc(slug)}/customers/${enc(accountId)}/password`, { password }),
  changeName: (slug: string, accountId: string, displayName: string) =>
    put<CustomerChange>(`/api/admin/sites/${enc(slug)}/customers/${enc(accountId)}/name`, { displayName }),
  changeEmail: (slug: string, accountId: string, email: string) =>
    post<CustomerChange>(`/api/admin/sites/${enc(slug)}/customers/${enc(accountId)}/email-change`, { email }),
  cancelEmailChange: (slug: string, accountId: string) => del<CustomerChange>(`/api/admin/sites/${enc(slug)}/customers/${enc(accountId)}/email-change`),
  deleteCustomer: (slug: string, accountId: string) => del<void>(`/api/admin/sites/${enc(slug)}/customers/${enc(accountId)}`),
  bulk: (slug: string, action: BulkAction, accountIds: string[], dryRun: boolean, note: AccessNote = {}) =>
    post<BulkResult>(`/api/admin/sites/${enc(slug)}/customers/bulk`, { action, accountIds, dryRun, ...note }),
  importCustomers: (slug: string, file: Blob, dryRun: boolean) =>
    upload<ImportReport>(`/api/admin/sites/${enc(slug)}/customers/import${qs({ dryRun: dryRun ? 'true' : undefined })}`, file, 'text/csv'),
};

/** Audit actions in words, as the Audit log tab shows them and offers them in its filter. */
export const AUDIT_ACTIONS: Array<{ id: string; label: string }> = [
  { id: 'customer.access.revoked', label: 'Revoked access' },
  { id: 'customer.access.granted', label: 'Granted access' },
  { id: 'customer.access_until.set', label: 'Set access until a date' },
  { id: 'customer.access_until.cleared', label: 'Cleared access until a date' },
  { id: 'site.access_notice.changed', label: 'Changed access notice' },
  { id: 'site.access_notice.reset', label: 'Reset access notice' },
  { id: 'customer.password.changed', label: 'Changed password' },
  { id: 'customer.name.changed', label: 'Changed name' },
  { id: 'customer.deleted', label: 'Deleted customer' },
  { id: 'customer.password.reset', label: 'Reset password (by email)' },
  { id: 'customer.created', label: 'Created customer' },
  { id: 'customers.imported', label: 'Imported customers' },
  { id: 'project.customer.added', label: 'Added customer to project' },
  { id: 'project.customer.removed', label: 'Removed customer from project' },
  { id: 'customer_organization.created', label: 'Created customer organization' },
  { id: 'customer_organization.renamed', label: 'Renamed customer organization' },
  { id: 'customer_organization.deleted', label: 'Deleted customer organization' },
  { id: 'customer_organization.property.set', label: 'Set customer organization property' },
  { id: 'customer_organization.property.deleted', label: 'Deleted customer organization property' },
  { id: 'customer_organization.member.added', label: 'Added customer to organization' },
  { id: 'customer_organization.member.removed', label: 'Removed customer from organization' },
  { id: 'project.organization.added', label: 'Added organization to project' },
  { id: 'project.organization.removed', label: 'Removed organization from project' },
  { id: 'project.sharing.changed', label: 'Changed who customers share requests with' },
  { id: 'request.organization.shared', label: 'Shared request with organization' },
  { id: 'request.organization.unshared', label: 'Stopped sharing request with organization' },
  { id: 'organization.user_management.changed', label: 'Changed user management experience' },
  { id: 'site.notification_template.changed', label: 'Changed notification mail template' },
  { id: 'site.notification_template.reset', label: 'Reset notification mail template' },
  { id: 'site.signup_settings.changed', label: 'Changed customer sign-up settings' },
  { id: 'site.inactivity_policy.changed', label: 'Changed inactivity policy' },
  { id: 'access_review.started', label: 'Started access review' },
  { id: 'access_review.decided', label: 'Decided in access review' },
  { id: 'access_review.completed', label: 'Completed access review' },
  { id: 'access_review.cancelled', label: 'Cancelled access review' },
  { id: 'customer.signed_up', label: 'Signed up' },
  { id: 'customer.signup.verified', label: 'Confirmed email and chose a password' },
  { id: 'customer.invited', label: 'Invited customer' },
  { id: 'customer.email.change_requested', label: 'Asked to change customer email' },
  { id: 'customer.email.change_cancelled', label: 'Cancelled customer email change' },
  { id: 'customer.email.changed', label: 'Confirmed new email address' },
  { id: 'customer.invitation.accepted', label: 'Accepted invitation' },
  { id: 'webhook.subscription.created', label: 'Added webhook endpoint' },
  { id: 'webhook.subscription.updated', label: 'Changed webhook endpoint' },
  { id: 'webhook.subscription.enabled', label: 'Switched webhook endpoint on' },
  { id: 'webhook.subscription.disabled', label: 'Switched webhook endpoint off' },
  { id: 'webhook.subscription.deleted', label: 'Deleted webhook endpoint' },
  { id: 'webhook.delivery.resent', label: 'Resent webhook delivery' },
  { id: 'site.identity_provider.changed', label: 'Changed identity provider' },
  { id: 'site.identity_provider.removed', label: 'Removed identity provider' },
  { id: 'customer.sso.signed_in', label: 'Signed in with identity provider' },
  { id: 'customer.sso.account_created', label: 'Account created at first identity-provider sign-in' },
  { id: 'customer.sso.refused', label: 'Identity-provider sign-in refused' },
];

export function auditActionLabel(action: string): string {
  const known = AUDIT_ACTIONS.find((a) => a.id === action);
  if (known) return known.label;
  // An action this console does not know yet still reads as words: "customer.email.verified" → "Customer email verified".
  const words = action.replace(/[._]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The few details worth a glance in the log: "original → centralized", "bulk", "HELP", "HELP-1". */
export function auditDetails(details: Record<string, unknown> | undefined): string {
  if (!details) return '';
  const parts: string[] = [];
  const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : null);
  if (details.bulk === true) parts.push('Bulk action');
  if (details.expired === true && str(details.accessUntil)) parts.push(`Access until ${formatDateTime(str(details.accessUntil))} passed`);
  else if (str(details.accessUntil)) parts.push(`Until ${formatDateTime(str(details.accessUntil))}`);
  if (str(details.reason)) parts.push(`Reason: ${str(details.reason)}`);
  if (details.via === 'policy' && str(details.inactiveSince)) parts.push(`Inactive since ${formatDateTime(str(details.inactiveSince))}`);
  const review = details.accessReview as { name?: unknown } | undefined;
  if (review && typeof review.name === 'string') parts.push(`Access review “${review.name}”${details.decision === 'keep' || details.decision === 'revoke' ? `: ${details.decision === 'keep' ? 'Keep' : 'Revoke'}` : ''}`);
  if (details.notified === true || details.notify === true) parts.push('Customer notified');
  if (details.notice === 'revoked' || details.notice === 'granted') parts.push(details.notice === 'revoked' ? 'Revoke notice' : 'Welcome-back notice');
  if (str(details.issueKey)) parts.push(str(details.issueKey)!);
  else if (str(details.projectKey)) parts.push(`Project ${str(details.projectKey)}`);
  if (str(details.from) && str(details.to)) parts.push(`${str(details.from)} → ${str(details.to)}`);
  if (typeof details.created === 'number' && typeof details.present === 'number' && typeof details.refused === 'number') {
    parts.push(`${details.created} created, ${details.present} already customers, ${details.refused} refused`);
  }
  if (details.via === 'password_reset_link') parts.push('Via password-reset link');
  else if (details.via === 'cli') parts.push('Via command line');
  else if (details.via === 'invitation') parts.push('Via invitation');
  else if (details.via === 'signup') parts.push('Via sign-up');
  else if (details.via === 'email') parts.push('Via mail to a project');
  if (str(details.reason) && str(details.provider)) parts.push(`${str(details.provider)}: ${str(details.reason)!.replace(/_/g, ' ')}`);
  else if (str(details.provider)) parts.push(str(details.provider)!);
  if (str(details.label)) parts.push(`“${str(details.label)}”`);
  else if (str(details.name)) parts.push(`“${str(details.name)}”`);
  return parts.join('; ');
}

export function statusLabel(status: CustomerStatus): string {
  return status === 'active' ? 'Active' : 'Access revoked';
}

const dateTime = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });

export function formatDateTime(iso: string | null): string {
  return iso ? dateTime.format(new Date(iso)) : 'Never';
}

export function formatDate(iso: string | null): string {
  return iso ? dateOnly.format(new Date(iso)) : '—';
}

export type InactivityPolicy = Static<typeof InactivityPolicySchema>;
export type InactivityPreview = Static<typeof InactivityPreviewSchema>;
export interface InactivityPolicyInput {
  enabled: boolean;
  inactiveDays: number;
  warnDays: number;
  notifyOnRevoke: boolean;
  excludedAccountIds: string[];
}
