import type { Static } from 'typebox';
import type { Actor } from '../../domain/policies.js';
import type { ApprovalView } from '../../use-cases/requests/approvals.js';
import type { ApprovalSchema } from '../schemas/approvals.js';
import { presentPerson } from './people.js';
import { presentDate } from './rest/common.js';
import { userOf } from './rest/requests.js';

// An approval (docs/product.md#approvals) as Atlassian's ApprovalDTO, and as the internal API sends it.

export function presentRestApproval(base: string, viewer: Actor, issueId: string, a: ApprovalView) {
  return {
    id: a.id,
    name: a.name,
    finalDecision: a.status,
    canAnswerApproval: a.canAnswer,
    approvers: a.approvers.map((p) => ({ approver: userOf(base, viewer, p.account), approverDecision: p.decision ?? ('pending' as const) })),
    createdDate: presentDate(a.createdAt),
    ...(a.completedAt ? { completedDate: presentDate(a.completedAt) } : {}),
    _links: { self: `${base}/rest/servicedeskapi/request/${issueId}/approval/${a.id}` },
  };
}

export function presentApproval(viewer: Actor, a: ApprovalView): Static<typeof ApprovalSchema> {
  return {
    id: a.id,
    name: a.name,
    status: a.status,
    createdAt: a.createdAt.toISOString(),
    completedAt: a.completedAt?.toISOString() ?? null,
    canAnswer: a.canAnswer,
    stuck: a.stuck,
    field: a.field,
    approvers: a.approvers.map((p) => ({ person: presentPerson(p.account, viewer), decision: p.decision ?? 'pending' })),
  };
}
