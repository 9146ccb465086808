import { Type, type TSchema } from 'typebox';
import { restErrors } from './common.js';

// Response schemas of the REST API (presenters/rest), for /api/openapi.json and for serialization.
// Objects are open (docs/product.md#rest-shapes: a response may carry more fields than listed), so
// every object allows more keys — yet each lists every field Portico sends, which
// test/integration/contract.test.ts checks with additional properties forbidden.

const Open = <T extends Record<string, TSchema>>(props: T, description?: string) =>
  Type.Object(props, { additionalProperties: true, ...(description ? { description } : {}) });
const Opt = Type.Optional;
const Str = (description?: string) => Type.String(description ? { description } : {});
const Url = (description?: string) => Type.String({ format: 'uri', ...(description ? { description } : {}) });

/** Atlassian's error shape on every error status of a REST route (never the internal API's `code`). */
export const errorResponses = restErrors;

const AvatarUrlsSchema = Open({ '16x16': Url(), '24x24': Url(), '32x32': Url(), '48x48': Url() }, 'AvatarUrlsBean');

export const LinksSchema = Open({ self: Opt(Url()), jiraRest: Opt(Url()), web: Opt(Url()), agent: Opt(Url()), avatarUrls: Opt(AvatarUrlsSchema) });

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
  avatarUrls: Opt(AvatarUrlsSchema),
  displayName: Opt(Str()),
  active: Opt(Type.Boolean()),
  timeZone: Opt(Str()),
  locale: Opt(Str()),
}, 'User');

const GroupsBeanSchema = Open({
  size: Type.Integer(),
  items: Type.Array(Open({ name: Str(), groupId: Type.Null(), self: Url() })),
  'max-results': Type.Integer(),
}, 'SimpleListWrapper of GroupName');

const ApplicationRolesBeanSchema = Open({
  size: Type.Integer(),
  items: Type.Array(Open({
    key: Str(),
    name: Str(),
    groups: Type.Array(Str()),
    defaultGroups: Type.Array(Str()),
    selectedByDefault: Type.Boolean(),
    defined: Type.Boolean(),
    hasUnlimitedSeats: Type.Boolean(),
    platform: Type.Boolean(),
  })),
  'max-results': Type.Integer(),
}, 'SimpleListWrapper of ApplicationRole');

/** GET /rest/api/3/myself: the platform User, with groups and applicationRoles when expanded. */
export const MyselfSchema = Open({
  self: Url(),
  accountId: Str(),
  accountType: Type.Union([Type.Literal('atlassian'), Type.Literal('customer')]),
  emailAddress: Opt(Str()),
  avatarUrls: AvatarUrlsSchema,
  displayName: Str(),
  active: Type.Boolean(),
  timeZone: Str(),
  locale: Str(),
  groups: Opt(GroupsBeanSchema),
  applicationRoles: Opt(ApplicationRolesBeanSchema),
  expand: Str(),
}, 'User (myself)');

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

/** A page Portico always sends empty (attachments, SLAs: Portico has neither). */
const EmptyPageSchema = PageSchema(Type.Unknown(), 'an empty page');

/** JSM `OrganizationDTO`: a customer organization of the site. */
export const OrganizationSchema = Open({
  id: Opt(Str('a positive integer, as a string')),
  name: Opt(Str()),
  created: Opt(DateSchema),
  scimManaged: Opt(Type.Boolean()),
  _links: Opt(Open({ self: Opt(Url()) })),
}, 'OrganizationDTO');

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
  attachments: Opt(EmptyPageSchema),
  _expands: Opt(Type.Array(Str())),
  _links: Opt(LinksSchema),
}, 'CommentDTO');

/** JSM `AttachmentDTO`: a request's file; `_links.content` its bytes, `thumbnail` only for an image. */
export const AttachmentDtoSchema = Open({
  filename: Opt(Str()),
  mimeType: Opt(Str()),
  size: Opt(Type.Number()),
  created: Opt(DateSchema),
  author: Opt(JsmUserSchema),
  _links: Opt(Open({ self: Opt(Url()), content: Opt(Url()), thumbnail: Opt(Url()) })),
}, 'AttachmentDTO');

const DurationSchema = Open({ millis: Opt(Type.Number()), friendly: Opt(Str('as "2h 30m"; negative once overdue')) }, 'DurationDTO');

export const SlaInformationSchema = Open(
  {
    id: Opt(Str('the metric: "1" time to first response, "2" time to resolution')),
    name: Opt(Str()),
    completedCycles: Opt(
      Type.Array(
        Open(
          {
            startTime: Opt(DateSchema),
            stopTime: Opt(DateSchema),
            breachTime: Opt(DateSchema),
            breached: Opt(Type.Boolean()),
            goalDuration: Opt(DurationSchema),
            elapsedTime: Opt(DurationSchema),
            remainingTime: Opt(DurationSchema),
          },
          'SlaInformationCompletedCycleDTO',
        ),
      ),
    ),
    ongoingCycle: Opt(
      Open(
        {
          startTime: Opt(DateSchema),
          breachTime: Opt(DateSchema),
          breached: Opt(Type.Boolean()),
          paused: Opt(Type.Boolean()),
          withinCalendarHours: Opt(Type.Boolean()),
          goalDuration: Opt(DurationSchema),
          elapsedTime: Opt(DurationSchema),
          remainingTime: Opt(DurationSchema),
        },
        'SlaInformationOngoingCycleDTO',
      ),
    ),
    _links: Opt(Open({ self: Opt(Url()) })),
  },
  'SlaInformationDTO',
);

export const CustomerRequestStatusSchema = Open({ status: Opt(Str()), statusCategory: Opt(Str()), statusDate: Opt(DateSchema) }, 'CustomerRequestStatusDTO');

export const CustomerRequestSchema = Open({
  issueId: Opt(Str()),
  issueKey: Opt(Str()),
  summary: Opt(Str()),
  requestTypeId: Opt(Str()),
  serviceDeskId: Opt(Str()),
  createdDate: Opt(DateSchema),
  reporter: Opt(JsmUserSchema),
  requestFieldValues: Opt(Type.Array(Open({ fieldId: Opt(Str()), label: Opt(Str()), value: Opt(Type.Any()), renderedValue: Opt(Open({ html: Opt(Str()) })) }))),
  currentStatus: Opt(CustomerRequestStatusSchema),
  participants: Opt(PageSchema(JsmUserSchema, 'Page of UserDTO')),
  status: Opt(PageSchema(CustomerRequestStatusSchema, 'Page of CustomerRequestStatusDTO')),
  sla: Opt(PageSchema(SlaInformationSchema, 'Page of SlaInformationDTO')),
  attachments: Opt(EmptyPageSchema),
  requestType: Opt(RequestTypeSchema),
  serviceDesk: Opt(ServiceDeskSchema),
  actions: Opt(Open({
    addAttachment: Open({ allowed: Type.Boolean() }),
    addComment: Open({ allowed: Type.Boolean() }),
    addParticipant: Open({ allowed: Type.Boolean() }),
    removeParticipant: Open({ allowed: Type.Boolean() }),
  }, 'CustomerRequestActionsDTO')),
  comments: Opt(PageSchema(CommentSchema, 'Page of CommentDTO')),
  _expands: Opt(Type.Array(Str())),
  _links: Opt(LinksSchema),
}, 'CustomerRequestDTO');

/** JSM `CustomerTransitionDTO`: a transition the caller may perform on a request. */
export const CustomerTransitionSchema = Open({ id: Opt(Str()), name: Opt(Str()) }, 'CustomerTransitionDTO');

/** JSM `RequestTypeGroupDTO`: a group of a service desk's request types (a tab of its portal). */
export const RequestTypeGroupSchema = Open({ id: Opt(Str()), name: Opt(Str()) }, 'RequestTypeGroupDTO');

/** Portico's own answer of PUT /rest/portico/1/servicedesk/{id}/requesttypegroup: the groups as stored, in order. */
export const PorticoRequestTypeGroupsSchema = Type.Object({
  values: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), requestTypeIds: Type.Array(Type.String()) })),
});

/** JSM `SoftwareInfoDTO` of GET /rest/servicedeskapi/info. */
export const SoftwareInfoSchema = Open({
  version: Opt(Str('Portico\'s version')),
  platformVersion: Opt(Str('Portico\'s version too: Portico is its own platform')),
  buildDate: Opt(DateSchema),
  buildChangeSet: Opt(Str('the commit the server was built from')),
  isLicensedForUse: Opt(Type.Boolean()),
  _links: Opt(Open({ self: Opt(Url()) })),
}, 'SoftwareInfoDTO');

export const ArticleSchema = Open({
  title: Opt(Str()),
  excerpt: Opt(Str()),
  source: Opt(Open({ type: Opt(Str()), pageId: Opt(Str()), spaceKey: Opt(Str()) })),
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
    expand: Opt(Str()),
    id: Opt(Str()),
    key: Opt(Str()),
    self: Opt(Url()),
    fields: Opt(Open({})),
  }))),
  isLast: Opt(Type.Boolean()),
  nextPageToken: Opt(Str()),
  names: Opt(Open({})),
}, 'SearchAndReconcileResults');

/** JSM `QueueDTO` (docs/product.md#queues): a saved JQL of a service desk with its columns. */
export const QueueSchema = Open({
  id: Opt(Str()),
  name: Opt(Str()),
  jql: Opt(Str('run within the queue\'s project')),
  fields: Opt(Type.Array(Str(), { description: 'the columns the queue shows, as field ids' })),
  issueCount: Opt(Type.Number({ description: 'with includeCount=true: the requests in the queue as the caller sees them' })),
  _links: Opt(Open({ self: Opt(Url()) })),
}, 'QueueDTO');

/** Jira's `IssueBean` as a queue lists it: only the queue's columns in `fields`. */
export const QueueIssueSchema = Open({
  expand: Opt(Str()),
  id: Opt(Str()),
  key: Opt(Str()),
  self: Opt(Url()),
  fields: Opt(Open({})),
}, 'IssueBean');
