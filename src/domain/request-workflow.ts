/** The statuses of a request (declared once; the database and the JQL rules use this one). */
export type RequestStatus = 'Open' | 'In progress' | 'Resolved' | 'Closed';

/**
 * The service desk workflow (issue 3 §2): Open → In progress → Resolved → Closed, and reopen from
 * Resolved or Closed back to Open. Each transition has the name an agent clicks.
 */
export interface WorkflowTransition {
  from: RequestStatus;
  to: RequestStatus;
  name: string;
}

export const WORKFLOW: readonly WorkflowTransition[] = [
  { from: 'Open', to: 'In progress', name: 'Start progress' },
  { from: 'In progress', to: 'Resolved', name: 'Resolve' },
  { from: 'Resolved', to: 'Closed', name: 'Close' },
  { from: 'Resolved', to: 'Open', name: 'Reopen' },
  { from: 'Closed', to: 'Open', name: 'Reopen' },
];

export const REQUEST_STATUSES: readonly RequestStatus[] = ['Open', 'In progress', 'Resolved', 'Closed'];

/** Statuses an agent's queue shows: work not yet done. */
export const OPEN_STATUSES: readonly RequestStatus[] = ['Open', 'In progress'];

export function transitionsFrom(status: RequestStatus): WorkflowTransition[] {
  return WORKFLOW.filter((t) => t.from === status);
}

export function findTransition(from: RequestStatus, to: string): WorkflowTransition | undefined {
  return WORKFLOW.find((t) => t.from === from && t.to === to);
}
