import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

// Table types for Kysely. bigint ids come back from both drivers as strings (pg's int8 and PGlite's
// int8 parser are configured alike in connection.ts), which is what the REST API sends anyway.
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type BigId = ColumnType<string, string | number | undefined, string | number>;
type GeneratedId = ColumnType<string, string | number | undefined, string | number>;

export type UserManagement = 'original' | 'centralized';
// The domain owns these; the table types use them and re-export them for the queries.
import type { AccountKind, AccountStatus } from '../domain/account-state.js';
import type { RequestStatus } from '../domain/request-workflow.js';
import type { Priority } from '../domain/priority.js';
import type { CustomerAccess, CustomerSharing } from '../domain/requests.js';
export type { AccountKind, AccountStatus, CustomerAccess, CustomerSharing, Priority, RequestStatus };
export type OneTimeTokenPurpose = 'password_reset' | 'invitation' | 'verification' | 'email_change';
/** What became of an outbox mail (migration 20261201T2140_outbox_delivery says what each means). */
export type OutboxStatus = 'kept' | 'queued' | 'sent' | 'failed' | 'cancelled';

export interface OrganizationsTable {
  id: string;
  name: string;
  user_management: UserManagement;
  created_at: Generated<Date>;
}
export interface SitesTable {
  id: string;
  org_id: string;
  slug: string;
  name: string;
  created_at: Generated<Date>;
  /** the secret unsubscribe links are signed with (migration 20261203T0100_notifications) */
  mail_key: Generated<string>;
  /** sign-up settings (migration 20261203T0400_signup; docs/product.md#signup) */
  customer_signup: Generated<boolean>;
  /** one lower-case domain a line; empty: any */
  signup_domains: Generated<string>;
  invitation_days: Generated<number>;
  help_center_login_required: Generated<boolean>;
  /** what a SCIM DELETE does (migration 20261206T0400_scim) */
  scim_on_delete: Generated<'revoke' | 'delete'>;
}
export interface SiteProductsTable {
  site_id: string;
  product: 'service-management';
  created_at: Generated<Date>;
}
export interface AccountsTable {
  account_id: string;
  kind: AccountKind;
  site_id: string | null;
  email: string | null;
  email_lower: string | null;
  display_name: string | null;
  sort_name: string | null;
  password_hash: string | null;
  status: Generated<AccountStatus>;
  created_at: Generated<Date>;
  last_active_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
  deleted_at: Timestamp | null;
  /** why the current revoke happened, as the admin wrote it (docs/product.md#reason-and-notice) */
  revoke_reason: string | null;
  /** when an active customer's access ends, and who set it (docs/product.md#access-until) */
  access_until: Timestamp | null;
  access_until_by: string | null;
  access_until_reason: string | null;
  access_until_notice: 'notice' | 'notice_with_reason' | null;
  /** made from an email address alone, not yet proven by its owner: in no picker (docs/product.md#signup) */
  awaiting_verification: Generated<boolean>;
  /** when the inactivity policy last warned this customer (docs/product.md#inactivity-policy) */
  inactivity_warned_at: Timestamp | null;
  /** when access was last granted: inactivity counts from it too (docs/product.md#inactivity-policy) */
  access_granted_at: Timestamp | null;
}
export interface AccountSearchTermsTable {
  site_id: string;
  term: string;
  account_id: string;
  sort_name: string;
  /** every term of the account, each after a newline, in term order: written by the database (migration 20261207T0900_picker_term_words) */
  words: Generated<string>;
}
/** A revoked customer's picker terms, kept for her grant (migration 20261207T1200_dormant_search_terms) */
export interface DormantSearchTermsTable {
  account_id: string;
  site_id: string;
  /** what the terms were made from: a grant puts them back only while she still has this name and email */
  display_name: string;
  email: string;
  /** the version of the making of terms (domain/search-terms.ts SEARCH_TERMS_VERSION) */
  made_by: number;
  terms: string[];
  sort_name: string;
  words: string;
}
export interface OrgAdminsTable { org_id: string; account_id: string }
export interface SiteAdminsTable { site_id: string; account_id: string }
export interface ProjectsTable {
  id: GeneratedId;
  site_id: string;
  key: string;
  name: string;
  portal_name: string;
  portal_description: Generated<string>;
  customer_access: CustomerAccess;
  customer_sharing: Generated<CustomerSharing>;
  next_request_number: Generated<number>;
  created_at: Generated<Date>;
}
export interface ProjectAgentsTable { site_id: string; project_id: BigId; account_id: string }
export interface ProjectCustomersTable {
  site_id: string;
  project_id: BigId;
  account_id: string;
  added_at: Generated<Date>;
}
/** A site's customer organization (not a tenancy `organizations` row): migration 20261203T0200. */
export interface CustomerOrganizationsTable {
  id: GeneratedId;
  site_id: string;
  name: string;
  created_at: Generated<Date>;
  created_by: string | null;
}
export interface CustomerOrganizationMembersTable {
  site_id: string;
  organization_id: BigId;
  account_id: string;
  added_at: Generated<Date>;
}
export interface ProjectCustomerOrganizationsTable {
  site_id: string;
  project_id: BigId;
  organization_id: BigId;
  added_at: Generated<Date>;
}
export interface RequestOrganizationsTable {
  site_id: string;
  request_id: BigId;
  organization_id: BigId;
  added_at: Generated<Date>;
}
export interface CustomFieldsTable {
  id: GeneratedId;
  site_id: string;
  name: string;
  type: 'user' | 'multiuser';
  audience: Generated<'customers' | 'anyone'>;
}
export interface RequestTypesTable {
  id: GeneratedId;
  site_id: string;
  project_id: BigId;
  name: string;
  description: Generated<string>;
  help_text: Generated<string>;
  position: Generated<number>;
  /** the user-picker field whose people approve its requests; null: no approval (docs/product.md#approvals) */
  approval_field_id: BigId | null;
}
export interface RequestTypeGroupsTable {
  id: GeneratedId;
  site_id: string;
  project_id: BigId;
  name: string;
  position: Generated<number>;
}
export interface RequestTypeGroupMembersTable {
  site_id: string;
  group_id: BigId;
  request_type_id: BigId;
  position: Generated<number>;
}
export interface RequestTypeFieldsTable {
  site_id: string;
  request_type_id: BigId;
  field_key: string;
  custom_field_id: BigId | null;
  label: string;
  required: Generated<boolean>;
  position: number;
}
export interface RequestsTable {
  id: GeneratedId;
  site_id: string;
  project_id: BigId;
  request_type_id: BigId;
  number: number;
  key: string;
  summary: string;
  description: Generated<string>;
  status: Generated<RequestStatus>;
  reporter_id: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  status_changed_at: Generated<Date>;
  /** an agent of the project, or nobody (migration 20261206T0100_queues) */
  assignee_id: Generated<string | null>;
  priority: Generated<Priority>;
}
/** A project's saved JQL with columns (migration 20261206T0100_queues). */
export interface QueuesTable {
  id: GeneratedId;
  site_id: string;
  project_id: BigId;
  name: string;
  jql: string;
  /** column ids, comma-separated */
  fields: string;
  position: Generated<number>;
  built_in: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Date>;
}
export interface RequestParticipantsTable {
  site_id: string;
  request_id: BigId;
  account_id: string;
  added_at: Generated<Date>;
}
export interface RequestUserValuesTable {
  site_id: string;
  request_id: BigId;
  custom_field_id: BigId;
  account_id: string;
  position: Generated<number>;
}
export type ApprovalStatus = 'pending' | 'approved' | 'declined';
/** One approval a request waits for (migration 20261206T0600_approvals; docs/product.md#approvals). */
/** A project's SLA goals and business calendar (migration 20261207T0300_sla_settings); none: the defaults. */
export interface ProjectSlaSettingsTable {
  project_id: string;
  /** JSON: minutes of working time per priority per metric id (null: not measured) */
  goals: string;
  /** JSON BusinessCalendar (src/domain/business-calendar.ts); null: every hour counts */
  calendar: string | null;
  updated_at: Generated<Date>;
}
/** A customer organization's entity property (migration 20261207T0600_organization_properties). */
export interface CustomerOrganizationPropertiesTable {
  organization_id: BigId;
  site_id: string;
  key: string;
  /** JSON text of the value */
  value: string;
  updated_at: Generated<Date>;
}
/** A file uploaded ahead of its comment, for an hour (migration 20261207T0610_temporary_attachments). */
export interface TemporaryAttachmentsTable {
  id: string;
  site_id: string;
  project_id: BigId;
  uploaded_by: string;
  file_name: string;
  content_type: string;
  content: Uint8Array;
  created_at: Generated<Date>;
}
export interface RequestApprovalsTable {
  id: GeneratedId;
  site_id: string;
  request_id: BigId;
  /** its approvers are whoever this user-picker field of the request holds */
  custom_field_id: BigId;
  name: string;
  status: ColumnType<ApprovalStatus, ApprovalStatus | undefined, ApprovalStatus>;
  created_at: Generated<Date>;
  completed_at: Timestamp | null;
}
export interface RequestApprovalDecisionsTable {
  approval_id: BigId;
  site_id: string;
  account_id: string;
  decision: 'approved' | 'declined';
  decided_at: Generated<Date>;
}
export interface RequestRatingsTable {
  request_id: BigId;
  site_id: string;
  project_id: BigId;
  rating: number;
  comment: string | null;
  rated_by: string;
  rated_at: Generated<Date>;
}
export interface CannedResponsesTable {
  id: GeneratedId;
  site_id: string;
  project_id: BigId;
  title: string;
  body: string;
  created_by: string;
  updated_by: string;
  updated_at: Generated<Date>;
}
export interface CommentsTable {
  id: GeneratedId;
  site_id: string;
  request_id: BigId;
  author_id: string;
  body: string;
  public: boolean;
  created_at: Generated<Date>;
  /** set when its author edited it; deleted_at hides it (migration 20261204T0100_request_history) */
  edited_at: Timestamp | null;
  deleted_at: Timestamp | null;
}
/** One change of one field of a request, with who and when (docs/product.md#history). */
export interface RequestHistoryTable {
  id: GeneratedId;
  site_id: string;
  request_id: BigId;
  actor_id: string;
  created_at: Generated<Date>;
  /** 'status', 'reporter', 'participants', 'customfield_…', 'comment' */
  field: string;
  /** what the field is called on the request view when it changed ("Affected user") */
  field_name: string;
  change: 'changed' | 'edited' | 'deleted';
  /** a string (status, comment text) or an array of account ids (people); null: empty */
  from_value: ColumnType<unknown, string | null, string | null>;
  to_value: ColumnType<unknown, string | null, string | null>;
  comment_id: BigId | null;
}
export interface KbArticlesTable {
  id: GeneratedId;
  site_id: string;
  project_id: BigId;
  title: string;
  body: string;
  /** null: no category */
  category: string | null;
  /** false: a draft, seen only in the agent workspace */
  published: Generated<boolean>;
  created_by: string | null;
  updated_by: string | null;
  /** generated from title, category and body (english configuration); never written */
  search: Generated<string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface SavedFiltersTable {
  id: GeneratedId;
  site_id: string;
  owner_id: string;
  name: string;
  jql: string;
  created_at: Generated<Date>;
}
export interface SessionsTable {
  id_hash: string;
  account_id: string;
  site_id: string | null;
  csrf_token: string;
  created_at: Generated<Date>;
  last_seen_at: Timestamp;
  idle_expires_at: Timestamp;
  absolute_expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}
export interface ApiTokensTable {
  id: string;
  account_id: string;
  label: Generated<string>;
  token_hash: string;
  created_at: Generated<Date>;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}
/** A site's SCIM bearer tokens (migration 20261206T0400_scim): only the hash is stored. */
export interface ScimTokensTable {
  id: string;
  site_id: string;
  label: string;
  token_hash: string;
  created_by: string | null;
  created_at: Generated<Date>;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}
/** The identity provider's names for a customer (migration 20261206T0400_scim). */
export interface ScimUsersTable {
  account_id: string;
  site_id: string;
  user_name: string;
  user_name_lower: string;
  external_id: string | null;
}
export interface OneTimeTokensTable {
  id: string;
  token_hash: string;
  account_id: string;
  site_id: string | null;
  purpose: OneTimeTokenPurpose;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  invalidated_at: Timestamp | null;
}
export interface AuditEventsTable {
  id: GeneratedId;
  org_id: string | null;
  site_id: string | null;
  action: string;
  actor_id: string | null;
  target_id: string | null;
  ip: string | null;
  user_agent: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: Generated<Date>;
}
export interface OutboxTable {
  id: GeneratedId;
  org_id: string | null;
  site_id: string | null;
  to_address: string;
  subject: string;
  body: string;
  created_at: Generated<Date>;
  recipient_id: string | null;
  status: ColumnType<OutboxStatus, OutboxStatus | undefined, OutboxStatus>;
  attempts: Generated<number>;
  last_error: string | null;
  sent_at: Timestamp | null;
  html_body: string | null;
  request_id: string | null;
  thread_id: string | null;
  unsubscribe_url: string | null;
  sender_name: string | null;
  /** a revoke or welcome-back notice: the one mail a revoked account may get */
  access_notice: 'revoked' | 'granted' | null;
}
/** A site's automatic revoke after inactivity; no row: off (docs/product.md#inactivity-policy). */
export interface InactivityPoliciesTable {
  site_id: string;
  enabled: Generated<boolean>;
  inactive_days: Generated<number>;
  warn_days: Generated<number>;
  notify_on_revoke: Generated<boolean>;
  updated_by: string | null;
  updated_at: Generated<Date>;
}
/** Customers the site's inactivity policy leaves alone. */
export interface InactivityPolicyExclusionsTable {
  account_id: string;
  site_id: string;
  added_by: string | null;
  added_at: Generated<Date>;
}
/** A review of a site's customers (migration 20261207T0400_access_reviews; docs/product.md#access-reviews). */
export interface AccessReviewsTable {
  id: string;
  site_id: string;
  name: string;
  scope_query: Generated<string>;
  scope_inactive_days: number | null;
  due_at: Timestamp | null;
  undecided_default: 'keep' | 'revoke';
  notify_on_revoke: Generated<boolean>;
  status: ColumnType<'open' | 'completed' | 'cancelled', 'open' | 'completed' | 'cancelled' | undefined, 'open' | 'completed' | 'cancelled'>;
  item_count: number;
  created_by: string;
  created_at: Generated<Date>;
  ended_by: string | null;
  ended_at: Timestamp | null;
}
/** A customer of a review, as snapshotted at its start, with the decision and, once applied, the outcome. */
export interface AccessReviewItemsTable {
  review_id: string;
  position: number;
  account_id: string;
  decision: 'keep' | 'revoke' | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  outcome: 'kept' | 'revoked' | 'already_revoked' | 'deleted' | null;
}
export interface AccessReviewReviewersTable {
  review_id: string;
  account_id: string;
}
export interface AccessNoticeTemplatesTable {
  site_id: string;
  kind: 'revoked' | 'granted';
  subject: string;
  text_body: string;
  updated_by: string | null;
  updated_at: Generated<Date>;
}
export interface NotificationTemplatesTable {
  site_id: string;
  subject: string;
  text_body: string;
  html_body: string;
  updated_by: string | null;
  updated_at: Generated<Date>;
}
export interface RequestMailMutesTable {
  site_id: string;
  request_id: BigId;
  account_id: string;
  muted_at: Generated<Date>;
}
export interface LoginThrottleTable {
  key: string;
  window_start: Timestamp;
  failures: number;
  locked_until: Timestamp | null;
}

export interface LoginKnownAddressesTable {
  account_id: string;
  address: string;
  last_login_at: Timestamp;
}

/** Requests by email (migration 20261203T0300_inbound_mail). */
export interface ProjectMailboxesTable {
  project_id: BigId;
  site_id: string;
  host: string;
  port: number;
  tls: boolean;
  username: string;
  password_sealed: string;
  folder: Generated<string>;
  updated_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  last_polled_at: Timestamp | null;
  last_error: string | null;
}
export type InboundOutcome = 'request' | 'comment' | 'refused' | 'ignored';
export interface InboundMessagesTable {
  id: GeneratedId;
  site_id: string;
  project_id: BigId;
  uid_validity: BigId;
  uid: BigId;
  message_id: string | null;
  from_address: string;
  subject: Generated<string>;
  received_at: Generated<Date>;
  outcome: InboundOutcome;
  reason: string | null;
  account_id: string | null;
  request_id: BigId | null;
  comment_id: BigId | null;
  raw: Uint8Array | null;
  raw_size: Generated<number>;
}
export interface InboundRefusalAnswersTable {
  site_id: string;
  address_lower: string;
  answered_at: Generated<Date>;
}
export interface RequestAttachmentsTable {
  id: GeneratedId;
  site_id: string;
  request_id: BigId;
  comment_id: BigId | null;
  file_name: string;
  content_type: string;
  size: number;
  /** the bytes, when kept in the database; null when they are an object of the store (storage_key) */
  content: Uint8Array | null;
  /** the object's key in the S3-compatible store (migration 20261205T0100_attachment_object_store) */
  storage_key: string | null;
  uploaded_by: string;
  created_at: Generated<Date>;
}
/** What became of a webhook delivery (migration 20261206T0300_webhooks). */
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';
export interface WebhookSubscriptionsTable {
  id: string;
  org_id: string;
  url: string;
  description: Generated<string>;
  /** the subscribed event types, as a JSON array */
  events: string;
  secret_sealed: string;
  created_by: string | null;
  created_at: Generated<Date>;
  disabled_at: Timestamp | null;
  disabled_reason: string | null;
}
export interface WebhookDeliveriesTable {
  id: GeneratedId;
  subscription_id: string;
  org_id: string;
  message_id: string;
  event_type: string;
  customer_id: string;
  payload: string;
  status: ColumnType<WebhookDeliveryStatus, WebhookDeliveryStatus | undefined, WebhookDeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  claimed_until: Timestamp | null;
  last_attempt_at: Timestamp | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Timestamp | null;
  resend_of: string | null;
  created_at: Timestamp;
}
export type ErasureRequestStatus = 'pending' | 'withdrawn' | 'approved' | 'declined';
export interface ErasureRequestsTable {
  id: GeneratedId;
  site_id: string;
  account_id: string;
  status: Generated<ErasureRequestStatus>;
  reason: string | null;
  requested_at: Generated<Date>;
  decided_at: Timestamp | null;
  decided_by: string | null;
  decision_note: string | null;
}
/** A customer's email change waiting for the new address to confirm it (migration 20261207T0100_email_changes; docs/product.md#change-customer-email). */
export interface EmailChangesTable {
  account_id: string;
  site_id: string;
  token_id: string;
  new_email: string;
  new_email_lower: string;
  requested_at: Generated<Date>;
}
export interface Database {
  organizations: OrganizationsTable;
  sites: SitesTable;
  site_products: SiteProductsTable;
  accounts: AccountsTable;
  account_search_terms: AccountSearchTermsTable;
  dormant_search_terms: DormantSearchTermsTable;
  org_admins: OrgAdminsTable;
  site_admins: SiteAdminsTable;
  projects: ProjectsTable;
  project_agents: ProjectAgentsTable;
  project_customers: ProjectCustomersTable;
  customer_organizations: CustomerOrganizationsTable;
  customer_organization_members: CustomerOrganizationMembersTable;
  project_customer_organizations: ProjectCustomerOrganizationsTable;
  request_organizations: RequestOrganizationsTable;
  custom_fields: CustomFieldsTable;
  request_types: RequestTypesTable;
  request_type_fields: RequestTypeFieldsTable;
  request_type_groups: RequestTypeGroupsTable;
  request_type_group_members: RequestTypeGroupMembersTable;
  requests: RequestsTable;
  request_participants: RequestParticipantsTable;
  request_user_values: RequestUserValuesTable;
  comments: CommentsTable;
  request_history: RequestHistoryTable;
  queues: QueuesTable;
  request_ratings: RequestRatingsTable;
  request_approvals: RequestApprovalsTable;
  project_sla_settings: ProjectSlaSettingsTable;
  customer_organization_properties: CustomerOrganizationPropertiesTable;
  temporary_attachments: TemporaryAttachmentsTable;
  request_approval_decisions: RequestApprovalDecisionsTable;
  canned_responses: CannedResponsesTable;
  kb_articles: KbArticlesTable;
  saved_filters: SavedFiltersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  scim_tokens: ScimTokensTable;
  scim_users: ScimUsersTable;
  one_time_tokens: OneTimeTokensTable;
  project_mailboxes: ProjectMailboxesTable;
  inbound_messages: InboundMessagesTable;
  inbound_refusal_answers: InboundRefusalAnswersTable;
  request_attachments: RequestAttachmentsTable;
  audit_events: AuditEventsTable;
  erasure_requests: ErasureRequestsTable;
  email_changes: EmailChangesTable;
  outbox: OutboxTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  notification_templates: NotificationTemplatesTable;
  access_notice_templates: AccessNoticeTemplatesTable;
  inactivity_policies: InactivityPoliciesTable;
  inactivity_policy_exclusions: InactivityPolicyExclusionsTable;
  access_reviews: AccessReviewsTable;
  access_review_items: AccessReviewItemsTable;
  access_review_reviewers: AccessReviewReviewersTable;
  request_mail_mutes: RequestMailMutesTable;
  login_throttle: LoginThrottleTable;
  login_known_addresses: LoginKnownAddressesTable;
  site_identity_providers: SiteIdentityProvidersTable;
  sso_sign_ins: SsoSignInsTable;
  saml_assertions_seen: SamlAssertionsSeenTable;
}

/** A site's identity provider (migration 20261206T0500_site_identity_providers; docs/product.md#identity-providers). */
export interface SiteIdentityProvidersTable {
  site_id: string;
  protocol: 'oidc' | 'saml';
  display_name: string;
  enabled: Generated<boolean>;
  issuer: string;
  client_id: string;
  client_secret_sealed: string;
  scopes: Generated<string>;
  jit_accounts: Generated<boolean>;
  /** one lower-case domain a line; empty: any */
  allowed_domains: Generated<string>;
  password_login: Generated<boolean>;
  /** SAML (migration 20261207T0500_saml_sign_in): the metadata as given, and what is used from it */
  saml_metadata_url: string | null;
  saml_metadata_xml: string | null;
  saml_sso_url: string | null;
  /** base64 DER certificates, one a line */
  saml_certificates: string | null;
  updated_by: string | null;
  updated_at: Timestamp;
}
/** A sign-in sent to the identity provider, not yet back (single use; bound to the browser). */
export interface SsoSignInsTable {
  state_hash: string;
  site_id: string;
  browser_hash: string;
  nonce: string;
  code_verifier: string;
  next_path: string | null;
  expires_at: Timestamp;
  protocol: Generated<'oidc' | 'saml'>;
  /** SAML: the provider's signed response was checked; what it asserted waits for the browser */
  vouched: Generated<boolean>;
  vouched_email: string | null;
  vouched_name: string | null;
}
/** The ids of SAML assertions already used on a site, until they expire (migration 20261207T0500_saml_sign_in). */
export interface SamlAssertionsSeenTable {
  site_id: string;
  assertion_id: string;
  expires_at: Timestamp;
}

export type Account = Selectable<AccountsTable>;
export type NewAccount = Insertable<AccountsTable>;
export type AccountUpdate = Updateable<AccountsTable>;
export type Site = Selectable<SitesTable>;
export type Organization = Selectable<OrganizationsTable>;
export type Project = Selectable<ProjectsTable>;
export type Request = Selectable<RequestsTable>;
