import { Type } from 'typebox';
import { DateSchema, JsmUserSchema } from './rest.js';
import { PersonSchema } from './people.js';

// Approvals (docs/product.md#approvals): Atlassian's ApprovalDTO on the REST API, and the internal
// API's shape for the help center and the agent workspace.

const Open = Type.Object;
const Opt = Type.Optional;
const Decision = Type.Union([Type.Literal('approved'), Type.Literal('declined'), Type.Literal('pending')]);

/** JSM `ApprovalDTO`. */
export const RestApprovalSchema = Open({
  id: Opt(Type.String({ description: 'a positive integer, as a string' })),
  name: Opt(Type.String()),
  finalDecision: Opt(Decision),
  canAnswerApproval: Opt(Type.Boolean()),
  approvers: Opt(Type.Array(Open({ approver: Opt(JsmUserSchema), approverDecision: Opt(Decision) }, { additionalProperties: true, description: 'ApproverDTO' }))),
  createdDate: Opt(DateSchema),
  completedDate: Opt(DateSchema),
  _links: Opt(Open({ self: Opt(Type.String({ format: 'uri' })) }, { additionalProperties: true })),
}, { additionalProperties: true, description: 'ApprovalDTO' });

export const ApprovalDecisionBody = Type.Object(
  { decision: Type.Optional(Type.String({ maxLength: 20, description: "'approve' or 'decline'" })) },
  { additionalProperties: false },
);

/** An approval as the help center and the agent workspace show it. */
export const ApprovalSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  status: Decision,
  createdAt: Type.String(),
  completedAt: Type.Union([Type.String(), Type.Null()]),
  canAnswer: Type.Boolean({ description: 'the viewer may approve or decline it now' }),
  stuck: Type.Boolean({ description: 'pending, and nobody named can answer it (revoked, deleted or nobody): an agent must name someone' }),
  field: Type.Union([Type.Object({ key: Type.String(), label: Type.String() }), Type.Null()], { description: 'the approvers field' }),
  approvers: Type.Array(Type.Object({ person: PersonSchema, decision: Decision })),
});
export const ApprovalsSchema = Type.Object({ approvals: Type.Array(ApprovalSchema) });

export const PendingApprovalsSchema = Type.Object({
  approvals: Type.Array(Type.Object({
    id: Type.String(),
    key: Type.String(),
    projectId: Type.String(),
    summary: Type.String(),
    requestTypeName: Type.String(),
    portalName: Type.String(),
    reporter: PersonSchema,
    createdAt: Type.String(),
  })),
});

export const RequestTypeApprovalBody = Type.Object(
  { fieldKey: Type.Union([Type.String({ maxLength: 60, description: 'a user-picker field of the request type (customfield_…)' }), Type.Null()], { description: 'null: its requests need no approval' }) },
  { additionalProperties: false },
);
export const RequestTypeApprovalSchema = Type.Object({
  requestTypeId: Type.String(),
  approvers: Type.Union([Type.Object({ fieldKey: Type.String(), label: Type.String() }), Type.Null()]),
});

/** The agent workspace's Approvals page (docs/product.md#approvals): each request type's setting. */
export const RequestTypeApprovalsSchema = Type.Object({
  project: Type.Object({ id: Type.String(), key: Type.String(), name: Type.String() }),
  values: Type.Array(Type.Object({
    requestTypeId: Type.String(),
    name: Type.String(),
    pickerFields: Type.Array(Type.Object({ fieldKey: Type.String(), label: Type.String() }), { description: 'the user-picker fields that may name its approvers' }),
    approvers: Type.Union([Type.Object({ fieldKey: Type.String(), label: Type.String() }), Type.Null()]),
  })),
});
