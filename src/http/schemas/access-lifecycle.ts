import { Type } from 'typebox';
import { DateTime, Nullable } from './common.js';

const Kind = Type.Union([Type.Literal('revoked'), Type.Literal('granted')], { description: 'revoked: the revoke notice; granted: the welcome-back notice' });

export const AccessNoticeKindParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 63, description: 'site slug' }), kind: Kind });

const Parts = Type.Object({ subject: Type.String(), text: Type.String() });

/** A notice's wording as the admin console's editor shows it (presenters/access-lifecycle.ts). */
export const AccessNoticeSchema = Type.Object({
  kind: Kind,
  subject: Type.String(),
  text: Type.String(),
  isDefault: Type.Boolean({ description: 'the built-in wording is in use' }),
  updatedAt: Nullable(DateTime),
  defaults: Parts,
  preview: Type.Object({ subject: Type.String(), text: Type.String() }, { description: 'rendered for a made-up customer, the reason included' }),
});

export const AccessNoticeBody = Type.Object(
  {
    subject: Type.String({ maxLength: 1000, description: 'Mustache; values recipient.name, site.name, site.url, reason' }),
    text: Type.String({ maxLength: 40_000, description: 'plain text, Mustache; {{#reason}}…{{/reason}} shows only when the reason is included' }),
  },
  { additionalProperties: false },
);

export const BulkAccessUntilSchema = Type.Object({
  changed: Type.Integer(),
  skipped: Type.Array(Type.String(), { description: 'customers whose access is already revoked: no date was set' }),
});
