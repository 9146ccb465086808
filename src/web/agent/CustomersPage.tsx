import { useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { FieldError, Input, Label, Text, TextArea, TextField as AriaTextField } from 'react-aria-components';
import { UserPicker, type PickerPerson } from '../components/UserPicker';
import { Alert, Button, DataTable, DialogActions, FormDialogTrigger, Loading, PageHeading, Status, SubmitOrCancel, TextField, LoadFailed } from '../shared/ui';
import { AgentLayout } from './AgentLayout';
import { agentApi, type InvitationResults, type ProjectCustomer } from './agent-api';
import { errorText } from '../shared/errors';
import { PersonLabel, accessText } from './common';

/**
 * `/s/:site/jira/servicedesk/projects/:key/customers`: who may use the project's portal, with each
 * one's status (Active / Access revoked), and the "Invite customers", "Add customers" and "Create
 * customer" dialogs.
 */
export function CustomersPage({ site, projectKey }: { site: string; projectKey: string }) {
  return (
    <AgentLayout site={site} projectKey={projectKey}>
      {() => <Customers site={site} projectKey={projectKey} />}
    </AgentLayout>
  );
}

function Customers({ site, projectKey }: { site: string; projectKey: string }) {
  const [query, setQuery] = useState('');
  const [start, setStart] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const q = useQuery({
    queryKey: ['agent', site, 'customers', projectKey, query.trim(), start],
    queryFn: () => agentApi.customers(site, projectKey, query.trim(), start),
    placeholderData: keepPreviousData,
  });
  if (q.isError) return <LoadFailed error={q.error} message={accessText(q.error, `Project ${projectKey}`)} />;
  if (!q.data) return <Loading />;
  const page = q.data;
  const open = page.project.customerAccess === 'open';
  return (
    <>
      <PageHeading
        title="Customers"
        description={
          open
            ? `${page.project.name} is open: every active customer of the site may use its portal.`
            : `The customers who may use the portal of ${page.project.name}.`
        }
        actions={
          <>
            <InviteCustomersDialog site={site} projectKey={projectKey} />
            <AddCustomersDialog site={site} projectKey={projectKey} onDone={setNotice} />
            <CreateCustomerDialog site={site} projectKey={projectKey} onDone={setNotice} />
          </>
        }
      />
      {notice && <Status onDismiss={() => setNotice(null)}>{notice}</Status>}
      <div className="ui-inline-form">
        <TextField
          label="Search customers"
          type="search"
          value={query}
          onChange={(v) => {
            setQuery(v);
            setStart(0);
          }}
          description="Name or email"
        />
      </div>
      <DataTable
        caption={`Customers of ${page.project.name}`}
        columns={[
          { header: 'Name', cell: (c: ProjectCustomer) => <PersonLabel person={c} /> },
          { header: 'Email', cell: (c) => c.email ?? '—' },
          { header: 'Status', cell: (c) => c.statusLabel },
        ]}
        rows={page.values}
        rowKey={(c) => c.accountId}
        empty={query.trim() ? 'No customer matches your search.' : 'This project has no customers yet.'}
      />
      {(page.start > 0 || !page.isLastPage) && (
        <div className="agent-pager">
          <Button isDisabled={page.start === 0} onPress={() => setStart(Math.max(0, page.start - page.limit))}>
            Previous
          </Button>
          <Button isDisabled={page.isLastPage} onPress={() => setStart(page.start + page.limit)}>
            Next
          </Button>
        </div>
      )}
    </>
  );
}

function useRefreshCustomers(site: string, projectKey: string) {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['agent', site, 'customers', projectKey] });
}

function AddCustomersDialog({ site, projectKey, onDone }: { site: string; projectKey: string; onDone: (msg: string) => void }) {
  const [people, setPeople] = useState<PickerPerson[]>([]);
  const refresh = useRefreshCustomers(site, projectKey);
  const add = useMutation({ mutationFn: () => agentApi.addCustomers(site, projectKey, people.map((p) => p.accountId)) });
  return (
    <FormDialogTrigger
      button={<Button>Add customers</Button>}
      title="Add customers"
      onClosed={() => {
        setPeople([]);
        add.reset();
      }}
      onSubmit={(close) => {
        if (people.length === 0) return;
        add.mutate(undefined, {
          onSuccess: async (r) => {
            await refresh();
            const n = r.added.length;
            onDone(n === 0 ? 'Those customers were already added.' : `${n} customer${n === 1 ? '' : 's'} added to ${projectKey}.`);
            close();
          },
        });
      }}
    >
      {(close) => (
        <>
          <p className="ui-muted">Choose existing customers of this site. Customers whose access is revoked can’t be chosen.</p>
          <UserPicker multiple label="Customers" site={site} values={people} onChange={setPeople} />
          {add.isError && <Alert>{errorText(add.error)}</Alert>}
          <SubmitOrCancel label="Add" isDisabled={people.length === 0 || add.isPending} close={close} />
        </>
      )}
    </FormDialogTrigger>
  );
}

function CreateCustomerDialog({ site, projectKey, onDone }: { site: string; projectKey: string; onDone: (msg: string) => void }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  // "Access until" (docs/product.md#access-until): a day; the access ends at the end of it, local time
  const [until, setUntil] = useState('');
  const refresh = useRefreshCustomers(site, projectKey);
  const untilIso = () => {
    const d = new Date(`${until}T23:59:59`);
    return until ? (Number.isNaN(d.getTime()) ? until : d.toISOString()) : null;
  };
  const create = useMutation({ mutationFn: () => agentApi.createCustomer(site, projectKey, name, email, untilIso()) });
  const fieldErrors = (create.error as { errors?: Record<string, string> } | null)?.errors ?? {};
  return (
    <FormDialogTrigger
      button={<Button>Create customer</Button>}
      title="Create customer"
      onClosed={() => {
        setName('');
        setEmail('');
        setUntil('');
        create.reset();
      }}
      onSubmit={(close) =>
        create.mutate(undefined, {
          onSuccess: async (c) => {
            await refresh();
            onDone(`${c.label} (${c.email}) was created and added to ${projectKey}.`);
            close();
          },
        })
      }
    >
      {(close) => (
        <>
          <p className="ui-muted">A portal-only account for this site. The customer sets a password through “Forgot password?” on the help center.</p>
          <TextField label="Name" value={name} onChange={setName} isRequired autoFocus error={fieldErrors.displayName} />
          <TextField label="Email" type="email" value={email} onChange={setEmail} isRequired error={fieldErrors.email} />
          <AriaTextField value={until} onChange={setUntil} isInvalid={Boolean(fieldErrors.accessUntil)} validationBehavior="aria" className="ui-field">
            <Label className="ui-label">Access until (optional)</Label>
            <Input className="ui-input" type="date" />
            <Text slot="description" className="ui-description">
              Access ends at the end of this day; leave empty for no end.
            </Text>
            <FieldError className="ui-field-error">{fieldErrors.accessUntil}</FieldError>
          </AriaTextField>
          {create.isError && <Alert>{errorText(create.error)}</Alert>}
          <SubmitOrCancel label="Create" isDisabled={create.isPending || !name.trim() || !email.trim()} close={close} />
        </>
      )}
    </FormDialogTrigger>
  );
}

/** Splits what was pasted into addresses: commas, semicolons, spaces and new lines separate them. */
function emailsIn(text: string): string[] {
  return text.split(/[\s,;]+/).map((e) => e.trim()).filter(Boolean);
}

const OUTCOME_LABEL: Record<InvitationResults['results'][number]['outcome'], string> = {
  invited: 'Invited',
  added: 'Added',
  already_customer: 'Already a customer',
  revoked: 'Not invited',
  invalid: 'Not an email address',
};

/**
 * Invite customers by email (docs/product.md#invitations): many addresses pasted at once; each gets
 * its own result in the dialog — invited (a set-password link was mailed), added, already a
 * customer, or refused (a revoked customer; not an address).
 */
function InviteCustomersDialog({ site, projectKey }: { site: string; projectKey: string }) {
  const [text, setText] = useState('');
  const refresh = useRefreshCustomers(site, projectKey);
  const invite = useMutation({ mutationFn: () => agentApi.inviteCustomers(site, projectKey, emailsIn(text)), onSuccess: () => refresh() });
  const fieldErrors = (invite.error as { errors?: Record<string, string> } | null)?.errors ?? {};
  const results = invite.data?.results;
  const invitedCount = results?.filter((r) => r.outcome === 'invited').length ?? 0;
  return (
    <FormDialogTrigger
      button={<Button variant="primary">Invite customers</Button>}
      title="Invite customers"
      onClosed={() => {
        setText('');
        invite.reset();
      }}
      onSubmit={() => {
        if (emailsIn(text).length > 0) invite.mutate();
      }}
    >
      {(close) =>
        !results ? (
          <>
            <AriaTextField value={text} onChange={setText} isInvalid={Boolean(fieldErrors.emails)} validationBehavior="aria" className="ui-field" isRequired autoFocus>
              <Label className="ui-label">Email addresses</Label>
              <TextArea className="ui-input agent-textarea" rows={5} spellCheck={false} />
              <Text slot="description" className="ui-description">
                Separate addresses with commas or new lines. Each new customer gets a mail with a link to choose a password; existing customers are added to {projectKey}.
              </Text>
              <FieldError className="ui-field-error">{fieldErrors.emails}</FieldError>
            </AriaTextField>
            {invite.isError && !fieldErrors.emails && <Alert>{errorText(invite.error)}</Alert>}
            <SubmitOrCancel label="Invite" isDisabled={emailsIn(text).length === 0 || invite.isPending} close={close} />
          </>
        ) : (
          <>
            <Status>{`${invitedCount} invitation${invitedCount === 1 ? '' : 's'} sent.`}</Status>
            <DataTable
              caption="Invitation results"
              columns={[
                { header: 'Email', cell: (r: InvitationResults['results'][number]) => r.email },
                {
                  header: 'Result',
                  cell: (r) => (
                    <>
                      <span className={`agent-invite-${r.outcome}`}>{OUTCOME_LABEL[r.outcome]}</span>
                      {r.outcome !== 'invited' && <span className="agent-invite-message">{r.message}</span>}
                    </>
                  ),
                },
              ]}
              rows={results}
              rowKey={(r) => r.email}
              empty="No addresses."
            />
            <DialogActions>
              <Button variant="primary" onPress={close}>
                Done
              </Button>
            </DialogActions>
          </>
        )
      }
    </FormDialogTrigger>
  );
}
