import { Type } from 'typebox';
import type { App, AppDeps } from '../deps.js';
import { contextFor } from '../deps.js';
import { requireSite } from '../plugins/auth.js';
import { presentPerson } from '../presenters/people.js';
import { presentApproval, presentRestApproval } from '../presenters/approvals.js';
import { presentPage, pageWindow } from '../presenters/rest/common.js';
import { apiErrors } from '../schemas/common.js';
import { PageSchema, errorResponses } from '../schemas/rest.js';
import {
  ApprovalDecisionBody, ApprovalSchema, ApprovalsSchema, PendingApprovalsSchema, RequestTypeApprovalBody, RequestTypeApprovalSchema, RequestTypeApprovalsSchema, RestApprovalSchema,
} from '../schemas/approvals.js';
import {
  answerApproval, getApproval, getRequestTypeApproval, listApprovals, listMyPendingApprovals, listRequestTypeApprovals, setRequestTypeApproval,
} from '../../use-cases/requests/approvals.js';
import { JSM, PageQuery, emptyBodyAsObject, restSite } from './rest/common.js';

// Approvals (docs/product.md#approvals) on every surface: Atlassian's …/request/{key}/approval
// endpoints, Portico's REST setting of which request types need approval, and the internal API of
// the help center (an approver's list and answer) and the agent workspace (the approval panel).

const Site = { site: Type.String({ minLength: 1, maxLength: 63 }) };
const RequestParams = Type.Object({ ...Site, key: Type.String({ minLength: 1, maxLength: 40 }) });
const ApprovalParams = Type.Object({ ...Site, key: Type.String({ minLength: 1, maxLength: 40 }), approvalId: Type.String({ minLength: 1, maxLength: 20 }) });
const RestRequestParams = Type.Object({ site: Type.String(), issueIdOrKey: Type.String({ description: 'issue id (10001) or key (HELP-1)' }) });
const RestApprovalParams = Type.Object({ site: Type.String(), issueIdOrKey: Type.String({ description: 'issue id (10001) or key (HELP-1)' }), approvalId: Type.String({ description: 'the approval id' }) });
const RequestTypeParams = Type.Object({ site: Type.String(), serviceDeskId: Type.String({ description: 'service desk id, project id or project key' }), requestTypeId: Type.String() });

export async function registerApprovalRoutes(app: App, deps: AppDeps): Promise<void> {
  const portal = { tags: ['help center (internal)'] };
  const agent = { tags: ['agent workspace (internal)'] };

  app.get('/s/:site/rest/servicedeskapi/request/:issueIdOrKey/approval', {
    schema: { tags: [JSM], summary: "A request's approvals (anyone who sees the request)", params: RestRequestParams, querystring: Type.Object(PageQuery), response: { 200: PageSchema(RestApprovalSchema, 'Page of ApprovalDTO'), ...errorResponses } },
  }, async (request) => {
    const { site, base } = restSite(request);
    const ctx = await contextFor(deps, request);
    const { start, limit } = pageWindow(request.query);
    const { request: r, approvals } = await listApprovals(ctx, { site, key: request.params.issueIdOrKey });
    const values = approvals.slice(start, start + limit).map((a) => presentRestApproval(base, ctx.actor, r.id, a));
    return presentPage(request, base, { start, limit, isLastPage: start + limit >= approvals.length, values });
  });

  app.get('/s/:site/rest/servicedeskapi/request/:issueIdOrKey/approval/:approvalId', {
    schema: { tags: [JSM], summary: 'One approval of a request', params: RestApprovalParams, response: { 200: RestApprovalSchema, ...errorResponses } },
  }, async (request) => {
    const { site, base } = restSite(request);
    const ctx = await contextFor(deps, request);
    const { request: r, approval } = await getApproval(ctx, { site, key: request.params.issueIdOrKey, approvalId: request.params.approvalId });
    return presentRestApproval(base, ctx.actor, r.id, approval);
  });

  app.post('/s/:site/rest/servicedeskapi/request/:issueIdOrKey/approval/:approvalId', {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: [JSM],
      summary: "Approve or decline: `{ \"decision\": \"approve\" | \"decline\" }` (a named approver, once; the first answer decides)",
      params: RestApprovalParams,
      body: ApprovalDecisionBody,
      response: { 200: RestApprovalSchema, ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const ctx = await contextFor(deps, request);
    const { request: r, approval } = await answerApproval(ctx, { site, key: request.params.issueIdOrKey, approvalId: request.params.approvalId, decision: request.body.decision });
    return presentRestApproval(base, ctx.actor, r.id, approval);
  });

  app.get('/s/:site/rest/portico/1/servicedesk/:serviceDeskId/requesttype/:requestTypeId/approval', {
    schema: { tags: ['Portico REST'], summary: 'Which user-picker field names the approvers of a request type (agents of the project, admins)', params: RequestTypeParams, response: { 200: RequestTypeApprovalSchema, ...errorResponses } },
  }, async (request) => {
    const { site } = restSite(request);
    return getRequestTypeApproval(await contextFor(deps, request), { site, serviceDeskId: request.params.serviceDeskId, requestTypeId: request.params.requestTypeId });
  });

  app.put('/s/:site/rest/portico/1/servicedesk/:serviceDeskId/requesttype/:requestTypeId/approval', {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: ['Portico REST'],
      summary: "Makes a request type need approval by the people of one of its user-picker fields, or not (null); docs/product.md#approvals",
      params: RequestTypeParams,
      body: RequestTypeApprovalBody,
      response: { 200: RequestTypeApprovalSchema, ...errorResponses },
    },
  }, async (request) => {
    const { site } = restSite(request);
    return setRequestTypeApproval(await contextFor(deps, request), { site, serviceDeskId: request.params.serviceDeskId, requestTypeId: request.params.requestTypeId, fieldKey: request.body.fieldKey ?? null });
  });

  app.get('/s/:site/api/portal/approvals', {
    schema: { ...portal, summary: 'The approvals waiting for your answer on this site', params: Type.Object(Site), response: { 200: PendingApprovalsSchema, ...apiErrors } },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const rows = await listMyPendingApprovals(ctx, { site: requireSite(request) });
    return {
      approvals: rows.map((r) => ({
        id: String(r.id),
        key: r.key,
        projectId: String(r.project_id),
        summary: r.summary,
        requestTypeName: r.request_type_name,
        portalName: r.portal_name,
        reporter: presentPerson({ accountId: r.rep_account_id, displayName: r.rep_display_name, email: r.rep_email, status: r.rep_status }, ctx.actor),
        createdAt: new Date(r.created_at).toISOString(),
      })),
    };
  });

  for (const [prefix, tags] of [['portal', portal], ['agent', agent]] as const) {
    app.get(`/s/:site/api/${prefix}/requests/:key/approvals`, {
      schema: { ...tags, summary: "A request's approvals, with who may answer and whether one is stuck", params: RequestParams, response: { 200: ApprovalsSchema, ...apiErrors } },
    }, async (request) => {
      const ctx = await contextFor(deps, request);
      const { approvals } = await listApprovals(ctx, { site: requireSite(request), key: request.params.key });
      return { approvals: approvals.map((a) => presentApproval(ctx.actor, a)) };
    });
  }

  app.post('/s/:site/api/portal/requests/:key/approvals/:approvalId', {
    schema: { ...portal, summary: 'Approve or decline (a named approver, once)', params: ApprovalParams, body: ApprovalDecisionBody, response: { 200: ApprovalSchema, ...apiErrors } },
  }, async (request) => {
    const ctx = await contextFor(deps, request);
    const { approval } = await answerApproval(ctx, { site: requireSite(request), key: request.params.key, approvalId: request.params.approvalId, decision: request.body.decision });
    return presentApproval(ctx.actor, approval);
  });

  // The agent workspace's Approvals page: which request types need approval, and by whom.
  const ProjectParams = Type.Object({ ...Site, key: Type.String({ minLength: 1, maxLength: 20 }) });
  app.get('/s/:site/api/agent/projects/:key/approvals', {
    schema: { ...agent, summary: "The project's request types, their user-picker fields and which names their approvers", params: ProjectParams, response: { 200: RequestTypeApprovalsSchema, ...apiErrors } },
  }, async (request) => listRequestTypeApprovals(await contextFor(deps, request), { site: requireSite(request), serviceDeskId: request.params.key }));

  app.put('/s/:site/api/agent/projects/:key/request-types/:requestTypeId/approval', {
    schema: {
      ...agent,
      summary: 'Makes a request type need approval by the people of one of its user-picker fields, or not (null)',
      params: Type.Object({ ...ProjectParams.properties, requestTypeId: Type.String({ maxLength: 20 }) }),
      body: RequestTypeApprovalBody,
      response: { 200: RequestTypeApprovalSchema, ...apiErrors },
    },
  }, async (request) => setRequestTypeApproval(await contextFor(deps, request), {
    site: requireSite(request), serviceDeskId: request.params.key, requestTypeId: request.params.requestTypeId, fieldKey: request.body.fieldKey,
  }));
}
