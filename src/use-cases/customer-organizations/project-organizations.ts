import type { ActorContext } from '../context.js';
import { auditSiteChange } from '../audit.js';
import type { SiteRef } from '../../domain/policies.js';
import { CUSTOMER_SHARING_LEVELS, type CustomerSharing } from '../../domain/requests.js';
import { badRequest } from '../../domain/errors.js';
import { notFound } from '../../domain/errors.js';
import { findCustomerOrganization, listCustomerOrganizations } from '../../db/queries/customer-organizations.js';
import { pageOffset } from '../../domain/limits.js';
import { loadManagedServiceDesk } from '../customers/project-customers.js';
import type { OrganizationsPage } from './list-customer-organizations.js';
import { pageLimit } from './list-customer-organizations.js';
import { auditOrganization, NOT_FOUND, organizationIdOf } from './organizations.js';

// The organizations added to a service project (agents of the project and the site's admins, as
// for its customers: domain/policies/customers.ts, decideProjectCustomers). The members of an
// organization added to a project may use its portal (domain/policies/projects.ts).

const LIST_REFUSAL = 'Only agents of this service project and admins can see its organizations.';
const CHANGE_REFUSAL = 'Only agents of this service project and admins can change its organizations.';

/** The organizations of a service project, by name (`accountId` narrows to one customer's). */
export async function listProjectOrganizations(
  ctx: ActorContext,
  input: { site: SiteRef; serviceDeskId: string; accountId?: string; start?: number; limit?: number },
): Promise<OrganizationsPage & { project: { id: string; key: string; name: string; customerSharing: CustomerSharing } }> {
  const desk = await loadManagedServiceDesk(ctx.db, ctx.actor, input.site, input.serviceDeskId, LIST_REFUSAL);
  const project = { id: desk.projectId, key: desk.projectKey, name: desk.projectName, customerSharing: desk.customerSharing };
  const start = pageOffset(input.start);
  const limit = pageLimit(input.limit);
  const memberId = input.accountId?.trim() || undefined;
  if (memberId !== undefined && memberId.length > 128) return { project, start, limit, isLastPage: true, values: [] }; // no account has such an id
  const page = await listCustomerOrganizations(ctx.db, { siteId: input.site.id, projectId: desk.projectId, memberId, start, limit });
  return { project, start, limit, ...page };
}

/**
 * Adds an organization of the site to a service project; adding it again changes nothing (204 on
 * REST, as Atlassian answers). An organization of another site is as unknown as none: 404.
 */
export async function addProjectOrganization(ctx: ActorContext, input: { site: SiteRef; serviceDeskId: string; organizationId: unknown }): Promise<{ added: boolean }> {
  const organizationId = organizationIdOf(input.organizationId);
  return ctx.db.transaction().execute(async (trx) => {
    const desk = await loadManagedServiceDesk(trx, ctx.actor, input.site, input.serviceDeskId, CHANGE_REFUSAL);
    const org = await findCustomerOrganization(trx, input.site.id, organizationId, { lock: true });
    if (!org) throw notFound(NOT_FOUND(organizationId));
    const inserted = await trx
      .insertInto('project_customer_organizations')
      .values({ site_id: input.site.id, project_id: desk.projectId, organization_id: org.id })
      .onConflict((oc) => oc.columns(['project_id', 'organization_id']).doNothing())
      .returning('organization_id')
      .executeTakeFirst();
    if (inserted) await auditOrganization(trx, ctx, input.site, 'project.organization.added', org, { details: { projectId: desk.projectId, projectKey: desk.projectKey } });
    return { added: inserted !== undefined };
  });
}

/** Removes an organization from a service project; one that was not added is ignored. Its members keep what they have directly. */
export async function removeProjectOrganization(ctx: ActorContext, input: { site: SiteRef; serviceDeskId: string; organizationId: unknown }): Promise<{ removed: boolean }> {
  const organizationId = organizationIdOf(input.organizationId);
  return ctx.db.transaction().execute(async (trx) => {
    const desk = await loadManagedServiceDesk(trx, ctx.actor, input.site, input.serviceDeskId, CHANGE_REFUSAL);
    const org = await findCustomerOrganization(trx, input.site.id, organizationId);
    if (!org) throw notFound(NOT_FOUND(organizationId));
    const deleted = await trx
      .deleteFrom('project_customer_organizations')
      .where('project_id', '=', desk.projectId)
      .where('organization_id', '=', org.id)
      .returning('organization_id')
      .executeTakeFirst();
    if (deleted) await auditOrganization(trx, ctx, input.site, 'project.organization.removed', org, { details: { projectId: desk.projectId, projectKey: desk.projectKey } });
    return { removed: deleted !== undefined };
  });
}

/**
 * Sets the project's sharing setting (agents of the project and the site's admins): whom its
 * customers may find in its pickers and share requests with — nobody, people already on the
 * request, also their organizations (the default), or also anyone in the project
 * (docs/product.md#customer-sharing). Participants already on requests stay. Setting the value it
 * has changes nothing.
 */
export async function setProjectSharing(ctx: ActorContext, input: { site: SiteRef; serviceDeskId: string; customerSharing: unknown }): Promise<{ customerSharing: CustomerSharing }> {
  const value = input.customerSharing;
  if (typeof value !== 'string' || !(CUSTOMER_SHARING_LEVELS as readonly string[]).includes(value)) {
    const msg = "'customerSharing' must be nobody, request, organizations or project.";
    throw badRequest(msg, { customerSharing: msg });
  }
  const level = value as CustomerSharing;
  return ctx.db.transaction().execute(async (trx) => {
    const desk = await loadManagedServiceDesk(trx, ctx.actor, input.site, input.serviceDeskId, CHANGE_REFUSAL);
    if (desk.customerSharing === level) return { customerSharing: level };
    await trx.updateTable('projects').set({ customer_sharing: level }).where('id', '=', desk.projectId).where('site_id', '=', input.site.id).execute();
    await auditSiteChange(trx, ctx, input.site, 'project.sharing.changed', { projectId: desk.projectId, projectKey: desk.projectKey, from: desk.customerSharing, to: level });
    return { customerSharing: level };
  });
}
