import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { UserPicker, type PickerPerson } from '../components/UserPicker';
import { Button, SelectField, Status } from '../shared/ui';
import { useStaffSession } from '../shared/useSession';
import { errorText } from '../shared/errors';
import { agentApi, type AssignmentChange, type Person, type Priority } from './agent-api';

// A request's assignee and priority (docs/product.md#assignee-and-priority), in the request view's
// side panel and in a queue's rows. The assignee is chosen with the one UserPicker, which for
// `fieldKey="assignee"` offers the project's active agents only.

export const PRIORITIES: readonly Priority[] = ['Highest', 'High', 'Medium', 'Low', 'Lowest'];
const PRIORITY_OPTIONS = PRIORITIES.map((p) => ({ id: p, label: p }));

/** Saves an assignment change and refreshes whatever shows requests (the view, queues and their counts, search). */
function useAssignment(site: string, issueKey: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: AssignmentChange) => agentApi.updateAssignment(site, issueKey, change),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: ['agent', site, 'request'] }),
        client.invalidateQueries({ queryKey: ['agent', site, 'queue'] }),
        client.invalidateQueries({ queryKey: ['agent', site, 'search'] }),
      ]),
  });
}

const toPicker = (p: Person): PickerPerson => ({ accountId: p.accountId, label: p.label, displayName: p.displayName, email: p.email, active: p.active });

/** The request view's Assignee (picker and "Assign to me") and Priority. */
export function RequestAssignment({ site, request }: { site: string; request: { key: string; project: { id: string }; assignee: Person | null; priority: Priority } }) {
  const session = useStaffSession();
  const me = session.data?.account.accountId;
  const save = useAssignment(site, request.key);
  const [said, setSaid] = useState('');
  const [error, setError] = useState('');
  const submit = (change: AssignmentChange, text: string) => {
    setSaid('');
    save.mutate(change, {
      onSuccess: () => {
        setError('');
        setSaid(text);
      },
      onError: (err) => setError(errorText(err)),
    });
  };
  return (
    <div className="agent-assignment">
      <UserPicker
        key={request.assignee?.accountId ?? 'nobody'}
        label="Assignee"
        site={site}
        fieldKey="assignee"
        projectId={request.project.id}
        placeholder="Unassigned"
        value={request.assignee ? toPicker(request.assignee) : null}
        errorMessage={error || undefined}
        onChange={(p) => submit({ assignee: p ? p.accountId : null }, p ? `Assignee: ${p.label}.` : 'Unassigned.')}
      />
      {me && request.assignee?.accountId !== me && (
        <Button variant="quiet" onPress={() => submit({ assignee: me }, 'Assigned to you.')} isDisabled={save.isPending}>
          Assign to me
        </Button>
      )}
      <SelectField
        label="Priority"
        options={PRIORITY_OPTIONS}
        value={request.priority}
        onChange={(id) => id !== request.priority && submit({ priority: id as Priority }, `Priority: ${id}.`)}
      />
      <Status onDismiss={() => setSaid('')} autoHideMs={8000}>{said}</Status>
    </div>
  );
}

/** A queue row's priority: a compact select named after the request (its label is for screen readers). */
export function RowPriority({ site, issueKey, priority }: { site: string; issueKey: string; priority: Priority }) {
  const save = useAssignment(site, issueKey);
  return (
    <SelectField
      label={`Priority of ${issueKey}`}
      hideLabel
      options={PRIORITY_OPTIONS}
      value={priority}
      onChange={(id) => id !== priority && save.mutate({ priority: id as Priority })}
      className="agent-row-priority"
      isDisabled={save.isPending}
    />
  );
}

/** A queue row's "Assign to me", for a request that is not the viewer's yet. */
export function RowAssignToMe({ site, issueKey }: { site: string; issueKey: string }) {
  const session = useStaffSession();
  const save = useAssignment(site, issueKey);
  const me = session.data?.account.accountId;
  if (!me) return null;
  return (
    <Button variant="quiet" aria-label={`Assign ${issueKey} to me`} onPress={() => save.mutate({ assignee: me })} isDisabled={save.isPending}>
      Assign to me
    </Button>
  );
}
