import { Type } from 'typebox';
import { Page } from './common.js';
import { PersonSchema } from './people.js';
import { CommentSchema, PickerFieldValuesSchema, RequestStatusSchema } from './requests.js';

// Responses of the help center's JSON API under /s/{site}/api/portal (routes/portal, presenters/portal.ts).

/** A help center's public name (it heads its login page). */
export const SiteNameSchema = Type.Object({ slug: Type.String(), name: Type.String() });

export const PortalSchema = Type.Object({
  id: Type.String(),
  key: Type.String(),
  name: Type.String(),
  projectName: Type.String(),
  description: Type.String(),
});
export const PortalsSchema = Type.Object({ values: Type.Array(PortalSchema) });

export const RequestTypeSummarySchema = Type.Object({ id: Type.String(), name: Type.String(), description: Type.String(), helpText: Type.String() });

/** A tab of the portal page: a request-type group and its request types' ids, in the group's order. */
export const RequestTypeGroupSummarySchema = Type.Object({ id: Type.String(), name: Type.String(), requestTypeIds: Type.Array(Type.String()) });

export const PortalWithRequestTypesSchema = Type.Object({
  portal: PortalSchema,
  requestTypes: Type.Array(RequestTypeSummarySchema),
  groups: Type.Array(RequestTypeGroupSummarySchema),
});

export const FormFieldSchema = Type.Object({
  fieldKey: Type.String(),
  label: Type.String(),
  required: Type.Boolean(),
  type: Type.Union([Type.Literal('text'), Type.Literal('paragraph'), Type.Literal('user'), Type.Literal('multiuser')]),
});

export const RequestTypeFormSchema = Type.Object({
  portal: PortalSchema,
  requestType: RequestTypeSummarySchema,
  fields: Type.Array(FormFieldSchema),
  canRaiseOnBehalfOf: Type.Boolean(),
  canAddRequestParticipants: Type.Boolean(),
});

const RequestSummaryFields = {
  id: Type.String(),
  key: Type.String(),
  summary: Type.String(),
  status: RequestStatusSchema,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  portal: Type.Object({ id: Type.String(), name: Type.String() }),
  requestType: Type.Object({ id: Type.String(), name: Type.String() }),
};

/** A row of "My requests". */
export const RequestSummarySchema = Type.Object({ ...RequestSummaryFields, reporter: PersonSchema });
export const MyRequestsPageSchema = Page(RequestSummarySchema);

export const RequestPermissionsSchema = Type.Object({
  canComment: Type.Boolean(),
  canCommentInternally: Type.Boolean(),
  canAddParticipants: Type.Boolean(),
  removableParticipantIds: Type.Array(Type.String()),
  worksProject: Type.Boolean(),
  /** what the reporter may do to its status here: "Mark as resolved", or "Reopen" while it is resolved */
  transitions: Type.Array(Type.Object({ to: RequestStatusSchema, name: Type.String() })),
});

/** A request with its people and comments; `permissions` when it is read (not when it is raised). */
export const RequestViewSchema = Type.Object({
  ...RequestSummaryFields,
  description: Type.String(),
  reporter: PersonSchema,
  participants: Type.Array(PersonSchema),
  fields: Type.Array(PickerFieldValuesSchema),
  comments: Type.Array(CommentSchema),
  permissions: Type.Optional(RequestPermissionsSchema),
});

export const ParticipantsAddedSchema = Type.Object({ added: Type.Array(PersonSchema), participants: Type.Array(PersonSchema) });
export const ParticipantsSchema = Type.Object({ participants: Type.Array(PersonSchema) });

export const CommentPageSchema = Page(CommentSchema);

export const ArticleSummarySchema = Type.Object({
  id: Type.String(),
  projectId: Type.String(),
  portalName: Type.String(),
  title: Type.String(),
  category: Type.Union([Type.String(), Type.Null()]),
  excerpt: Type.String({ description: 'the start of the text, without its Markdown marks' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export const ArticlePageSchema = Page(ArticleSummarySchema);

export const ArticleSchema = Type.Object({
  id: Type.String(),
  projectId: Type.String(),
  portalName: Type.String(),
  title: Type.String(),
  body: Type.String({ description: 'Markdown' }),
  category: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

/** One recipient's mail about one request, as the unsubscribe link shows it. */
export const RequestMailPreferenceSchema = Type.Object({ requestKey: Type.String(), muted: Type.Boolean() });
