import type { Static } from 'typebox';
import type { Actor } from '../../domain/policies.js';
import type { RequestFieldValue } from '../../domain/requests.js';
import type { PickerFieldValuesSchema } from '../schemas/requests.js';
import { presentPerson } from './people.js';

/** A user-picker field of a request with its people, as the help center and the agent workspace show it. */
export function presentPickerFieldValues(f: RequestFieldValue, viewer: Actor): Static<typeof PickerFieldValuesSchema> {
  return { fieldKey: f.fieldKey, label: f.label, type: f.type, values: f.values.map((v) => presentPerson(v, viewer)) };
}
