import { Type } from 'typebox';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { errorResponses } from '../../schemas/rest.js';
import { InvitationResultsSchema, InviteCustomersBody, SignupSettingsBody, SignupSettingsSchema } from '../../schemas/signup.js';
import { inviteProjectCustomers } from '../../../use-cases/onboarding/invite-customers.js';
import { getSignupSettings, saveSignupSettings } from '../../../use-cases/onboarding/signup-settings.js';
import { SiteParams, emptyBodyAsObject, restSite } from './common.js';
import { AccessFootprintSchema } from '../../schemas/admin.js';
import { presentFootprint } from '../../presenters/admin.js';
import { getAccessFootprint } from '../../../use-cases/customer-access/access-footprint.js';

// Portico's own REST API, beside Atlassian's paths, for what Atlassian has no path for: scripting
// invitations and a site's sign-up settings (docs/product.md#signup). Same authentication (API token
// or cookie with CSRF), same error shape, versioned in the path.

const PORTICO = 'Portico REST';
const DeskParams = Type.Object({ site: Type.String(), serviceDeskId: Type.String({ description: 'service desk id, project id or project key' }) });

export function registerPorticoRestRoutes(app: App, deps: AppDeps): void {
  app.post('/s/:site/rest/portico/1/servicedesk/:serviceDeskId/invitation', {
    preValidation: emptyBodyAsObject,
    schema: {
      tags: [PORTICO],
      summary: 'Invite customers to a service desk by email: a result per address (agents of the project, admins)',
      params: DeskParams,
      body: InviteCustomersBody,
      response: { 200: InvitationResultsSchema, ...errorResponses },
    },
  }, async (request) => {
    const { site } = restSite(request);
    const invited = await inviteProjectCustomers(await contextFor(deps, request), { site, serviceDeskId: request.params.serviceDeskId, emails: request.body.emails });
    return { serviceDeskId: invited.project.id, projectKey: invited.project.key, results: invited.results };
  });

  app.get('/s/:site/rest/portico/1/customer/:accountId/access-footprint', {
    schema: {
      tags: [PORTICO],
      summary: "What revoking a customer would touch: open requests reported, requests participated in, user-picker references, live sessions, last active (the site's org admins and site admins)",
      params: Type.Object({ site: Type.String(), accountId: Type.String({ minLength: 1, maxLength: 128, description: 'the customer\'s account id' }) }),
      response: { 200: AccessFootprintSchema, ...errorResponses },
    },
  }, async (request) => {
    const { site } = restSite(request);
    return presentFootprint(await getAccessFootprint(await contextFor(deps, request), { siteSlug: site.slug, accountId: request.params.accountId }));
  });

  app.get('/s/:site/rest/portico/1/signup-settings', {
    schema: { tags: [PORTICO], summary: "The site's sign-up settings (its org admins and site admins)", params: SiteParams, response: { 200: SignupSettingsSchema, ...errorResponses } },
  }, async (request) => {
    const { site } = restSite(request);
    return getSignupSettings(await contextFor(deps, request), { siteSlug: site.slug });
  });

  app.put('/s/:site/rest/portico/1/signup-settings', {
    preValidation: emptyBodyAsObject,
    schema: { tags: [PORTICO], summary: "Saves the site's sign-up settings", params: SiteParams, body: SignupSettingsBody, response: { 200: SignupSettingsSchema, ...errorResponses } },
  }, async (request) => {
    const { site } = restSite(request);
    return saveSignupSettings(await contextFor(deps, request), { siteSlug: site.slug, ...request.body });
  });
}
