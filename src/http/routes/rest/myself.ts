import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { App, AppDeps } from '../../deps.js';
import { contextFor } from '../../deps.js';
import { requireSite } from '../../plugins/auth.js';
import { sendError } from '../../plugins/errors.js';
import { getMyself } from '../../../use-cases/people/get-myself.js';
import { originOf } from '../../deps.js';
import { MyselfSchema, errorResponses } from '../../schemas/rest.js';
import { apiErrors } from '../../schemas/common.js';

const AVATAR_SIZES = ['16x16', '24x24', '32x32', '48x48'] as const;

/** Absolute avatar URLs (docs/product.md#rest-shapes): Portico serves one neutral avatar in each size. */
export function avatarUrlsFor(request: FastifyRequest): AvatarUrls {
  const origin = originOf(request);
  if (origin !== lastAvatars.origin) {
    const urls = Object.fromEntries(AVATAR_SIZES.map((s) => [s, `${origin}/api/avatars/default.svg?size=${s.split('x')[0]}`])) as AvatarUrls;
    lastAvatars = { origin, urls: Object.freeze(urls) };
  }
  return lastAvatars.urls;
}

type AvatarUrls = Readonly<Record<(typeof AVATAR_SIZES)[number], string>>;

/** The same for every answer from one origin (the public URL, or the Host a request came by): made once while it stays the same. */
let lastAvatars: { origin: string; urls: AvatarUrls } = { origin: '', urls: {} as AvatarUrls };

function expandsOf(value: string | string[] | undefined): Set<string> {
  const all = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return new Set(all.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean));
}

// A neutral head-and-shoulders silhouette; the same for everyone (Portico has no uploaded avatars).
const AVATAR_SVG = (size: number) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 48 48" role="img" aria-label="Avatar">` +
  `<circle cx="24" cy="24" r="24" fill="#dfe1e6"/><circle cx="24" cy="19" r="8" fill="#7a869a"/>` +
  `<path d="M9 41c2-8 8-12 15-12s13 4 15 12a24 24 0 0 1-30 0z" fill="#7a869a"/></svg>`;

export async function registerMyselfRoute(app: App, deps: AppDeps): Promise<void> {
  app.get('/s/:site/rest/api/3/myself', {
    schema: {
      tags: ['Jira platform REST API'],
      summary: 'The calling user',
      params: Type.Object({ site: Type.String({ minLength: 1, maxLength: 63 }) }),
      querystring: Type.Object({
        expand: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20 })),
      }),
      response: { 200: MyselfSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const site = requireSite(request);
    if (!request.principal) {
      return sendError(reply, 401, ['You are not authenticated. Log in, or send an API token (Basic email:token or Bearer).']);
    }
    const me = await getMyself(await contextFor(deps, request), { site, caller: { email: request.principal.email, displayName: request.principal.displayName } });
    const expand = expandsOf(request.query.expand);
    const base = `${originOf(request)}/s/${encodeURIComponent(site.slug)}`;
    const self = `${base}/rest/api/3/user?accountId=${encodeURIComponent(me.accountId)}`;
    const groupItems = me.groups.map((name) => ({ name, groupId: null, self: `${base}/rest/api/3/group?groupname=${encodeURIComponent(name)}` }));
    const isStaffOfSite = me.kind === 'staff' && me.groups.length > 0;
    const roles = isStaffOfSite
      ? [{ key: 'jira-servicedesk', name: 'Service Management', groups: me.groups, defaultGroups: [], selectedByDefault: false, defined: true, hasUnlimitedSeats: true, platform: false }]
      : [];
    return {
      self,
      accountId: me.accountId,
      accountType: me.kind === 'customer' ? ('customer' as const) : ('atlassian' as const),
      ...(me.email && me.status !== 'deleted' ? { emailAddress: me.email } : {}),
      avatarUrls: avatarUrlsFor(request),
      displayName: me.displayName ?? 'Former user',
      active: me.status === 'active',
      timeZone: 'UTC',
      locale: 'en_US',
      // docs/product.md#rest-shapes: groups and applicationRoles are present only when expanded
      ...(expand.has('groups') ? { groups: { size: groupItems.length, items: groupItems, 'max-results': 200 } } : {}),
      ...(expand.has('applicationRoles') ? { applicationRoles: { size: roles.length, items: roles, 'max-results': 200 } } : {}),
      expand: 'groups,applicationRoles',
    };
  });

  app.get('/api/avatars/default.svg', {
    schema: {
      hide: true,
      querystring: Type.Object({ size: Type.Optional(Type.Integer({ minimum: 16, maximum: 512 })) }),
      response: { 200: Type.String({ description: 'image/svg+xml' }), ...apiErrors },
    },
  }, async (request, reply) => {
    const size = request.query.size ?? 48;
    // REST clients on other origins show avatarUrls in their own pages: this image is for everyone
    return reply
      .type('image/svg+xml')
      .header('cache-control', 'public, max-age=86400')
      .header('cross-origin-resource-policy', 'cross-origin')
      .send(AVATAR_SVG(size));
  });
}
