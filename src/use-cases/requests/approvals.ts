import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ActorContext } from '../context.js';
import { AppError, badRequest, notFound } from '../../domain/errors.js';
import type { SiteRef } from '../../domain/policies.js';
import {
  APPROVAL_NAME, WAITING_FOR_APPROVAL, canAnswerApproval, decideAnswerApproval, decisionOf, isApprovalStuck, statusAfterApproval,
  type ApproverFacts,
} from '../../domain/approvals.js';
import { enforce } from '../authorize.js';
import { auditSiteChange } from '../audit.js';
import { appendRequestHistory } from '../../db/queries/request-history.js';
import { isBigintId } from '../../db/queries/projects.js';
import type { RequestRow } from '../../db/queries/requests.js';
import { findRequestType, listRequestTypeFields, listRequestTypes } from '../../db/queries/request-types.js';
import {
  findApprovalField, insertApproval, listPendingApprovalsFor, loadApprovals, recordApprovalDecision, setApprovalField,
  type StoredApproval,
} from '../../db/queries/request-approvals.js';
import { loadManagedServiceDesk } from '../customers/project-customers.js';
import { notifyRequestPeople } from '../notifications/notify.js';
import { moveRequestStatus } from './move-status.js';
import { assertActorStillActive, loadVisibleRequest } from './visible-request.js';

// Approvals (docs/product.md#approvals): a request type that names an approvers field raises its
// requests "Waiting for approval"; the people of that field see Approve and Decline (help center,
// REST), the first answer decides, and the request moves on — Open when approved, Declined when
// declined. A pending approval with nobody left who can answer is stuck until an agent names
// someone in the field.

export interface ApprovalView extends StoredApproval {
  /** the viewer may answer it now */
  canAnswer: boolean;
  /** pending, and nobody named can answer (revoked, deleted, or nobody at all) */
  stuck: boolean;
  /** the approvers field, for agents who replace an approver */
  field: { key: string; label: string } | null;
}

const facts = (a: StoredApproval): ApproverFacts[] => a.approvers.map((p) => ({ accountId: p.account.accountId, status: p.account.status, decision: p.decision }));

async function viewsOf(ctx: ActorContext, request: RequestRow, approvals: StoredApproval[]): Promise<ApprovalView[]> {
  const fields = approvals.length ? await listRequestTypeFields(ctx.db, request.requestTypeId) : [];
  return approvals.map((a) => {
    const field = fields.find((f) => f.customFieldId === a.customFieldId);
    return {
      ...a,
      canAnswer: canAnswerApproval(ctx.actor.accountId, { status: a.status, approvers: facts(a) }),
      stuck: isApprovalStuck({ status: a.status, approvers: facts(a) }),
      field: field ? { key: field.fieldKey, label: field.label } : null,
    };
  });
}

/**
 * In a raise's transaction: the status a new request of this type starts in, and after it is
 * inserted, its approval. A type without an approvers field starts Open, as ever.
 */
export async function approvalOnRaise(trx: Transaction<Database>, requestTypeId: string) {
  const field = await findApprovalField(trx, requestTypeId);
  if (!field) return undefined;
  return {
    status: WAITING_FOR_APPROVAL,
    open: (siteId: string, requestId: string) => insertApproval(trx, { siteId, requestId, customFieldId: field.customFieldId, name: APPROVAL_NAME }),
  };
}

/** The approvals of a request the caller sees (404 otherwise), oldest first. */
export async function listApprovals(ctx: ActorContext, input: { site: SiteRef; key: string }): Promise<{ request: RequestRow; approvals: ApprovalView[] }> {
  const request = await loadVisibleRequest(ctx.db, ctx.actor, input.site, input.key);
  return { request, approvals: await viewsOf(ctx, request, await loadApprovals(ctx.db, request.id)) };
}

const approvalNotFound = (key: string, id: string) => notFound(`Approval '${id.slice(0, 20)}' does not exist on ${key}.`);

/** One approval of a request the caller sees (404 when either is not there for them). */
export async function getApproval(ctx: ActorContext, input: { site: SiteRef; key: string; approvalId: string }): Promise<{ request: RequestRow; approval: ApprovalView }> {
  const request = await loadVisibleRequest(ctx.db, ctx.actor, input.site, input.key);
  const approvals = isBigintId(input.approvalId) ? await loadApprovals(ctx.db, request.id, { approvalId: input.approvalId }) : [];
  if (approvals.length === 0) throw approvalNotFound(request.key, input.approvalId);
  return { request, approval: (await viewsOf(ctx, request, approvals))[0] };
}

/**
 * An approver answers: `approve` or `decline` (400 for anything else). Only a person the approvers
 * field names (403 for anyone else who sees the request), only while the approval is pending (409
 * once anyone answered: one approver decides). The request moves on in the same transaction, with
 * its history lines (the approval, the status), its audit events and its mail.
 */
export async function answerApproval(
  ctx: ActorContext,
  input: { site: SiteRef; key: string; approvalId: string; decision: unknown },
): Promise<{ request: RequestRow; approval: ApprovalView }> {
  const decision = decisionOf(input.decision);
  if (!decision) throw badRequest("'decision' must be 'approve' or 'decline'.", { decision: "Send 'approve' or 'decline'." });
  const request = await loadVisibleRequest(ctx.db, ctx.actor, input.site, input.key);
  if (!isBigintId(input.approvalId)) throw approvalNotFound(request.key, input.approvalId);
  await ctx.db.transaction().execute(async (trx) => {
    await assertActorStillActive(trx, ctx.actor);
    const current = await trx.selectFrom('requests').select('status').where('id', '=', request.id).forUpdate().executeTakeFirstOrThrow();
    const [approval] = await loadApprovals(trx, request.id, { approvalId: input.approvalId, forUpdate: true });
    if (!approval) throw approvalNotFound(request.key, input.approvalId);
    enforce(decideAnswerApproval(ctx.actor.accountId, facts(approval)), { forbidden: 'Only the approvers named on this request can answer its approval.' });
    if (approval.status !== 'pending') throw new AppError('conflict', `This approval was already ${approval.status}.`);
    const at = new Date();
    await recordApprovalDecision(trx, { siteId: input.site.id, approvalId: approval.id, accountId: ctx.actor.accountId, decision, at });
    await appendRequestHistory(trx, [{
      siteId: input.site.id, requestId: request.id, actorId: ctx.actor.accountId, field: 'approval', fieldName: 'Approval', change: 'changed', from: 'pending', to: decision, at,
    }]);
    await auditSiteChange(trx, ctx, input.site, 'request.approval.answered', { issueKey: request.key, approvalId: approval.id, decision });
    if (current.status === WAITING_FOR_APPROVAL) {
      const to = statusAfterApproval(decision);
      await moveRequestStatus(trx, ctx, { site: input.site, request, from: current.status, to, automatic: true });
      await notifyRequestPeople(trx, ctx, { siteId: input.site.id, requestId: request.id, event: 'statusChanged', change: { from: current.status, to } });
    }
  });
  return getApproval(ctx, { site: input.site, key: request.key, approvalId: input.approvalId });
}

/** The help center's "Approvals": what waits for the caller's answer on this site. */
export async function listMyPendingApprovals(ctx: ActorContext, input: { site: SiteRef }) {
  if (ctx.actor.kind === 'customer' && ctx.actor.siteId !== input.site.id) return [];
  return listPendingApprovalsFor(ctx.db, input.site.id, ctx.actor.accountId, 100);
}

export interface RequestTypeApprovalSetting {
  requestTypeId: string;
  name: string;
  /** the type's user-picker fields: those that may name its approvers */
  pickerFields: Array<{ fieldKey: string; label: string }>;
  approvers: { fieldKey: string; label: string } | null;
}

/**
 * The agent workspace's Approvals page: every request type of the project, its user-picker fields
 * and which of them names its approvers (the same people as below may read it).
 */
export async function listRequestTypeApprovals(
  ctx: ActorContext,
  input: { site: SiteRef; serviceDeskId: string },
): Promise<{ project: { id: string; key: string; name: string }; values: RequestTypeApprovalSetting[] }> {
  const desk = await loadManagedServiceDesk(ctx.db, ctx.actor, input.site, input.serviceDeskId, 'Only agents of this service project and admins can see how its request types are set up.');
  const types = await listRequestTypes(ctx.db, desk.projectId);
  const values = await Promise.all(
    types.map(async (type): Promise<RequestTypeApprovalSetting> => {
      const [fields, field] = await Promise.all([listRequestTypeFields(ctx.db, type.id), findApprovalField(ctx.db, type.id)]);
      return {
        requestTypeId: type.id,
        name: type.name,
        pickerFields: fields.filter((f) => f.customFieldId !== null).map((f) => ({ fieldKey: f.fieldKey, label: f.label })),
        approvers: field ? { fieldKey: field.fieldKey, label: field.label } : null,
      };
    }),
  );
  return { project: { id: desk.projectId, key: desk.projectKey, name: desk.projectName }, values };
}

/** Which field of a request type names its approvers (agents of the project and admins, as below). */
export async function getRequestTypeApproval(
  ctx: ActorContext,
  input: { site: SiteRef; serviceDeskId: string; requestTypeId: string },
): Promise<{ requestTypeId: string; approvers: { fieldKey: string; label: string } | null }> {
  const desk = await loadManagedServiceDesk(ctx.db, ctx.actor, input.site, input.serviceDeskId, 'Only agents of this service project and admins can see how its request types are set up.');
  const type = await findRequestType(ctx.db, desk.projectId, input.requestTypeId);
  if (!type) throw notFound(`The request type '${input.requestTypeId.slice(0, 40)}' does not exist in ${desk.projectKey}.`);
  const field = await findApprovalField(ctx.db, type.id);
  return { requestTypeId: type.id, approvers: field ? { fieldKey: field.fieldKey, label: field.label } : null };
}

/**
 * Which user-picker field of a request type names its approvers, or null for none (the request-type
 * management of a project: its agents and the site's admins; 403 for its customers, 404 for anyone
 * else). The field must be a user picker on the type's form (400). Requests already raised keep
 * what they had; the next one raised follows the new setting. One audit event.
 */
export async function setRequestTypeApproval(
  ctx: ActorContext,
  input: { site: SiteRef; serviceDeskId: string; requestTypeId: string; fieldKey: string | null },
): Promise<{ requestTypeId: string; approvers: { fieldKey: string; label: string } | null }> {
  return ctx.db.transaction().execute(async (trx) => {
    const desk = await loadManagedServiceDesk(trx, ctx.actor, input.site, input.serviceDeskId, 'Only agents of this service project and admins can change its request types.');
    const type = await findRequestType(trx, desk.projectId, input.requestTypeId);
    if (!type) throw notFound(`The request type '${input.requestTypeId.slice(0, 40)}' does not exist in ${desk.projectKey}.`);
    let field: { fieldKey: string; label: string; customFieldId: string } | null = null;
    if (input.fieldKey !== null) {
      const f = (await listRequestTypeFields(trx, type.id)).find((x) => x.fieldKey === input.fieldKey && x.customFieldId !== null);
      if (!f) {
        const msg = `'${input.fieldKey.slice(0, 60)}' is not a user-picker field of '${type.name}'.`;
        throw badRequest(msg, { fieldKey: msg });
      }
      field = { fieldKey: f.fieldKey, label: f.label, customFieldId: f.customFieldId! };
    }
    const before = await findApprovalField(trx, type.id);
    await setApprovalField(trx, type.id, field?.customFieldId ?? null);
    await auditSiteChange(trx, ctx, input.site, 'project.request_type.approval.changed', {
      projectKey: desk.projectKey, requestTypeId: type.id, requestType: type.name, from: before?.label ?? null, to: field?.label ?? null,
    });
    return { requestTypeId: type.id, approvers: field && { fieldKey: field.fieldKey, label: field.label } };
  });
}
