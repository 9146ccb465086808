import type { Static } from 'typebox';
import type { Actor } from '../../domain/policies.js';
import { customerTransitionsFrom } from '../../domain/request-workflow.js';
import type { ProjectRow, RequestDetail, RequestRow, RequestTypeField, RequestTypeRow } from '../../domain/requests.js';
import type { RequestPermissions } from '../../use-cases/requests/get-request.js';
import type { KbArticleSummary } from '../../use-cases/knowledge-base/search-kb-articles.js';
import type { KbArticle } from '../../use-cases/knowledge-base/get-kb-article.js';
import type {
  ArticleSchema,
  ArticleSummarySchema,
  FormFieldSchema,
  PortalSchema,
  RequestSummarySchema,
  RequestTypeSummarySchema,
  RequestViewSchema,
} from '../schemas/portal.js';
import { presentPerson, type PresentableAccount } from './people.js';
import { presentComment } from './comments.js';
import { presentPickerFieldValues } from './requests.js';

// The help center's answers (schemas/portal.ts). Every person is presented with its display
// `label`, and with an email only where the caller may read it (a customer: their own).

export const presentPortal = (p: ProjectRow): Static<typeof PortalSchema> => ({
  id: p.id,
  key: p.key,
  name: p.portalName,
  projectName: p.name,
  description: p.portalDescription,
});

export const presentRequestType = (t: RequestTypeRow): Static<typeof RequestTypeSummarySchema> => ({
  id: t.id,
  name: t.name,
  description: t.description,
  helpText: t.helpText,
});

export const presentField = (f: RequestTypeField): Static<typeof FormFieldSchema> => ({
  fieldKey: f.fieldKey,
  label: f.label,
  required: f.required,
  type: f.fieldKey === 'description' ? 'paragraph' : f.type,
});

const summaryFields = (r: RequestRow) => ({
  id: r.id,
  key: r.key,
  summary: r.summary,
  status: r.status,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
  portal: { id: r.projectId, name: r.portalName },
  requestType: { id: r.requestTypeId, name: r.requestTypeName },
});

/** A row of "My requests". */
export const presentRequestSummary = (r: RequestRow & { reporter: PresentableAccount }, viewer: Actor): Static<typeof RequestSummarySchema> => ({
  ...summaryFields(r),
  reporter: presentPerson(r.reporter, viewer),
});

export function presentRequest(
  d: RequestDetail,
  viewer: Actor,
  permissions?: RequestPermissions,
  options: { editWindowMinutes?: number } = {},
): Static<typeof RequestViewSchema> {
  return {
    ...summaryFields(d.request),
    description: d.request.description,
    reporter: presentPerson(d.reporter, viewer),
    participants: d.participants.map((p) => presentPerson(p, viewer)),
    fields: d.pickerValues.map((f) => presentPickerFieldValues(f, viewer)),
    comments: d.comments.map((c) => presentComment(c, viewer, options)),
    ...(permissions
      ? {
          permissions: {
            canComment: permissions.canComment,
            canCommentInternally: permissions.canCommentInternally,
            canAddParticipants: permissions.canAddParticipants,
            removableParticipantIds: permissions.removableParticipantIds,
            worksProject: permissions.worksProject,
            transitions: permissions.canResolveOrReopen ? customerTransitionsFrom(d.request.status).map((t) => ({ to: t.to, name: t.name })) : [],
          },
        }
      : {}),
  };
}

export const presentArticleSummary = (a: KbArticleSummary): Static<typeof ArticleSummarySchema> => ({
  id: a.id,
  projectId: a.projectId,
  portalName: a.portalName,
  title: a.title,
  category: a.category,
  excerpt: a.excerpt,
  updatedAt: a.updatedAt.toISOString(),
});

export const presentArticle = (a: KbArticle): Static<typeof ArticleSchema> => ({
  id: a.id,
  projectId: a.projectId,
  portalName: a.portalName,
  title: a.title,
  body: a.body,
  category: a.category,
  createdAt: a.createdAt.toISOString(),
  updatedAt: a.updatedAt.toISOString(),
});
