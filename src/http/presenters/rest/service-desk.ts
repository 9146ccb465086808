import type { ServiceDesk } from '../../../use-cases/help-center/get-service-desk.js';
import type { RequestTypeFields, RequestTypeField } from '../../../use-cases/help-center/get-request-type-fields.js';
import type { RequestType } from '../../../use-cases/help-center/list-request-types.js';

/** Portico has one issue type for every request: a service request. */
export const SERVICE_REQUEST_ISSUE_TYPE = { id: '10100', name: 'Service Request' } as const;

/** `ServiceDeskDTO` (docs/product.md#rest-shapes). */
export function presentServiceDesk(base: string, d: Pick<ServiceDesk, 'id' | 'projectId' | 'projectKey' | 'projectName'>) {
  return {
    id: d.id,
    projectId: d.projectId,
    projectKey: d.projectKey,
    projectName: d.projectName,
    projectTypeKey: 'service_desk',
    _links: { self: `${base}/rest/servicedeskapi/servicedesk/${d.id}` },
  };
}

const USER_PICKER = 'com.atlassian.jira.plugin.system.customfieldtypes:userpicker';
const MULTI_USER_PICKER = 'com.atlassian.jira.plugin.system.customfieldtypes:multiuserpicker';

function jiraSchema(f: RequestTypeField) {
  if (f.type === 'text') return { type: 'string', system: f.fieldKey };
  const customId = Number(f.customFieldId);
  return f.type === 'multiuser'
    ? { type: 'array', items: 'user', custom: MULTI_USER_PICKER, customId }
    : { type: 'user', custom: USER_PICKER, customId };
}

/** `CustomerRequestCreateMeta` (docs/product.md#rest-shapes). */
export function presentCreateMeta(meta: RequestTypeFields) {
  return {
    canRaiseOnBehalfOf: meta.canRaiseOnBehalfOf,
    canAddRequestParticipants: meta.canAddRequestParticipants,
    requestTypeFields: meta.fields.map((f) => ({
      fieldId: f.fieldKey,
      name: f.label,
      description: '',
      required: f.required,
      visible: true,
      jiraSchema: jiraSchema(f),
      validValues: [],
      defaultValues: [],
      presetValues: [],
    })),
  };
}

/** `RequestTypeDTO` (docs/product.md#rest-shapes); `fields` only when expanded. */
export function presentRequestType(base: string, t: RequestType) {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    helpText: t.helpText,
    issueTypeId: SERVICE_REQUEST_ISSUE_TYPE.id,
    serviceDeskId: t.serviceDeskId,
    portalId: t.portalId,
    groupIds: t.groupIds,
    canCreateRequest: true,
    restrictionStatus: 'OPEN' as const,
    _expands: t.fields ? [] : ['field'],
    ...(t.fields ? { fields: presentCreateMeta(t.fields) } : {}),
    _links: { self: `${base}/rest/servicedeskapi/servicedesk/${t.serviceDeskId}/requesttype/${t.id}` },
  };
}

/** `RequestTypeGroupDTO` (docs/product.md#request-type-groups). */
export function presentRequestTypeGroup(g: { id: string; name: string }) {
  return { id: g.id, name: g.name };
}
