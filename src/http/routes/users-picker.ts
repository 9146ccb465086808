import { Type } from 'typebox';
import type { App, AppDeps } from '../deps.js';
import { contextFor } from '../deps.js';
import { requireSite } from '../plugins/auth.js';
import { presentPickerPerson } from '../presenters/people.js';
import { PickerAnswerSchema } from '../schemas/people.js';
import { apiErrors } from '../schemas/common.js';
import { pickUsers } from '../../use-cases/people/pick-users.js';

/**
 * The user picker of the web app (help-center "Share with" and user-picker fields, agent Reporter,
 * Request participants and custom fields): GET /s/{site}/api/users/picker?query=&fieldKey=&limit=.
 * The field decides who may be offered; revoked and deleted accounts never are.
 */
export async function registerUserPickerRoute(app: App, deps: AppDeps): Promise<void> {
  app.get('/s/:site/api/users/picker', {
    schema: {
      tags: ['user picker (internal)'],
      summary: 'Search people a field may hold, by word prefix of name or email',
      params: Type.Object({ site: Type.String({ minLength: 1, maxLength: 63 }) }),
      querystring: Type.Object({
        query: Type.Optional(Type.String({ maxLength: 256 })),
        fieldKey: Type.Optional(Type.String({ maxLength: 64 })),
        projectId: Type.Optional(Type.String({ maxLength: 20, description: "the portal's project: a customer finds only whom its sharing setting allows, and nobody without it" })),
        requestKey: Type.Optional(Type.String({ maxLength: 40, description: 'the request being shared, whose reporter and participants a customer may find' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
        exclude: Type.Optional(Type.Array(Type.String({ maxLength: 128 }), { maxItems: 100 })),
      }),
      response: { 200: PickerAnswerSchema, ...apiErrors },
    },
  }, async (request) => {
    const site = requireSite(request);
    const q = request.query;
    const ctx = await contextFor(deps, request);
    const users = await pickUsers(ctx, {
      site,
      query: q.query ?? '',
      fieldKey: q.fieldKey,
      projectId: q.projectId,
      requestKey: q.requestKey,
      limit: q.limit,
      excludeAccountIds: (q.exclude ?? []).flatMap((e) => e.split(',')).filter(Boolean),
    });
    return {
      // the email only where the caller may read it: staff, or a customer finding themselves
      users: users.map((u) => presentPickerPerson(u, ctx.actor)),
    };
  });
}
