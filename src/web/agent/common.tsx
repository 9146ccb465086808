import { ApiError } from '../api';
import { errorText } from '../shared/ui';
import type { Person, RequestStatus } from './agent-api';

/** A person by their server-made label; an inactive one reads "Name (Deactivated)" and looks muted. */
export function PersonLabel({ person }: { person: Person }) {
  return <span className={person.active ? undefined : 'agent-person-inactive'}>{person.label}</span>;
}

export function StatusLozenge({ status }: { status: RequestStatus }) {
  return <span className={`agent-status agent-status-${status.toLowerCase().replace(/\s+/g, '-')}`}>{status}</span>;
}

export { errorText };

/** 404 and 403 from the agent API read as "not here for you"; anything else is shown as is. */
export function accessText(error: unknown, what: string): string {
  if (error instanceof ApiError && error.status === 404) return `${what} was not found, or you do not work on it.`;
  if (error instanceof ApiError && error.status === 403) return `You do not have permission to see ${what.toLowerCase()}.`;
  return errorText(error);
}
