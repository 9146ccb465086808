import { Type } from 'typebox';

// The admin routes' tags and path parameters; their responses are in ../../schemas/admin.ts.

export const TAGS = ['admin'];

export const SiteSlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 63, description: 'site slug' }) });
export const CustomerParams = Type.Object({
  slug: Type.String({ minLength: 1, maxLength: 63, description: 'site slug' }),
  accountId: Type.String({ minLength: 1, maxLength: 128, description: 'portal-only account id (qm:<uuid>)' }),
});
export const OrgParams = Type.Object({ orgId: Type.String({ minLength: 1, maxLength: 64, description: 'organization id' }) });
