import type { ActorContext } from '../context.js';
import { accountMayUsePortal, decideRaiseOnBehalf, type SiteRef } from '../../domain/policies.js';
import { badRequest } from '../../domain/errors.js';
import { normalizeForSearch } from '../../domain/search-terms.js';
import { assertPickable, lockNamedPeople } from '../../db/queries/pickable.js';
import { isStaffOfSiteOrganization, staffOfSiteOrganization } from '../../db/queries/organization-staff.js';
import { isProjectCustomer } from '../../db/queries/projects.js';
import { findRequest, insertNumberedRequest } from '../../db/queries/requests.js';
import { findRequestType, listRequestTypeFields, type RequestTypeField } from '../../db/queries/request-types.js';
import { loadRequestDetail, type RequestDetail } from '../../db/queries/request-detail.js';
import { enforce } from '../authorize.js';
import { loadUsablePortal } from '../help-center/portals.js';
import { accountIdOf, MAX_PEOPLE_PER_FIELD, parseParticipantIds } from './participant-ids.js';
import { assertActorStillActive } from './visible-request.js';
import { notifyRequestPeople } from '../notifications/notify.js';
import { assertSharingAllows } from '../customer-organizations/sharing-rule.js';
import { approvalOnRaise } from './approvals.js';

export interface RaiseRequestInput {
  site: SiteRef;
  projectId: string;
  requestTypeId: string;
  /** summary, description, and customfield_<id>: accountId (single picker) or accountId[] (multi) */
  fields: Record<string, unknown>;
  /** accountIds to share the request with (request participants) */
  participants?: string[];
  /** agents and admins only: the reporter, by accountId or email */
  onBehalfOf?: string;
}

export const SUMMARY_MAX = 255;
export const DESCRIPTION_MAX = 32_767;

const fieldError = (key: string, message: string) => badRequest(message, { [key]: message });

function parseUserValues(field: RequestTypeField, raw: unknown): string[] {
  if (raw === null || raw === undefined || raw === '') return [];
  const list = Array.isArray(raw) ? raw : [raw];
  if (field.type === 'user' && list.length > 1) throw fieldError(field.fieldKey, `${field.label} takes one person.`);
  if (list.length > MAX_PEOPLE_PER_FIELD) throw fieldError(field.fieldKey, `${field.label} can name at most ${MAX_PEOPLE_PER_FIELD} people.`);
  const ids: string[] = [];
  for (const item of list) {
    const id = accountIdOf(item);
    if (id === undefined) throw fieldError(field.fieldKey, `${field.label} must name people by their account ID.`);
    if (id !== null && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

function parseText(field: RequestTypeField, raw: unknown, max: number): string {
  if (raw === null || raw === undefined) return '';
  if (typeof raw !== 'string') throw fieldError(field.fieldKey, `${field.label} must be text.`);
  const text = raw.trim();
  if (text.length > max) throw fieldError(field.fieldKey, `${field.label} can be at most ${max.toLocaleString('en-US')} characters.`);
  return text;
}

/**
 * Resolves raiseOnBehalfOf (accountId or email) to an account id, or 400. An email names a customer
 * of this site or a member of its organization's staff; any other staff email is as unknown as an
 * email nobody has. An account id is checked by assertPickable in the transaction.
 */
async function resolveReporter(ctx: ActorContext, site: SiteRef, value: string): Promise<string> {
  const text = value.trim();
  if (!text.includes('@')) return text;
  const email = normalizeForSearch(text);
  const row =
    (await ctx.db.selectFrom('accounts').select('account_id').where('kind', '=', 'customer').where('site_id', '=', site.id).where('email_lower', '=', email).executeTakeFirst()) ??
    (await ctx.db
      .selectFrom('accounts as a')
      .select('a.account_id')
      .where('a.kind', '=', 'staff')
      .where('a.email_lower', '=', email)
      .where((eb) => isStaffOfSiteOrganization(eb.ref('a.account_id'), site.id))
      .executeTakeFirst());
  if (!row) throw fieldError('raiseOnBehalfOf', `No customer with the email '${text.slice(0, 100)}' exists on this site.`);
  return row.account_id;
}

/**
 * Raises a request in a portal (help center, agent "raise on behalf of", REST POST request).
 * Validates the form's fields (400 naming the field), refuses revoked/deleted/unknown people as new
 * picker values or participants (assertPickable), numbers the request inside the transaction
 * (HELP-5) and stores participants and picker values.
 */
export async function raiseRequest(ctx: ActorContext, input: RaiseRequestInput): Promise<RequestDetail> {
  const actor = ctx.actor;
  const { site } = input;
  const project = await loadUsablePortal(ctx.db, actor, site, String(input.projectId), 'Service project not found.');
  const requestType = await findRequestType(ctx.db, project.id, String(input.requestTypeId));
  if (!requestType) throw fieldError('requestTypeId', `The request type '${String(input.requestTypeId).slice(0, 40)}' does not exist in this service project.`);
  const formFields = await listRequestTypeFields(ctx.db, requestType.id);
  const byKey = new Map(formFields.map((f) => [f.fieldKey, f]));

  const fields = input.fields ?? {};
  if (typeof fields !== 'object' || Array.isArray(fields)) throw badRequest('requestFieldValues must be an object.');
  for (const key of Object.keys(fields)) {
    if (!byKey.has(key)) throw fieldError(key, `The field '${key.slice(0, 60)}' is not on the form of '${requestType.name}'.`);
  }

  let summary = '';
  let description = '';
  const pickerValues: Array<{ field: RequestTypeField; accountIds: string[] }> = [];
  for (const f of formFields) {
    const raw = fields[f.fieldKey];
    let empty: boolean;
    if (f.fieldKey === 'summary') {
      summary = parseText(f, raw, SUMMARY_MAX);
      empty = summary === '';
    } else if (f.fieldKey === 'description') {
      description = parseText(f, raw, DESCRIPTION_MAX);
      empty = description === '';
    } else if (f.customFieldId) {
      const ids = parseUserValues(f, raw);
      if (ids.length) pickerValues.push({ field: f, accountIds: ids });
      empty = ids.length === 0;
    } else {
      empty = true;
    }
    if (f.required && empty) throw fieldError(f.fieldKey, `${f.label} is required.`);
  }
  if (!byKey.has('summary') || summary === '') throw fieldError('summary', 'Summary is required.');

  let reporterId = actor.accountId;
  if (input.onBehalfOf !== undefined && input.onBehalfOf !== null && String(input.onBehalfOf).trim() !== '') {
    if (typeof input.onBehalfOf !== 'string' || input.onBehalfOf.length > 320) throw fieldError('raiseOnBehalfOf', `'raiseOnBehalfOf' must be an account id or an email.`);
    const resolved = await resolveReporter(ctx, site, input.onBehalfOf);
    if (resolved !== actor.accountId) {
      enforce(decideRaiseOnBehalf(actor, site, project.id), {
        forbidden: 'Only agents of this service project can raise requests on behalf of others.',
      });
      reporterId = resolved;
    }
  }
  const participantIds = parseParticipantIds(input.participants, 'requestParticipants').filter((id) => id !== reporterId);

  const key = await ctx.db.transaction().execute(async (trx) => {
    // everyone this request will name, the actor included, under one lock (see lockNamedPeople)
    await lockNamedPeople(trx, [actor.accountId, reporterId, ...pickerValues.flatMap((v) => v.accountIds), ...participantIds]);
    await assertActorStillActive(trx, actor);
    if (reporterId !== actor.accountId) {
      await assertPickable(trx, { siteId: site.id, accountIds: [reporterId], fieldName: 'Raise this request on behalf of', errorKey: 'raiseOnBehalfOf', allowStaff: true });
      const reporter = await trx.selectFrom('accounts').select(['account_id', 'kind', 'site_id', 'display_name']).where('account_id', '=', reporterId).executeTakeFirstOrThrow();
      const facts = {
        isStaffOfSiteOrganization: reporter.kind === 'staff' && (await staffOfSiteOrganization(trx, project.siteId, [reporter.account_id])).has(reporter.account_id),
        isProjectCustomer: await isProjectCustomer(trx, project.id, reporter.account_id),
      };
      if (!accountMayUsePortal({ kind: reporter.kind, siteId: reporter.site_id }, project, facts)) {
        throw fieldError('raiseOnBehalfOf', `${reporter.display_name} is not a customer of this service project.`);
      }
    }
    for (const v of pickerValues) {
      await assertPickable(trx, {
        siteId: site.id,
        accountIds: v.accountIds,
        fieldName: v.field.label,
        errorKey: v.field.fieldKey,
        allowStaff: v.field.audience === 'anyone',
      });
    }
    await assertPickable(trx, {
      siteId: site.id,
      accountIds: participantIds,
      fieldName: 'Share with',
      errorKey: 'requestParticipants',
      allowStaff: actor.kind === 'staff',
    });
    await assertSharingAllows(trx, actor, project, null, participantIds, 'requestParticipants');

    // a type that needs approval raises its requests waiting for it (docs/product.md#approvals)
    const approval = await approvalOnRaise(trx, requestType.id);
    const { id: requestId, key: requestKey } = await insertNumberedRequest(trx, {
      status: approval?.status,
      siteId: site.id,
      projectId: project.id,
      projectKey: project.key,
      requestTypeId: requestType.id,
      summary,
      description,
      reporterId,
    });
    if (participantIds.length) {
      await trx
        .insertInto('request_participants')
        .values(participantIds.map((accountId) => ({ site_id: site.id, request_id: requestId, account_id: accountId })))
        .execute();
    }
    for (const v of pickerValues) {
      await trx
        .insertInto('request_user_values')
        .values(v.accountIds.map((accountId, position) => ({ site_id: site.id, request_id: requestId, custom_field_id: v.field.customFieldId!, account_id: accountId, position })))
        .execute();
    }
    if (approval) await approval.open(site.id, requestId);
    // Mail: the reporter when someone raised it for them, the people it is shared with.
    if (reporterId !== actor.accountId) await notifyRequestPeople(trx, ctx, { siteId: site.id, requestId, event: 'created', recipients: [reporterId] });
    if (participantIds.length) await notifyRequestPeople(trx, ctx, { siteId: site.id, requestId, event: 'shared', recipients: participantIds });
    return requestKey;
  });

  const request = await findRequest(ctx.db, site.id, key);
  return loadRequestDetail(ctx.db, request!, { publicCommentsOnly: actor.kind === 'customer' });
}
