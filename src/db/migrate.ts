import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import { sql } from 'kysely';
import type { Db } from './connection.js';
import * as initial from './migrations/20261128T2300_initial.js';
import * as filterIndexes from './migrations/20261128T2330_filter_indexes.js';
import * as jqlPerf from './migrations/20261128T2345_jql_perf.js';
import * as loginKnownAddresses from './migrations/20261201T2000_login_known_addresses.js';
import * as outboxDelivery from './migrations/20261201T2140_outbox_delivery.js';
import * as callerFunction from './migrations/20261202T0800_caller_function.js';
import * as pickerFunction from './migrations/20261202T1300_picker_function.js';
import * as textWords from './migrations/20261202T1600_text_words.js';
import * as callerStatement from './migrations/20261203T0000_caller_statement.js';
import * as pickerGenericPlan from './migrations/20261203T0010_picker_generic_plan.js';
import * as jqlLookUpFunction from './migrations/20261203T0020_jql_look_up_function.js';
import * as notifications from './migrations/20261203T0100_notifications.js';
import * as customerOrganizations from './migrations/20261203T0200_customer_organizations.js';
import * as inboundMail from './migrations/20261203T0300_inbound_mail.js';
import * as signup from './migrations/20261203T0400_signup.js';
import * as textMatchFunction from './migrations/20261203T0500_text_match_function.js';
import * as waitingStatuses from './migrations/20261203T0510_waiting_statuses.js';
import * as requestHistory from './migrations/20261204T0100_request_history.js';
import * as kbAuthoring from './migrations/20261204T0200_kb_authoring.js';
import * as customerSharingLevels from './migrations/20261204T0300_customer_sharing_levels.js';
import * as customerInfixSearch from './migrations/20261204T0310_customer_infix_search.js';
import * as auditPersonIndexes from './migrations/20261204T0320_audit_person_indexes.js';
import * as requestRatings from './migrations/20261204T0400_request_ratings.js';
import * as awaitingVerification from './migrations/20261204T0410_awaiting_verification.js';
import * as cannedResponses from './migrations/20261204T0420_canned_responses.js';
import * as attachmentObjectStore from './migrations/20261205T0100_attachment_object_store.js';
import * as requestTypeGroups from './migrations/20261205T0200_request_type_groups.js';
import * as principalCache from './migrations/20261205T0500_principal_cache.js';
import * as customerLastActiveIndex from './migrations/20261205T0510_customer_last_active_index.js';
import * as pickerTotalHorizon from './migrations/20261206T0700_picker_total_horizon.js';
import * as queues from './migrations/20261206T0100_queues.js';
import * as approvals from './migrations/20261206T0600_approvals.js';
import * as accessLifecycle from './migrations/20261206T0200_access_lifecycle.js';
import * as webhooks from './migrations/20261206T0300_webhooks.js';
import * as siteIdentityProviders from './migrations/20261206T0500_site_identity_providers.js';
import * as scim from './migrations/20261206T0400_scim.js';
import * as erasureRequests from './migrations/20261206T0800_erasure_requests.js';
import * as emailChanges from './migrations/20261207T0100_email_changes.js';
import * as inactivityPolicy from './migrations/20261207T0200_inactivity_policy.js';
import * as slaSettings from './migrations/20261207T0300_sla_settings.js';
import * as accessReviews from './migrations/20261207T0400_access_reviews.js';
import * as samlSignIn from './migrations/20261207T0500_saml_sign_in.js';
import * as organizationProperties from './migrations/20261207T0600_organization_properties.js';
import * as temporaryAttachments from './migrations/20261207T0610_temporary_attachments.js';
import * as sessionsEndedPerStatement from './migrations/20261207T0700_sessions_ended_per_statement.js';
import * as jqlLookUpVersion from './migrations/20261207T0800_jql_look_up_version.js';
import * as pickerTermWords from './migrations/20261207T0900_picker_term_words.js';
import * as lookUpNotices from './migrations/20261207T1000_look_up_notices.js';
import * as pickerNotices from './migrations/20261207T1100_picker_notices.js';
import * as dormantSearchTerms from './migrations/20261207T1200_dormant_search_terms.js';
import * as pickerStaffEmailLower from './migrations/20261208T0100_picker_staff_email_lower.js';

// Migrations are listed here (not read from the directory) so they work the same from source
// under tsx and from any bundle. Names are timestamps; Kysely runs them in name order.
const migrations: Record<string, Migration> = {
  '20261128T2300_initial': initial,
  '20261128T2330_filter_indexes': filterIndexes,
  '20261128T2345_jql_perf': jqlPerf,
  '20261201T2000_login_known_addresses': loginKnownAddresses,
  '20261201T2140_outbox_delivery': outboxDelivery,
  '20261202T0800_caller_function': callerFunction,
  '20261202T1300_picker_function': pickerFunction,
  '20261202T1600_text_words': textWords,
  '20261203T0000_caller_statement': callerStatement,
  '20261203T0010_picker_generic_plan': pickerGenericPlan,
  '20261203T0020_jql_look_up_function': jqlLookUpFunction,
  '20261203T0100_notifications': notifications,
  '20261203T0200_customer_organizations': customerOrganizations,
  '20261203T0300_inbound_mail': inboundMail,
  '20261203T0400_signup': signup,
  '20261203T0500_text_match_function': textMatchFunction,
  '20261203T0510_waiting_statuses': waitingStatuses,
  '20261204T0100_request_history': requestHistory,
  '20261204T0200_kb_authoring': kbAuthoring,
  '20261204T0300_customer_sharing_levels': customerSharingLevels,
  '20261204T0310_customer_infix_search': customerInfixSearch,
  '20261204T0320_audit_person_indexes': auditPersonIndexes,
  '20261204T0400_request_ratings': requestRatings,
  '20261204T0410_awaiting_verification': awaitingVerification,
  '20261204T0420_canned_responses': cannedResponses,
  '20261205T0100_attachment_object_store': attachmentObjectStore,
  '20261205T0200_request_type_groups': requestTypeGroups,
  '20261205T0500_principal_cache': principalCache,
  '20261205T0510_customer_last_active_index': customerLastActiveIndex,
  '20261206T0100_queues': queues,
  '20261206T0700_picker_total_horizon': pickerTotalHorizon,
  '20261206T0600_approvals': approvals,
  '20261206T0200_access_lifecycle': accessLifecycle,
  '20261206T0300_webhooks': webhooks,
  '20261206T0500_site_identity_providers': siteIdentityProviders,
  '20261206T0400_scim': scim,
  '20261206T0800_erasure_requests': erasureRequests,
  '20261207T0100_email_changes': emailChanges,
  '20261207T0200_inactivity_policy': inactivityPolicy,
  '20261207T0300_sla_settings': slaSettings,
  '20261207T0400_access_reviews': accessReviews,
  '20261207T0500_saml_sign_in': samlSignIn,
  '20261207T0600_organization_properties': organizationProperties,
  '20261207T0610_temporary_attachments': temporaryAttachments,
  '20261207T0700_sessions_ended_per_statement': sessionsEndedPerStatement,
  '20261207T0800_jql_look_up_version': jqlLookUpVersion,
  '20261207T0900_picker_term_words': pickerTermWords,
  '20261207T1000_look_up_notices': lookUpNotices,
  '20261207T1100_picker_notices': pickerNotices,
  '20261207T1200_dormant_search_terms': dormantSearchTerms,
  '20261208T0100_picker_staff_email_lower': pickerStaffEmailLower,
};

/** The names of every migration, in order (the new-database image records which it holds). */
export const MIGRATION_NAMES: readonly string[] = Object.keys(migrations).sort();

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * The migrations recorded in the database, in name order: one read (about 0.2 s of an embedded cold
 * start is saved when they are all there already, since Kysely's migrator first creates its tables if
 * missing and takes its lock in a transaction). Undefined when the migration table does not exist yet.
 */
export async function migrationsRan(db: Db): Promise<string[] | undefined> {
  try {
    const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
    return rows.map((r) => r.name);
  } catch {
    return undefined; // no migration table: a new database
  }
}

/** SQLSTATE 42P01: the migration table does not exist yet (a new database). */
const UNDEFINED_TABLE = '42P01';

/**
 * Whether the database's schema is the one this code expects: `done` (every migration ran),
 * `pending` (some have not: a new database, or an upgrade under way), or `newer` (it has migrations
 * this code does not know: a newer version migrated it). Throws when the database does not answer.
 */
export async function migrationState(db: Db): Promise<'done' | 'pending' | 'newer'> {
  let names: string[];
  try {
    names = (await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db)).rows.map((r) => r.name);
  } catch (error) {
    if ((error as { code?: unknown }).code === UNDEFINED_TABLE) return 'pending';
    throw error;
  }
  const known = new Set(MIGRATION_NAMES);
  if (names.some((n) => !known.has(n))) return 'newer';
  return names.length === MIGRATION_NAMES.length ? 'done' : 'pending';
}

/**
 * The database has migrations this code does not know: a newer Portico has upgraded it. This code
 * would misread the schema (or undo nothing and break the newer instances), so it refuses to start
 * (docs/operations.md, "Upgrades").
 */
export class DatabaseNewerThanCodeError extends Error {
  constructor(
    readonly newestKnown: string,
    readonly unknown: readonly string[],
  ) {
    const newestInDatabase = unknown[unknown.length - 1];
    super(
      `The database was upgraded by a newer Portico: its newest migration is ${newestInDatabase}, ` +
        `and this Portico knows migrations up to ${newestKnown} only` +
        (unknown.length > 1 ? ` (${unknown.length} migrations in the database are unknown to it: ${unknown.join(', ')})` : '') +
        '. Run the newer Portico version, or restore a backup made before the upgrade into an empty database.',
    );
  }
}

const newestKnown = () => MIGRATION_NAMES[MIGRATION_NAMES.length - 1];

/** Throws DatabaseNewerThanCodeError when `ran` (a database's migrations) has any this code does not know. */
export function refuseNewerDatabase(ran: readonly string[] | undefined): void {
  const unknown = (ran ?? []).filter((name) => !MIGRATION_NAMES.includes(name));
  if (unknown.length > 0) throw new DatabaseNewerThanCodeError(newestKnown(), unknown);
}

/**
 * Brings the schema up to this code's migrations, once however many processes start together
 * (Kysely's migrator runs them under a lock in a transaction, and a process that got the lock second
 * finds them done). Refuses a database that has migrations this code does not know.
 */
export async function migrateToLatest(db: Db): Promise<void> {
  const ran = await migrationsRan(db);
  refuseNewerDatabase(ran);
  if (ran && ran.length === MIGRATION_NAMES.length && ran.every((name, i) => name === MIGRATION_NAMES[i])) return;
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    // A newer instance may have migrated between our look and the migrator's lock.
    refuseNewerDatabase(await migrationsRan(db));
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String((error as Error)?.message ?? error)}`);
  }
}
