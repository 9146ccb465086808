import { Type } from 'typebox';
import { INVITATION_DAYS_MAX, INVITATION_DAYS_MIN, MAX_INVITATIONS_PER_CALL, MAX_SIGNUP_DOMAINS } from '../../domain/signup.js';

// Sign-up settings and invitations (docs/product.md#signup): the admin console's and REST's shapes.

export const SignupSettingsSchema = Type.Object(
  {
    customerSignup: Type.Boolean({ description: 'strangers may sign up in the help center (their accounts reach the open portals)' }),
    domains: Type.Array(Type.String(), { description: 'email domains sign-up is limited to; empty: any' }),
    invitationDays: Type.Integer({ minimum: INVITATION_DAYS_MIN, maximum: INVITATION_DAYS_MAX, description: 'how long an invitation link stays valid' }),
    loginRequired: Type.Boolean({ description: 'false: visitors who are not logged in may browse the open portals and their articles' }),
  },
);

/** What a save changes: the settings it names (the others stay as they are). */
export const SignupSettingsBody = Type.Object(
  {
    customerSignup: Type.Optional(Type.Boolean()),
    domains: Type.Optional(Type.Array(Type.String({ maxLength: 253 }), { maxItems: MAX_SIGNUP_DOMAINS })),
    invitationDays: Type.Optional(Type.Integer({ minimum: INVITATION_DAYS_MIN, maximum: INVITATION_DAYS_MAX })),
    loginRequired: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const InviteCustomersBody = Type.Object(
  {
    emails: Type.Array(Type.String({ maxLength: 1000 }), {
      minItems: 1,
      maxItems: MAX_INVITATIONS_PER_CALL * 2,
      description: `email addresses (at most ${MAX_INVITATIONS_PER_CALL} different ones)`,
    }),
  },
  { additionalProperties: false },
);

export const InvitationResultSchema = Type.Object({
  email: Type.String(),
  outcome: Type.Union([Type.Literal('invited'), Type.Literal('added'), Type.Literal('already_customer'), Type.Literal('revoked'), Type.Literal('invalid')], {
    description: 'invited: a set-password link was mailed; added: an existing customer was added; revoked: refused, nothing sent',
  }),
  message: Type.String(),
  accountId: Type.Optional(Type.String()),
});

export const InvitationResultsSchema = Type.Object({
  serviceDeskId: Type.String(),
  projectKey: Type.String(),
  results: Type.Array(InvitationResultSchema),
});

/** What a help center's login page needs to know (public). */
export const SignupOfferSchema = Type.Object({
  customerSignup: Type.Boolean({ description: 'the login page links to sign-up' }),
  loginRequired: Type.Boolean({ description: 'false: visitors may browse the open portals without logging in' }),
});
