import { Type } from 'typebox';
import type { App, AppDeps } from '../deps.js';
import { contextFor } from '../deps.js';
import { requireSite } from '../plugins/auth.js';
import { presentAgentSla } from '../presenters/sla.js';
import { apiErrors } from '../schemas/common.js';
import { errorResponses } from '../schemas/rest.js';
import { AgentSlasSchema, SlaSettingsBody, SlaSettingsSchema } from '../schemas/sla.js';
import { getRequestSlas } from '../../use-cases/requests/get-request-slas.js';
import { getSlaSettings, setSlaSettings } from '../../use-cases/requests/sla-settings.js';
import { emptyBodyAsObject, restSite } from './rest/common.js';

// SLAs (docs/product.md#slas) beyond Atlassian's …/request/{key}/sla (routes/rest/requests.ts): a
// project's settings — goals per priority and its business calendar — on Portico's REST API and the
// agent workspace's internal API, and a request's timers for the agent's request view.

const Site = { site: Type.String({ minLength: 1, maxLength: 63 }) };
const DeskParams = Type.Object({ site: Type.String(), serviceDeskId: Type.String({ maxLength: 40, description: 'service desk id, project id or project key' }) });
const ProjectParams = Type.Object({ ...Site, key: Type.String({ minLength: 1, maxLength: 20 }) });
const RequestParams = Type.Object({ ...Site, key: Type.String({ minLength: 1, maxLength: 40 }) });

export async function registerSlaRoutes(app: App, deps: AppDeps): Promise<void> {
  const agent = { tags: ['agent workspace (internal)'] };

  app.get('/s/:site/rest/portico/1/servicedesk/:serviceDeskId/sla-settings', {
    schema: { tags: ['Portico REST'], summary: "A service project's SLA goals per priority and its business calendar (agents of the project, admins)", params: DeskParams, response: { 200: SlaSettingsSchema, ...errorResponses } },
  }, async (request) => {
    const { site } = restSite(request);
    return getSlaSettings(await contextFor(deps, request), { site, serviceDeskId: request.params.serviceDeskId });
  });

  app.put('/s/:site/rest/portico/1/servicedesk/:serviceDeskId/sla-settings', {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: ['Portico REST'],
      summary: "Sets a service project's SLA goals (minutes of working time per priority; null: not measured) and business calendar (null: every hour counts); docs/product.md#slas",
      params: DeskParams,
      body: SlaSettingsBody,
      response: { 200: SlaSettingsSchema, ...errorResponses },
    },
  }, async (request) => {
    const { site } = restSite(request);
    return setSlaSettings(await contextFor(deps, request), { site, serviceDeskId: request.params.serviceDeskId, goals: request.body.goals, calendar: request.body.calendar });
  });

  app.get('/s/:site/api/agent/projects/:key/sla-settings', {
    schema: { ...agent, summary: "The project's SLA goals and business calendar", params: ProjectParams, response: { 200: SlaSettingsSchema, ...apiErrors } },
  }, async (request) => getSlaSettings(await contextFor(deps, request), { site: requireSite(request), serviceDeskId: request.params.key }));

  app.put('/s/:site/api/agent/projects/:key/sla-settings', {
    schema: { ...agent, summary: "Sets the project's SLA goals and business calendar", params: ProjectParams, body: SlaSettingsBody, response: { 200: SlaSettingsSchema, ...apiErrors } },
  }, async (request) => setSlaSettings(await contextFor(deps, request), { site: requireSite(request), serviceDeskId: request.params.key, goals: request.body.goals, calendar: request.body.calendar }));

  app.get('/s/:site/api/agent/requests/:key/slas', {
    schema: { ...agent, summary: "A request's SLA timers now (agents of its project)", params: RequestParams, response: { 200: AgentSlasSchema, ...apiErrors } },
  }, async (request) => {
    const slas = await getRequestSlas(await contextFor(deps, request), { site: requireSite(request), key: request.params.key });
    return { slas: slas.map(presentAgentSla) };
  });
}
