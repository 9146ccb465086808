import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { BUILD_INFO } from '../../build-info.js';
import { presentDate } from '../../presenters/rest/common.js';
import { SoftwareInfoSchema, errorResponses } from '../../schemas/rest.js';
import { getSoftwareInfo } from '../../../use-cases/help-center/get-software-info.js';
import { JSM, SiteParams, restSite } from './common.js';

export function registerInfoRoutes(app: App, deps: AppDeps) {
  app.get('/s/:site/rest/servicedeskapi/info', {
    schema: {
      tags: [JSM],
      summary: "The server's version and build (docs/product.md#rest-info)",
      params: SiteParams,
      response: { 200: SoftwareInfoSchema, ...errorResponses },
    },
  }, async (request) => {
    const { site, base } = restSite(request);
    const build = getSoftwareInfo(await contextFor(deps, request), { site, build: BUILD_INFO });
    return {
      version: build.version,
      platformVersion: build.version,
      ...(build.builtAt ? { buildDate: presentDate(build.builtAt) } : {}),
      ...(build.changeSet ? { buildChangeSet: build.changeSet } : {}),
      isLicensedForUse: true,
      _links: { self: `${base}/rest/servicedeskapi/info` },
    };
  });
}
