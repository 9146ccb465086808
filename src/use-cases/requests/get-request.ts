import type { UseCaseContext } from '../context.js';
import { canWorkProject, type SiteRef } from '../../domain/policies.js';
import { loadRequestDetail, requireActor, requireVisibleRequest, type RequestDetail } from '../../db/queries/requests.js';

export interface RequestPermissions {
  /** may add a public comment */
  canComment: boolean;
  /** may add an internal note (agents and admins of the project) */
  canCommentInternally: boolean;
  /** may share the request with more people */
  canAddParticipants: boolean;
  /** accountIds of the participants the caller may remove */
  removableParticipantIds: string[];
  /** works the project (agent view) */
  worksProject: boolean;
}

/**
 * One request with reporter, participants, picker values and comments as stored accounts. 404 when
 * the caller may not see it; customers get public comments only.
 */
export async function getRequest(
  ctx: UseCaseContext,
  input: { site: SiteRef; key: string },
): Promise<RequestDetail & { permissions: RequestPermissions }> {
  const actor = requireActor(ctx.actor);
  const request = await requireVisibleRequest(ctx.db, actor, input.site, input.key);
  const works = canWorkProject(actor, input.site, request.projectId);
  const detail = await loadRequestDetail(ctx.db, request, { publicCommentsOnly: !works });
  const isReporter = request.reporterId === actor.accountId;
  return {
    ...detail,
    permissions: {
      canComment: true,
      canCommentInternally: works,
      canAddParticipants: true,
      removableParticipantIds: detail.participants
        .map((p) => p.accountId)
        .filter((id) => works || isReporter || id === actor.accountId),
      worksProject: works,
    },
  };
}
