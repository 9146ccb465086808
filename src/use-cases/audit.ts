import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { appendAuditEvent, type AuditEventInput } from '../db/queries/audit.js';
import type { SiteRef } from '../domain/policies.js';
import type { ActorContext, AppContext } from './context.js';

/**
 * Who a change is by: a person signed in (their account), or an identity provider calling the site's
 * SCIM server with one of its tokens (docs/product.md#scim-provisioning), whose events have no actor
 * account and read "SCIM ({label})" in the audit log.
 */
export type ChangeAuthor = { kind: 'account'; accountId: string } | { kind: 'scim'; tokenId: string; label: string } | typeof AUTOMATIC_POLICY | typeof ACCESS_REVIEW_DUE;

/**
 * The author of what a site's own policy does by itself — the revokes of the inactivity policy
 * (docs/product.md#inactivity-policy): no actor account; the audit log reads "Automatic policy".
 */
export const AUTOMATIC_POLICY = { kind: 'policy', policy: 'inactivity' } as const;

/** The audit log's name for the author of a policy's change. */
export const AUTOMATIC_POLICY_LABEL = 'Automatic policy';

/**
 * The author of an access review applied on its due date by the scheduled job
 * (docs/product.md#access-reviews): no actor account; the audit log reads "Access review".
 */
export const ACCESS_REVIEW_DUE = { kind: 'policy', policy: 'access-review' } as const;
export const ACCESS_REVIEW_DUE_LABEL = 'Access review';

export function authorOf(ctx: ActorContext): ChangeAuthor {
  return { kind: 'account', accountId: ctx.actor.accountId };
}

/** The account a change is recorded against (revoked_by and the like): none for SCIM. */
export function authorAccountId(author: ChangeAuthor): string | null {
  return author.kind === 'account' ? author.accountId : null;
}

/** The details every audit event of a SCIM or policy change carries, from which the audit log names its actor. */
export function authorDetails(author: ChangeAuthor): Record<string, unknown> {
  if (author.kind === 'scim') return { via: 'scim', scimToken: { id: author.tokenId, label: author.label } };
  if (author.kind === 'policy') return { via: 'policy', policy: author.policy };
  return {};
}

/**
 * The audit event of a change the caller made on a site, in the change's transaction: who (the
 * actor, their address and browser), where (the site and its organization), what (`action` and its
 * `details`). `targetId` names an account when the change is about one; anything else goes in the
 * details.
 */
export async function auditSiteChange(
  trx: Transaction<Database>,
  ctx: ActorContext,
  site: SiteRef,
  action: string,
  details: Record<string, unknown>,
  targetId: string | null = null,
): Promise<void> {
  await auditSiteChangeBy(trx, ctx, authorOf(ctx), site, action, details, targetId);
}

/** auditSiteChange for a change whose author is given: a person, or a SCIM token. */
export async function auditSiteChangeBy(trx: Transaction<Database>, ...event: Parameters<typeof siteChangeEventBy>): Promise<void> {
  await appendAuditEvent(trx, siteChangeEventBy(...event));
}

/** The event auditSiteChangeBy appends, for a change that writes it as a part of its own statement (db/queries/customer-access.ts). */
export function siteChangeEventBy(
  ctx: AppContext,
  author: ChangeAuthor,
  site: SiteRef,
  action: string,
  details: Record<string, unknown>,
  targetId: string | null = null,
): AuditEventInput {
  return {
    action,
    orgId: site.orgId,
    siteId: site.id,
    actorId: authorAccountId(author),
    targetId,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    details: { ...details, ...authorDetails(author) },
  };
}
