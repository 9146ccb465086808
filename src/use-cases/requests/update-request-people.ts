import type { Transaction } from 'kysely';
import { auditSiteChange } from '../audit.js';
import { appendRequestHistory, type NewHistoryEntry } from '../../db/queries/request-history.js';
import { assertPickable, lockNamedPeople } from '../../db/queries/pickable.js';
import type { Database } from '../../db/schema.js';
import { badRequest } from '../../domain/errors.js';
import type { SiteRef } from '../../domain/policies.js';
import { loadWorkableRequest } from './agent-access.js';
import type { ActorContext } from '../context.js';
import { notifyRequestPeople } from '../notifications/notify.js';

export interface UpdateRequestPeopleInput {
  site: SiteRef;
  issueKey: string;
  /** the new reporter's accountId; omitted: unchanged */
  reporter?: string;
  /** the whole new list of request participants; omitted: unchanged */
  participants?: string[];
  /** user-picker fields of the request type by key (customfield_10010): accountId, list, or null to clear */
  fields?: Record<string, string | string[] | null>;
}

export interface UpdateRequestPeopleResult {
  key: string;
  /** which of reporter / participants / field keys actually changed */
  changed: string[];
  updatedAt: Date | null;
}

type Trx = Transaction<Database>;

function diff(stored: string[], desired: string[]) {
  const s = new Set(stored);
  const d = new Set(desired);
  return { added: desired.filter((id) => !s.has(id)), removed: stored.filter((id) => !d.has(id)) };
}

/**
 * The agent changes who a request is about: Reporter, Request participants, user-picker fields.
 * Only what is sent is touched, and within a list only the difference: a NEW value must be an active
 * account the field may hold (assertPickable: revoked, deleted, unknown → 400 naming the field),
 * while values already stored — a revoked customer's included — stay as they are. All or nothing, in one transaction; any change bumps updated_at.
 */
export async function updateRequestPeople(ctx: ActorContext, input: UpdateRequestPeopleInput): Promise<UpdateRequestPeopleResult> {
  return ctx.db.transaction().execute(async (trx) => {
    const request = await loadWorkableRequest(ctx, input.site, input.issueKey, { db: trx, forUpdate: true });
    const siteId = input.site.id;
    // everyone the input names, under one lock (see lockNamedPeople), before any check
    await lockNamedPeople(trx, [
      ...(input.reporter !== undefined ? [input.reporter] : []),
      ...(input.participants ?? []),
      ...Object.values(input.fields ?? {}).flatMap((v) => (v === null ? [] : Array.isArray(v) ? v : [v])),
    ]);
    const changed: string[] = [];
    const sharedWith: string[] = [];
    // each change's line in the request's history, written with the change (docs/product.md#history)
    const history: NewHistoryEntry[] = [];
    const record = (field: string, fieldName: string, from: string | string[] | null, to: string | string[] | null) =>
      history.push({ siteId, requestId: request.id, actorId: ctx.actor.accountId, field, fieldName, change: 'changed', from, to });

    if (input.reporter !== undefined && input.reporter !== request.reporterId) {
      await assertPickable(trx, { siteId, accountIds: [input.reporter], fieldName: 'Reporter', errorKey: 'reporter', allowStaff: true });
      await trx.updateTable('requests').set({ reporter_id: input.reporter }).where('id', '=', request.id).execute();
      changed.push('reporter');
      record('reporter', 'Reporter', [request.reporterId], [input.reporter]);
      sharedWith.push(input.reporter);
    }

    if (input.participants !== undefined) {
      const stored = (
        await trx.selectFrom('request_participants').select('account_id').where('request_id', '=', request.id).execute()
      ).map((r) => r.account_id);
      const { added, removed } = diff(stored, [...new Set(input.participants)]);
      await assertPickable(trx, { siteId, accountIds: added, fieldName: 'Request participants', errorKey: 'participants', allowStaff: true });
      if (removed.length) {
        await trx.deleteFrom('request_participants').where('request_id', '=', request.id).where('account_id', 'in', removed).execute();
      }
      if (added.length) {
        await trx
          .insertInto('request_participants')
          .values(added.map((accountId) => ({ site_id: siteId, request_id: request.id, account_id: accountId })))
          .execute();
      }
      if (added.length || removed.length) {
        changed.push('participants');
        record('participants', 'Request participants', stored, [...stored.filter((id) => !removed.includes(id)), ...added]);
      }
      sharedWith.push(...added);
    }

    for (const [fieldKey, value] of Object.entries(input.fields ?? {})) {
      const fieldChange = await updatePickerField(trx, siteId, request.id, request.requestTypeId, fieldKey, value);
      if (fieldChange) {
        changed.push(fieldKey);
        record(fieldKey, fieldChange.label, fieldChange.from, fieldChange.to);
      }
    }

    if (changed.length === 0) return { key: request.key, changed, updatedAt: null };
    const now = new Date();
    await trx.updateTable('requests').set({ updated_at: now }).where('id', '=', request.id).execute();
    await appendRequestHistory(trx, history.map((h) => ({ ...h, at: now })));
    await auditSiteChange(trx, ctx, input.site, 'request.people.changed', { issueKey: request.key, changed });
    // The new reporter and the new participants hear that the request is now theirs to follow.
    if (sharedWith.length) await notifyRequestPeople(trx, ctx, { siteId, requestId: request.id, event: 'shared', recipients: sharedWith });
    return { key: request.key, changed, updatedAt: now };
  });
}

async function updatePickerField(
  trx: Trx,
  siteId: string,
  requestId: string,
  requestTypeId: string,
  fieldKey: string,
  value: string | string[] | null,
): Promise<{ label: string; from: string[]; to: string[] } | null> {
  const field = await trx
    .selectFrom('request_type_fields as f')
    .innerJoin('custom_fields as c', 'c.id', 'f.custom_field_id')
    .select(['c.id', 'c.type', 'c.audience', 'f.label'])
    .where('f.request_type_id', '=', requestTypeId)
    .where('f.field_key', '=', fieldKey)
    .executeTakeFirst();
  if (!field) {
    const msg = `'${fieldKey}' is not a user-picker field of this request's type.`;
    throw badRequest(msg, { [fieldKey]: msg });
  }
  const desired = value === null ? [] : Array.isArray(value) ? [...new Set(value)] : [value];
  if (field.type === 'user' && desired.length > 1) {
    const msg = `'${field.label}' holds one user.`;
    throw badRequest(msg, { [fieldKey]: msg });
  }
  const stored = (
    await trx
      .selectFrom('request_user_values')
      .select('account_id')
      .where('request_id', '=', requestId)
      .where('custom_field_id', '=', field.id)
      .orderBy('position')
      .execute()
  ).map((r) => r.account_id);
  const { added, removed } = diff(stored, desired);
  await assertPickable(trx, { siteId, accountIds: added, fieldName: field.label, errorKey: fieldKey, allowStaff: field.audience === 'anyone' });
  const reordered = added.length === 0 && removed.length === 0 && desired.some((id, i) => stored[i] !== id);
  if (!added.length && !removed.length && !reordered) return null;
  if (removed.length) {
    await trx
      .deleteFrom('request_user_values')
      .where('request_id', '=', requestId)
      .where('custom_field_id', '=', field.id)
      .where('account_id', 'in', removed)
      .execute();
  }
  if (added.length) {
    await trx
      .insertInto('request_user_values')
      .values(added.map((accountId) => ({ site_id: siteId, request_id: requestId, custom_field_id: field.id, account_id: accountId, position: desired.indexOf(accountId) })))
      .execute();
  }
  // keep the order the agent gave (a multi-user picker shows its values in order)
  for (const [position, accountId] of desired.entries()) {
    if (!added.includes(accountId) && stored.indexOf(accountId) !== position) {
      await trx
        .updateTable('request_user_values')
        .set({ position })
        .where('request_id', '=', requestId)
        .where('custom_field_id', '=', field.id)
        .where('account_id', '=', accountId)
        .execute();
    }
  }
  return { label: field.label, from: stored, to: desired };
}
