import { Type } from 'typebox';

// The answers of the admin console's mailbox routes (http/routes/admin/mailboxes.ts): a project's
// incoming mailbox (never its password) and the log of mail that raised nothing.

export const MailboxSchema = Type.Object({
  projectKey: Type.String(),
  projectName: Type.String(),
  host: Type.String(),
  port: Type.Integer(),
  tls: Type.Boolean(),
  user: Type.String(),
  folder: Type.String(),
  updatedAt: Type.String({ format: 'date-time' }),
  lastPolledAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
});
export const SiteMailboxesSchema = Type.Object({
  canSave: Type.Boolean({ description: 'false while PORTICO_SECRET_KEY is not set: no mailbox can be saved' }),
  projects: Type.Array(Type.Object({ key: Type.String(), name: Type.String(), mailbox: Type.Union([MailboxSchema, Type.Null()]) })),
});
export const InboundLogSchema = Type.Object({
  isLastPage: Type.Boolean(),
  values: Type.Array(
    Type.Object({
      id: Type.String(),
      projectKey: Type.String(),
      from: Type.String(),
      subject: Type.String(),
      receivedAt: Type.String({ format: 'date-time' }),
      outcome: Type.Union([Type.Literal('refused'), Type.Literal('ignored'), Type.Literal('request'), Type.Literal('comment')]),
      reason: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});

/** A request's file (http/routes/portal/attachments.ts); downloaded from …/attachments/{id}. */
export const AttachmentSchema = Type.Object({ id: Type.String(), fileName: Type.String(), contentType: Type.String(), size: Type.Integer(), created: Type.String({ format: 'date-time' }) });
export const AttachmentsSchema = Type.Object({ values: Type.Array(AttachmentSchema) });
