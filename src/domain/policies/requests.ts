import { belongsToSite, type Actor, type Decision, type SiteRef } from './actor.js';
import { canWorkProject } from './projects.js';

/**
 * Who sees a request, and what they may do with it. The one rule, for the help center, the agent
 * workspace and the REST API alike: an agent of the project or an admin of the site sees every
 * request of the project; anyone else of the site only as its reporter or a participant (a member
 * of a customer organization the request is shared with counts as one: `isParticipant`); people of
 * other sites and organizations never, even where a request names them. A request the caller may
 * not see does not exist for them (404).
 */
export interface RequestFacts {
  siteId: string;
  projectId: string;
  reporterId: string;
}

export function canViewRequest(actor: Actor, site: SiteRef, request: RequestFacts, isParticipant: boolean): boolean {
  if (request.siteId !== site.id || !belongsToSite(actor, site)) return false;
  if (canWorkProject(actor, site, request.projectId)) return true;
  return request.reporterId === actor.accountId || isParticipant;
}

export function decideViewRequest(actor: Actor, site: SiteRef, request: RequestFacts | undefined, isParticipant: boolean): 'allow' | 'not_found' {
  return request && canViewRequest(actor, site, request, isParticipant) ? 'allow' : 'not_found';
}

/** Internal notes are written and read by those who work the project only. */
export function mayUseInternalComments(actor: Actor, site: SiteRef, request: RequestFacts): boolean {
  return canWorkProject(actor, site, request.projectId);
}

/** Public replies by anyone who sees the request; internal notes by those who work the project (403). */
export function decideComment(actor: Actor, site: SiteRef, request: RequestFacts, isPublic: boolean): Decision {
  return isPublic || mayUseInternalComments(actor, site, request) ? 'allow' : 'forbidden';
}

/**
 * Agents of the project and admins may remove any participant; the reporter anyone they shared
 * with; a participant only themselves (403 otherwise).
 */
export function mayRemoveParticipant(actor: Actor, site: SiteRef, request: RequestFacts, participantId: string): boolean {
  return canWorkProject(actor, site, request.projectId) || request.reporterId === actor.accountId || participantId === actor.accountId;
}

export function decideRemoveParticipants(actor: Actor, site: SiteRef, request: RequestFacts, participantIds: readonly string[]): Decision {
  return participantIds.every((id) => mayRemoveParticipant(actor, site, request, id)) ? 'allow' : 'forbidden';
}

/**
 * Sharing a request with a customer organization, or ending the share: its reporter (with the
 * organizations the reporter is a member of), and those who work the project (403 for anyone else
 * who sees the request).
 */
export function decideShareWithOrganization(actor: Actor, site: SiteRef, request: RequestFacts): Decision {
  return request.reporterId === actor.accountId || canWorkProject(actor, site, request.projectId) ? 'allow' : 'forbidden';
}

/**
 * Resolving or reopening a request from the help center (docs/product.md#workflow): its reporter
 * (403 for anyone else who sees it; those who work the project use the agent's transitions).
 */
export function decideCustomerTransition(actor: Actor, request: RequestFacts): Decision {
  return request.reporterId === actor.accountId ? 'allow' : 'forbidden';
}

/** Rating a resolved request (docs/product.md#satisfaction): its reporter only (403 for anyone else who sees it). */
export function decideRateRequest(actor: Actor, request: RequestFacts): Decision {
  return request.reporterId === actor.accountId ? 'allow' : 'forbidden';
}

/** Raising a request for someone else: agents of the project and the site's admins (403). */
export function decideRaiseOnBehalf(actor: Actor, site: SiteRef, projectId: string): Decision {
  return canWorkProject(actor, site, projectId) ? 'allow' : 'forbidden';
}

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
  /** may resolve and reopen it from the help center (its reporter) */
  canResolveOrReopen: boolean;
}

/** What the request page offers a caller who sees the request. */
export function requestPermissions(actor: Actor, site: SiteRef, request: RequestFacts, participantIds: readonly string[]): RequestPermissions {
  const works = canWorkProject(actor, site, request.projectId);
  return {
    canComment: true,
    canCommentInternally: works,
    canAddParticipants: true,
    removableParticipantIds: participantIds.filter((id) => mayRemoveParticipant(actor, site, request, id)),
    worksProject: works,
    canResolveOrReopen: decideCustomerTransition(actor, request) === 'allow',
  };
}
