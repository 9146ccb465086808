import { Type } from 'typebox';
import { DateTime } from './common.js';

/** A project's canned response (docs/product.md#canned-responses). */
export const CannedResponseSchema = Type.Object({ id: Type.String(), title: Type.String(), body: Type.String(), updatedAt: DateTime });
export const CannedResponsesSchema = Type.Object({ values: Type.Array(CannedResponseSchema) });
