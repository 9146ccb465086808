import type { Transaction } from 'kysely';
import type { Db } from '../connection.js';
import type { Database } from '../schema.js';
import { isBigintId } from './projects.js';
import type { RequestTypeRow, RequestTypeField, RequestTypeGroup } from '../../domain/requests.js';

type Executor = Transaction<Database> | Db;



export async function listRequestTypes(db: Executor, projectId: string): Promise<RequestTypeRow[]> {
  const rows = await db
    .selectFrom('request_types')
    .select(['id', 'project_id', 'name', 'description', 'help_text', 'position'])
    .where('project_id', '=', projectId)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: String(r.id), projectId: String(r.project_id), name: r.name, description: r.description, helpText: r.help_text, position: r.position }));
}

export async function findRequestType(db: Executor, projectId: string, requestTypeId: string): Promise<RequestTypeRow | undefined> {
  if (!isBigintId(requestTypeId)) return undefined;
  const r = await db
    .selectFrom('request_types')
    .select(['id', 'project_id', 'name', 'description', 'help_text', 'position'])
    .where('project_id', '=', projectId)
    .where('id', '=', requestTypeId)
    .executeTakeFirst();
  return r && { id: String(r.id), projectId: String(r.project_id), name: r.name, description: r.description, helpText: r.help_text, position: r.position };
}

export async function listRequestTypeFields(db: Executor, requestTypeId: string): Promise<RequestTypeField[]> {
  const rows = await db
    .selectFrom('request_type_fields as f')
    .leftJoin('custom_fields as cf', 'cf.id', 'f.custom_field_id')
    .select(['f.field_key', 'f.label', 'f.required', 'f.position', 'f.custom_field_id', 'cf.type', 'cf.audience', 'cf.name'])
    .where('f.request_type_id', '=', requestTypeId)
    .orderBy('f.position')
    .execute();
  return rows.map((r) => ({
    fieldKey: r.field_key,
    label: r.label,
    required: r.required,
    position: r.position,
    customFieldId: r.custom_field_id === null ? null : String(r.custom_field_id),
    type: r.type ?? 'text',
    audience: r.audience ?? null,
    fieldName: r.name ?? r.label,
  }));
}

/** A custom field of the site by key `customfield_<id>`; undefined for other keys or other sites. */
export async function findCustomFieldByKey(db: Executor, siteId: string, fieldKey: string) {
  const m = /^customfield_([1-9][0-9]{0,17})$/.exec(fieldKey);
  if (!m) return undefined;
  const r = await db
    .selectFrom('custom_fields')
    .select(['id', 'name', 'type', 'audience'])
    .where('site_id', '=', siteId)
    .where('id', '=', m[1])
    .executeTakeFirst();
  return r && { id: String(r.id), name: r.name, type: r.type, audience: r.audience };
}

export type { RequestTypeRow, RequestTypeField, RequestTypeGroup };

/** A project's request-type groups in tab order, each with its request types in the group's order. */
export async function listRequestTypeGroups(db: Executor, projectId: string): Promise<RequestTypeGroup[]> {
  const rows = await db
    .selectFrom('request_type_groups as g')
    .leftJoin('request_type_group_members as m', 'm.group_id', 'g.id')
    .select(['g.id', 'g.name', 'g.position', 'm.request_type_id', 'm.position as member_position'])
    .where('g.project_id', '=', projectId)
    .orderBy('g.position')
    .orderBy('g.id')
    .orderBy('m.position')
    .orderBy('m.request_type_id')
    .execute();
  const groups = new Map<string, RequestTypeGroup>();
  for (const r of rows) {
    const id = String(r.id);
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { id, name: r.name, position: r.position, requestTypeIds: [] }));
    if (r.request_type_id !== null) g.requestTypeIds.push(String(r.request_type_id));
  }
  return [...groups.values()];
}
