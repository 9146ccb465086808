import { Type } from 'typebox';

/**
 * A stored person as the internal JSON API sends it (presenters/people.ts): `label` is what every
 * screen shows; `email` only to a viewer who may read it.
 */
export const PersonSchema = Type.Object({
  accountId: Type.String(),
  displayName: Type.String(),
  label: Type.String({ description: 'display label: "Name", "Name (Deactivated)" or "Former user (Deactivated)"' }),
  email: Type.Optional(Type.String()),
  active: Type.Boolean(),
});

/** A person the user picker offers (always active, so no `active`). */
export const PickerPersonSchema = Type.Object({
  accountId: Type.String(),
  displayName: Type.String(),
  label: Type.String(),
  email: Type.Optional(Type.String()),
});

/** The answer of the web app's user picker (GET /s/{site}/api/users/picker). */
export const PickerAnswerSchema = Type.Object({ users: Type.Array(PickerPersonSchema) });
