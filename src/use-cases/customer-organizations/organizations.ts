import type { Transaction } from 'kysely';
import type { Db } from '../../db/connection.js';
import type { Database } from '../../db/schema.js';
import { auditSiteChange } from '../audit.js';
import { findCustomerOrganization, isOrganizationMember, type CustomerOrganization } from '../../db/queries/customer-organizations.js';
import { displayNameProblem } from '../../domain/display-name.js';
import { badRequest, notFound } from '../../domain/errors.js';
import { decideManageCustomerOrganizations, decideViewCustomerOrganization, type Actor, type SiteRef } from '../../domain/policies.js';
import { enforce } from '../authorize.js';
import type { ActorContext } from '../context.js';

// What the customer-organization use cases share (docs/product.md#customer-organizations): the
// name rule, loading an organization the caller may manage or read (404 across sites), and the
// audit events.

type Executor = Transaction<Database> | Db;

/** Atlassian's limit: a name of 1 to 200 characters. */
export const ORGANIZATION_NAME_MAX = 200;

export const NOT_FOUND = (id: string) => `The organization '${String(id).slice(0, 40)}' does not exist or you do not have permission to see it.`;
export const MANAGE_REFUSAL = 'Only agents and admins of this site can manage customer organizations.';

/** A name as it is stored: trimmed, 1 to 200 characters, no control or text-direction characters (400 naming `name`). */
export function validOrganizationName(raw: unknown): string {
  if (typeof raw !== 'string') throw badRequest("'name' must be text.", { name: "'name' must be text." });
  const name = raw.trim();
  let problem = displayNameProblem(name);
  if (!problem && [...name].length > ORGANIZATION_NAME_MAX) problem = `The name must be at most ${ORGANIZATION_NAME_MAX} characters.`;
  if (problem) throw badRequest(problem.replace('The name', "The organization's name"), { name: problem });
  return name;
}

/** The organization `id` of the site if the actor may manage organizations (403/404), else 404. */
export async function loadManagedOrganization(db: Executor, actor: Actor, site: SiteRef, id: string, options: { lock?: boolean } = {}): Promise<CustomerOrganization> {
  enforce(decideManageCustomerOrganizations(actor, site), { forbidden: MANAGE_REFUSAL, notFound: NOT_FOUND(id) });
  const org = await findCustomerOrganization(db, site.id, String(id), options);
  if (!org) throw notFound(NOT_FOUND(id));
  return org;
}

/** The organization `id` of the site if the actor may read it (those who manage them, its members); else 404. */
export async function loadViewableOrganization(db: Executor, actor: Actor, site: SiteRef, id: string): Promise<CustomerOrganization> {
  const org = await findCustomerOrganization(db, site.id, String(id));
  const member = org ? await isOrganizationMember(db, org.id, actor.accountId) : false;
  enforce(org ? decideViewCustomerOrganization(actor, site, member) : 'not_found', { notFound: NOT_FOUND(id) });
  return org!;
}

export type OrganizationAuditAction =
  | 'customer_organization.created'
  | 'customer_organization.renamed'
  | 'customer_organization.deleted'
  | 'customer_organization.property.set'
  | 'customer_organization.property.deleted'
  | 'customer_organization.member.added'
  | 'customer_organization.member.removed'
  | 'project.organization.added'
  | 'project.organization.removed'
  | 'request.organization.shared'
  | 'request.organization.unshared';

/** One audit event, in the caller's transaction; `targetId` is the account (members) or null. */
export async function auditOrganization(
  trx: Transaction<Database>,
  ctx: ActorContext,
  site: SiteRef,
  action: OrganizationAuditAction,
  org: { id: string; name: string },
  more: { targetId?: string | null; details?: Record<string, unknown> } = {},
): Promise<void> {
  await auditSiteChange(trx, ctx, site, action, { customerOrganizationId: org.id, customerOrganizationName: org.name, ...more.details }, more.targetId ?? null);
}

/** An organization id from a body or path: a positive integer, as a number or a string (400 naming `organizationId` otherwise). */
export function organizationIdOf(value: unknown): string {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^[1-9][0-9]{0,17}$/.test(text)) throw badRequest("'organizationId' must be an organization id.", { organizationId: "'organizationId' must be an organization id." });
  return text;
}
