import type { App, AppDeps } from '../../deps.js';
import { anonymousContext, contextFor } from '../../deps.js';
import { STAFF_COOKIE, requireStaff } from '../../plugins/auth.js';
import { sendError } from '../../plugins/errors.js';
import { logOut } from '../../../use-cases/auth/log-out.js';
import { getSessionInfo } from '../../../use-cases/auth/get-session-info.js';
import { logInWithCookie } from './login.js';
import { cookieOptions, ignoreExistingSession, requireSameOriginJson, stringFieldsOnly } from './guards.js';
import { LoginBody } from './schemas.js';
import { LoginResponseSchema, StaffSessionSchema } from '../../schemas/auth.js';
import { apiErrors, NoContent } from '../../schemas/common.js';

const tags = ['authentication (internal)'];

export async function registerStaffAuthRoutes(app: App, deps: AppDeps): Promise<void> {
  app.post('/api/auth/login', {
    onRequest: [ignoreExistingSession, requireSameOriginJson],
    preValidation: stringFieldsOnly('email', 'password'),
    schema: { tags, summary: 'Staff login', body: LoginBody, response: { 200: LoginResponseSchema, ...apiErrors } },
  }, async (request, reply) => {
    return logInWithCookie(deps, request, reply, request.body, { site: null, cookie: STAFF_COOKIE, cookiePath: '/' });
  });

  app.post('/api/auth/logout', {
    schema: { tags, summary: 'Staff logout: deletes the session', response: { 204: NoContent, ...apiErrors } },
  }, async (request, reply) => {
    await logOut(anonymousContext(deps, request), { sessionId: request.cookies[STAFF_COOKIE], siteId: null });
    reply.clearCookie(STAFF_COOKIE, cookieOptions(deps, request, '/'));
    return reply.code(204).send(null);
  });

  app.get('/api/auth/session', {
    schema: {
      tags,
      summary: 'The signed-in staff member, their organizations, sites and projects',
      response: { 200: StaffSessionSchema, ...apiErrors },
    },
  }, async (request, reply) => {
    const principal = requireStaff(request);
    const info = await getSessionInfo(await contextFor(deps, request), { csrfToken: principal.csrfToken });
    if (info.kind !== 'staff') return sendError(reply, 401, ['You are not logged in.']);
    reply.header('cache-control', 'no-store');
    const { kind: _kind, ...body } = info;
    return body;
  });
}
