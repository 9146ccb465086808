/** The statuses of a request (declared once; the database and the JQL rules use this one). */
export type RequestStatus = 'Waiting for approval' | 'Open' | 'Waiting for support' | 'Waiting for customer' | 'In progress' | 'Resolved' | 'Declined' | 'Closed';

/**
 * The service desk workflow (docs/product.md#workflow). A request starts Open; agents move it
 * through In progress, Waiting for customer, Waiting for support, Resolved and Closed; each
 * transition has the name an agent clicks. The conversation moves it by itself (statusAfterReply):
 * an agent's public reply hands it to the customer, the customer's reply hands it back to support —
 * reopening it when it was resolved not long ago.
 */
export interface WorkflowTransition {
  /**
   * The transition's id in the REST API (`…/request/{key}/transition`, docs/product.md#rest-transitions):
   * one id per name and target, the same from every status it leaves, never reused.
   */
  id: string;
  from: RequestStatus;
  to: RequestStatus;
  name: string;
}

export const WORKFLOW: readonly WorkflowTransition[] = [
  { id: '11', from: 'Open', to: 'In progress', name: 'Start progress' },
  { id: '21', from: 'Open', to: 'Waiting for customer', name: 'Wait for customer' },
  { id: '11', from: 'Waiting for support', to: 'In progress', name: 'Start progress' },
  { id: '21', from: 'Waiting for support', to: 'Waiting for customer', name: 'Wait for customer' },
  { id: '41', from: 'Waiting for support', to: 'Resolved', name: 'Resolve' },
  { id: '31', from: 'Waiting for customer', to: 'Waiting for support', name: 'Back to support' },
  { id: '11', from: 'Waiting for customer', to: 'In progress', name: 'Start progress' },
  { id: '41', from: 'Waiting for customer', to: 'Resolved', name: 'Resolve' },
  { id: '21', from: 'In progress', to: 'Waiting for customer', name: 'Wait for customer' },
  { id: '41', from: 'In progress', to: 'Resolved', name: 'Resolve' },
  { id: '51', from: 'Resolved', to: 'Closed', name: 'Close' },
  { id: '61', from: 'Resolved', to: 'Open', name: 'Reopen' },
  { id: '61', from: 'Closed', to: 'Open', name: 'Reopen' },
];

/**
 * 'Waiting for approval' and 'Declined' belong to approvals (docs/product.md#approvals): no agent or
 * customer transition leaves or enters them; an approver's answer does (domain/approvals.ts).
 */
export const REQUEST_STATUSES: readonly RequestStatus[] = ['Waiting for approval', 'Open', 'Waiting for support', 'Waiting for customer', 'In progress', 'Resolved', 'Declined', 'Closed'];

/** Statuses an agent's queue shows: work not yet done, whoever's turn it is. */
export const OPEN_STATUSES: readonly RequestStatus[] = ['Waiting for approval', 'Open', 'Waiting for support', 'Waiting for customer', 'In progress'];

export function transitionsFrom(status: RequestStatus): WorkflowTransition[] {
  return WORKFLOW.filter((t) => t.from === status);
}

export function findTransition(from: RequestStatus, to: string): WorkflowTransition | undefined {
  return WORKFLOW.find((t) => t.from === from && t.to === to);
}

/**
 * What the people of a request who are not support (its reporter and participants) may do to its
 * status themselves: mark it resolved while it is being worked, and reopen it while it is resolved
 * (not once it is closed). A reopened request goes back to support.
 */
export const CUSTOMER_WORKFLOW: readonly WorkflowTransition[] = [
  { id: '901', from: 'Open', to: 'Resolved', name: 'Mark as resolved' },
  { id: '901', from: 'Waiting for support', to: 'Resolved', name: 'Mark as resolved' },
  { id: '901', from: 'Waiting for customer', to: 'Resolved', name: 'Mark as resolved' },
  { id: '901', from: 'In progress', to: 'Resolved', name: 'Mark as resolved' },
  { id: '911', from: 'Resolved', to: 'Waiting for support', name: 'Reopen' },
];

export function customerTransitionsFrom(status: RequestStatus): WorkflowTransition[] {
  return CUSTOMER_WORKFLOW.filter((t) => t.from === status);
}

/**
 * The transitions a caller may perform on a request they see, as the REST API offers them: those who
 * work its project the agent's workflow, its reporter the customer's, anyone else (a participant)
 * none.
 */
export function transitionsFor(status: RequestStatus, caller: { worksProject: boolean; isReporter: boolean }): WorkflowTransition[] {
  if (caller.worksProject) return transitionsFrom(status);
  if (caller.isReporter) return customerTransitionsFrom(status);
  return [];
}

export function findCustomerTransition(from: RequestStatus, to: string): WorkflowTransition | undefined {
  return CUSTOMER_WORKFLOW.find((t) => t.from === from && t.to === to);
}

/** How long after it was resolved a customer's reply still reopens a request, by default. */
export const DEFAULT_REOPEN_WINDOW_DAYS = 14;

/**
 * The status a public reply moves a request to, or undefined when it stays. Support's reply (an
 * agent or admin) to a request waiting for support, or still Open, hands it to the customer; a
 * customer's reply to a request waiting for them hands it back, and so does one to a request
 * resolved less than `reopenWindowDays` ago (reopened). A request In progress stays with the agent
 * who works it, a Closed one stays closed, and an internal note moves nothing.
 */
export function statusAfterReply(
  request: { status: RequestStatus; statusChangedAt: Date },
  by: 'support' | 'customer',
  options: { now: Date; reopenWindowDays: number },
): RequestStatus | undefined {
  if (by === 'support') return request.status === 'Open' || request.status === 'Waiting for support' ? 'Waiting for customer' : undefined;
  if (request.status === 'Waiting for customer') return 'Waiting for support';
  if (request.status === 'Resolved') {
    const resolvedFor = options.now.getTime() - request.statusChangedAt.getTime();
    return resolvedFor <= options.reopenWindowDays * 86_400_000 ? 'Waiting for support' : undefined;
  }
  return undefined;
}
