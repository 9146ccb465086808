import type { AccountStatus } from './account-state.js';
import type { Decision } from './policies/actor.js';
import type { RequestStatus } from './request-workflow.js';

/**
 * Approvals (docs/product.md#approvals). A request type may name one of its user-picker fields as
 * its approvers; a request of that type waits in 'Waiting for approval' until one of the people that
 * field holds answers. The rule Portico keeps: **one approver needed** — the first answer decides,
 * approve or decline, as Jira Service Management's default approval step does ("1 approver").
 */
export type ApprovalDecision = 'approved' | 'declined';
export type ApprovalStatus = 'pending' | ApprovalDecision;

/** The name every approval carries (Atlassian names it after the status it waits in). */
export const APPROVAL_NAME = 'Waiting for approval';
export const WAITING_FOR_APPROVAL: RequestStatus = 'Waiting for approval';

/** Where the request goes once its approval is decided: the normal open flow, or declined (done). */
export function statusAfterApproval(decision: ApprovalDecision): RequestStatus {
  return decision === 'approved' ? 'Open' : 'Declined';
}

/** Atlassian's words in the POST body (`approve` | `decline`) to the stored decision. */
export function decisionOf(answer: unknown): ApprovalDecision | undefined {
  return answer === 'approve' ? 'approved' : answer === 'decline' ? 'declined' : undefined;
}

export interface ApproverFacts {
  accountId: string;
  status: AccountStatus;
  decision: ApprovalDecision | null;
}

/**
 * A pending approval none of whose approvers can answer — nobody named, or everyone named revoked or
 * deleted — is stuck: nothing moves it until an agent names someone who can (the agent view says so).
 * Granting a revoked approver back unsticks it, since their place in the field was kept.
 */
export function isApprovalStuck(approval: { status: ApprovalStatus; approvers: readonly ApproverFacts[] }): boolean {
  return approval.status === 'pending' && !approval.approvers.some((a) => a.status === 'active' && a.decision === null);
}

/**
 * May the actor answer this approval? Only a person the approvers field names (403 for anyone else
 * who sees the request), only while it is pending and only once (409 otherwise, answered by the use
 * case). An account that is not active never gets here: its sessions and tokens are refused first.
 */
export function decideAnswerApproval(actorId: string, approvers: readonly ApproverFacts[]): Decision {
  return approvers.some((a) => a.accountId === actorId) ? 'allow' : 'forbidden';
}

/** Whether the viewer may answer now (Atlassian's `canAnswerApproval`). */
export function canAnswerApproval(actorId: string, approval: { status: ApprovalStatus; approvers: readonly ApproverFacts[] }): boolean {
  return approval.status === 'pending' && approval.approvers.some((a) => a.accountId === actorId && a.status === 'active' && a.decision === null);
}
