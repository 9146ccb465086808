import type { AccountKind, AccountStatus } from './account-state.js';
import type { RequestStatus } from './request-workflow.js';

// What a request, its project, its fields and the people on it are, as every layer sees them: the
// database queries build these, use cases return them, presenters shape them for an answer.

/** Who may use a project's portal: its project customers only, or every active customer of the site. */
export type CustomerAccess = 'restricted' | 'open';
/**
 * Whom a customer of a project's portal may find in its pickers and share a request with
 * (docs/product.md#customer-sharing), each level including the one before: nobody; the people
 * already on the request; also the fellow members of their customer organizations (the default);
 * also anyone in the project (its customers and the members of its organizations). Never the whole
 * site's customer list.
 */
export type CustomerSharing = 'nobody' | 'request' | 'organizations' | 'project';
export const CUSTOMER_SHARING_LEVELS: readonly CustomerSharing[] = ['nobody', 'request', 'organizations', 'project'];

/** A person as stored: everything the display rule and the presenters need. */
export interface AccountRef {
  accountId: string;
  kind: AccountKind;
  displayName: string | null;
  email: string | null;
  status: AccountStatus;
}

export interface RequestRow {
  id: string;
  siteId: string;
  projectId: string;
  projectKey: string;
  projectName: string;
  portalName: string;
  requestTypeId: string;
  requestTypeName: string;
  number: number;
  key: string;
  summary: string;
  description: string;
  status: RequestStatus;
  reporterId: string;
  createdAt: Date;
  updatedAt: Date;
  statusChangedAt: Date;
}

export interface ProjectRow {
  id: string;
  siteId: string;
  key: string;
  name: string;
  portalName: string;
  portalDescription: string;
  customerAccess: CustomerAccess;
  customerSharing: CustomerSharing;
}

export interface RequestTypeRow {
  id: string;
  projectId: string;
  name: string;
  description: string;
  helpText: string;
  position: number;
}

/** A named group of a project's request types (docs/product.md#request-type-groups): a tab of its help-center page. */
export interface RequestTypeGroup {
  id: string;
  name: string;
  position: number;
  /** the request types in it, in the group's order */
  requestTypeIds: string[];
}

export interface RequestTypeField {
  fieldKey: string;
  label: string;
  required: boolean;
  position: number;
  /** set for user pickers */
  customFieldId: string | null;
  type: 'text' | 'user' | 'multiuser';
  audience: 'customers' | 'anyone' | null;
  /** the custom field's own name ("Affected user"), for JQL and REST */
  fieldName: string;
}

export interface RequestFieldValue {
  fieldKey: string;
  customFieldId: string;
  label: string;
  fieldName: string;
  type: 'user' | 'multiuser';
  values: AccountRef[];
}

export interface CommentRow {
  id: string;
  body: string;
  public: boolean;
  createdAt: Date;
  author: AccountRef;
  /** when its author last edited it, or null */
  editedAt: Date | null;
}

/** One change of one field of a request (docs/product.md#history): people as stored accounts. */
export interface HistoryEntry {
  id: string;
  at: Date;
  actor: AccountRef;
  field: string;
  fieldName: string;
  change: 'changed' | 'edited' | 'deleted';
  from: HistoryValue;
  to: HistoryValue;
  commentId: string | null;
}

/** A status or a comment's text, the people a field held, or nothing. */
export type HistoryValue = { text: string } | { people: AccountRef[] } | null;

export interface RequestDetail {
  request: RequestRow;
  reporter: AccountRef;
  participants: AccountRef[];
  /** each user-picker field of the request type, in form order, and any other stored picker value */
  pickerValues: RequestFieldValue[];
  comments: CommentRow[];
  /** when asked for (REST `expand=status`): every status it has had, oldest first */
  statusHistory?: Array<{ status: RequestStatus; since: Date }>;
}

export interface MyRequestRow extends RequestRow {
  reporter: AccountRef;
}
