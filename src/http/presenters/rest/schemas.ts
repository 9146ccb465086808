import { Type, type TSchema } from 'typebox';

// Response schemas of the REST API, for /api/openapi.json and for serialization. Objects are open
// (docs/product.md#rest-shapes: a response may carry more fields than listed), so every object allows more keys.

const Open = <T extends Record<string, TSchema>>(props: T, description?: string) =>
  Type.Object(props, { additionalProperties: true, ...(description ? { description } : {}) });
const Opt = Type.Optional;
const Str = (description?: string) => Type.String(description ? { description } : {});
const Url = (description?: string) => Type.String({ format: 'uri', ...(description ? { description } : {}) });

export const ErrorSchema = Open({
  errorMessages: Opt(Type.Array(Str())),
  errors: Opt(Type.Record(Type.String(), Type.String())),
  status: Opt(Type.Number()),
  errorMessage: Opt(Str()),
}, 'Atlassian error collection');

export const errorResponses = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
} as const;

export const LinksSchema = Open({ self: Opt(Url()), jiraRest: Opt(Url()), web: Opt(Url()), agent: Opt(Url()) });

export const DateSchema = Open({
  iso8601: Opt(Str()),
  jira: Opt(Str()),
  friendly: Opt(Str()),
  epochMillis: Opt(Type.Number()),
}, 'DateDTO');

export const JsmUserSchema = Open({
  accountId: Opt(Str()),
  displayName: Opt(Str()),
  emailAddress: Opt(Str()),
  active: Opt(Type.Boolean()),
  timeZone: Opt(Str()),
  _links: Opt(LinksSchema),
}, 'UserDTO');

export const PlatformUserSchema = Open({
  self: Opt(Url()),
  accountId: Opt(Str()),
  accountType: Opt(Type.Union([Type.Literal('atlassian'), Type.Literal('app'), Type.Literal('customer'), Type.Literal('unknown')])),
  emailAddress: Opt(Str()),
  displayName: Opt(Str()),
  active: Opt(Type.Boolean()),
  timeZone: Opt(Str()),
  locale: Opt(Str()),
}, 'User');

export function PageSchema(item: TSchema, description: string) {
  return Open({
    _expands: Opt(Type.Array(Str())),
    size: Opt(Type.Number()),
    start: Opt(Type.Number()),
    limit: Opt(Type.Number()),
    isLastPage: Opt(Type.Boolean()),
    _links: Opt(Open({ base: Opt(Url()), context: Opt(Str()), self: Opt(Url()), next: Opt(Url()), prev: Opt(Url()) })),
    values: Opt(Type.Array(item)),
  }, description);
}

export const ServiceDeskSchema = Open({
  id: Opt(Str()),
  projectId: Opt(Str()),
  projectKey: Opt(Str()),
  projectName: Opt(Str()),
  projectTypeKey: Opt(Str()),
  _links: Opt(LinksSchema),
}, 'ServiceDeskDTO');

export const CreateMetaSchema = Open({
  canRaiseOnBehalfOf: Opt(Type.Boolean()),
  canAddRequestParticipants: Opt(Type.Boolean()),
  requestTypeFields: Opt(Type.Array(Open({
    fieldId: Opt(Str()),
    name: Opt(Str()),
    description: Opt(Str()),
    required: Opt(Type.Boolean()),
    visible: Opt(Type.Boolean()),
    jiraSchema: Opt(Open({ type: Str(), system: Opt(Str()), custom: Opt(Str()), items: Opt(Str()), customId: Opt(Type.Number()) })),
    validValues: Opt(Type.Array(Open({}))),
    defaultValues: Opt(Type.Array(Open({}))),
    presetValues: Opt(Type.Array(Str())),
  }))),
}, 'CustomerRequestCreateMeta');

export const RequestTypeSchema = Open({
  id: Opt(Str()),
  name: Opt(Str()),
  description: Opt(Str()),
  helpText: Opt(Str()),
  issueTypeId: Opt(Str()),
  serviceDeskId: Opt(Str()),
  portalId: Opt(Str()),
  groupIds: Opt(Type.Array(Str())),
  canCreateRequest: Opt(Type.Boolean()),
  restrictionStatus: Opt(Type.Union([Type.Literal('OPEN'), Type.Literal('RESTRICTED')])),
  fields: Opt(CreateMetaSchema),
  _expands: Opt(Type.Array(Str())),
  _links: Opt(LinksSchema),
}, 'RequestTypeDTO');

export const CommentSchema = Open({
  id: Opt(Str()),
  body: Opt(Str()),
  public: Opt(Type.Boolean()),
  author: Opt(JsmUserSchema),
  created: Opt(DateSchema),
  renderedBody: Opt(Open({ html: Opt(Str()) })),
  _expands: Opt(Type.Array(Str())),
  _links: Opt(LinksSchema),
}, 'CommentDTO');

export const CustomerRequestSchema = Open({
  issueId: Opt(Str()),
  issueKey: Opt(Str()),
  summary: Opt(Str()),
  requestTypeId: Opt(Str()),
  serviceDeskId: Opt(Str()),
  createdDate: Opt(DateSchema),
  reporter: Opt(JsmUserSchema),
  requestFieldValues: Opt(Type.Array(Open({ fieldId: Opt(Str()), label: Opt(Str()), value: Opt(Type.Any()), renderedValue: Opt(Open({})) }))),
  currentStatus: Opt(Open({ status: Opt(Str()), statusCategory: Opt(Str()), statusDate: Opt(DateSchema) })),
  _expands: Opt(Type.Array(Str())),
  _links: Opt(LinksSchema),
}, 'CustomerRequestDTO');

export const ArticleSchema = Open({
  title: Opt(Str()),
  excerpt: Opt(Str()),
  source: Opt(Open({ type: Opt(Str()) })),
  content: Opt(Open({ iframeSrc: Opt(Str()) })),
}, 'ArticleDTO');

export const FoundUsersSchema = Open({
  users: Opt(Type.Array(Open({
    accountId: Opt(Str()),
    accountType: Opt(Str()),
    displayName: Opt(Str()),
    html: Opt(Str()),
    avatarUrl: Opt(Url()),
  }))),
  total: Opt(Type.Number()),
  header: Opt(Str()),
}, 'FoundUsers');

export const SearchResultsSchema = Open({
  issues: Opt(Type.Array(Open({
    id: Opt(Str()),
    key: Opt(Str()),
    self: Opt(Url()),
    fields: Opt(Open({})),
  }))),
  isLast: Opt(Type.Boolean()),
  nextPageToken: Opt(Str()),
  names: Opt(Open({})),
}, 'SearchAndReconcileResults');
