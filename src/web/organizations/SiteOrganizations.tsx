import { useState, type FormEvent } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { UserPicker, type PickerPerson } from '../components/UserPicker';
import { errorText } from '../shared/errors';
import { Alert, Button, DataTable, DialogActions, Loading, ModalDialog, Pager, Status, TextField } from '../shared/ui';
import './organizations.css';
import { organizationsApi, type Member, type OrganizationRow } from './organizations-api';

// A site's customer organizations (docs/product.md#customer-organizations): the list with search,
// create, rename, delete (the site's admins) and each one's members — shared by the agent
// workspace's Organizations page and the admin console's. The server decides who may do what; the
// page only hides what the list's answer says the caller may not do.

export const organizationKeys = {
  all: (site: string) => ['organizations', site] as const,
};

function useRefresh(site: string) {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: organizationKeys.all(site) });
}

type Open = { kind: 'create' } | { kind: 'rename' | 'delete' | 'members'; org: OrganizationRow } | null;

export function SiteOrganizations({ site, headingId, title = 'Customer organizations' }: { site: string; headingId: string; title?: string }) {
  const [query, setQuery] = useState('');
  const [start, setStart] = useState(0);
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const q = useQuery({
    queryKey: [...organizationKeys.all(site), 'list', query.trim(), start],
    queryFn: () => organizationsApi.list(site, query.trim(), start),
    placeholderData: keepPreviousData,
  });
  const close = (message?: string) => {
    setOpen(null);
    if (message) setNotice(message);
  };
  return (
    <section aria-labelledby={headingId} className="org-section">
      <div className="org-section-head">
        <h2 id={headingId}>{title}</h2>
        {q.data?.canManage && (
          <Button variant="primary" onPress={() => setOpen({ kind: 'create' })}>
            Create organization
          </Button>
        )}
      </div>
      <p className="ui-muted">Groups of this site’s customers. Add an organization to a service project and its members may raise requests there.</p>
      {notice && <Status onDismiss={() => setNotice(null)}>{notice}</Status>}
      <div className="ui-inline-form">
        <TextField
          label="Search organizations"
          type="search"
          value={query}
          onChange={(v) => {
            setQuery(v);
            setStart(0);
          }}
        />
      </div>
      {q.isError && <Alert>{errorText(q.error)}</Alert>}
      {!q.data && !q.isError && <Loading />}
      {q.data && (
        <>
          <DataTable
            caption={title}
            columns={[
              { header: 'Name', cell: (o: OrganizationRow) => o.name },
              { header: 'Members', cell: (o) => String(o.memberCount), align: 'end' },
              {
                header: 'Actions',
                hideHeader: true,
                cell: (o) =>
                  q.data.canManage ? (
                    <div className="org-actions">
                      <Button variant="quiet" aria-label={`Members of ${o.name}`} onPress={() => setOpen({ kind: 'members', org: o })}>
                        Members
                      </Button>
                      <Button variant="quiet" aria-label={`Rename ${o.name}`} onPress={() => setOpen({ kind: 'rename', org: o })}>
                        Rename
                      </Button>
                      {q.data.canDelete && (
                        <Button variant="quiet" aria-label={`Delete ${o.name}`} onPress={() => setOpen({ kind: 'delete', org: o })}>
                          Delete
                        </Button>
                      )}
                    </div>
                  ) : null,
              },
            ]}
            rows={q.data.values}
            rowKey={(o) => o.id}
            empty={query.trim() ? 'No organization matches your search.' : 'This site has no customer organizations yet.'}
          />
          <PageButtons page={q.data} onChange={setStart} />
        </>
      )}
      {open?.kind === 'create' && <NameDialog site={site} onClose={close} />}
      {open?.kind === 'rename' && <NameDialog site={site} org={open.org} onClose={close} />}
      {open?.kind === 'delete' && <DeleteDialog site={site} org={open.org} onClose={close} />}
      {open?.kind === 'members' && <MembersDialog site={site} org={open.org} onClose={close} />}
    </section>
  );
}

function NameDialog({ site, org, onClose }: { site: string; org?: OrganizationRow; onClose: (message?: string) => void }) {
  const [name, setName] = useState(org?.name ?? '');
  const refresh = useRefresh(site);
  const save = useMutation({ mutationFn: () => (org ? organizationsApi.rename(site, org.id, name) : organizationsApi.create(site, name)) });
  const fieldErrors = (save.error as { errors?: Record<string, string> } | null)?.errors ?? {};
  return (
    <ModalDialog title={org ? `Rename ${org.name}` : 'Create organization'} onClose={() => onClose()}>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          save.mutate(undefined, {
            onSuccess: async (o) => {
              await refresh();
              onClose(org ? `${org.name} is now called ${o.name}.` : `Organization ${o.name} created.`);
            },
          });
        }}
      >
        <TextField label="Organization name" value={name} onChange={setName} isRequired autoFocus error={fieldErrors.name} description="1 to 200 characters, unique on this site" />
        {save.isError && !fieldErrors.name && <Alert>{errorText(save.error)}</Alert>}
        <DialogActions>
          <Button variant="primary" type="submit" isDisabled={save.isPending || !name.trim()}>
            {org ? 'Rename' : 'Create'}
          </Button>
          <Button onPress={() => onClose()}>Cancel</Button>
        </DialogActions>
      </form>
    </ModalDialog>
  );
}

function DeleteDialog({ site, org, onClose }: { site: string; org: OrganizationRow; onClose: (message?: string) => void }) {
  const refresh = useRefresh(site);
  const remove = useMutation({ mutationFn: () => organizationsApi.remove(site, org.id) });
  return (
    <ModalDialog title={`Delete ${org.name}?`} alert onClose={() => onClose()}>
      <p>
        Its {org.memberCount} member{org.memberCount === 1 ? '' : 's'} stay customers of the site, but lose what they had only through it: the
        service projects it was added to, and the requests shared with it. This cannot be undone.
      </p>
      {remove.isError && <Alert>{errorText(remove.error)}</Alert>}
      <DialogActions>
        <Button
          variant="danger"
          isDisabled={remove.isPending}
          onPress={() =>
            remove.mutate(undefined, {
              onSuccess: async () => {
                await refresh();
                onClose(`Organization ${org.name} deleted.`);
              },
            })
          }
        >
          Delete organization
        </Button>
        <Button onPress={() => onClose()}>Cancel</Button>
      </DialogActions>
    </ModalDialog>
  );
}

function MembersDialog({ site, org, onClose }: { site: string; org: OrganizationRow; onClose: (message?: string) => void }) {
  const [start, setStart] = useState(0);
  const [people, setPeople] = useState<PickerPerson[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = useRefresh(site);
  const members = useQuery({
    queryKey: [...organizationKeys.all(site), 'members', org.id, start],
    queryFn: () => organizationsApi.members(site, org.id, start),
    placeholderData: keepPreviousData,
  });
  const add = useMutation({ mutationFn: () => organizationsApi.addMembers(site, org.id, people.map((p) => p.accountId)) });
  const remove = useMutation({ mutationFn: (m: Member) => organizationsApi.removeMembers(site, org.id, [m.accountId]) });
  return (
    <ModalDialog title={`Members of ${org.name}`} wide onClose={() => onClose()}>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          if (people.length === 0) return;
          add.mutate(undefined, {
            onSuccess: async (r) => {
              setPeople([]);
              await refresh();
              const n = r.accountIds.length;
              setNotice(n === 0 ? 'They were already members.' : `${n} customer${n === 1 ? '' : 's'} added to ${org.name}.`);
            },
          });
        }}
      >
        <UserPicker multiple label="Add customers" site={site} values={people} onChange={setPeople} description="Customers whose access is revoked can’t be chosen." />
        {add.isError && <Alert>{errorText(add.error)}</Alert>}
        <DialogActions>
          <Button variant="primary" type="submit" isDisabled={people.length === 0 || add.isPending}>
            Add to organization
          </Button>
        </DialogActions>
      </form>
      {notice && <Status onDismiss={() => setNotice(null)}>{notice}</Status>}
      {remove.isError && <Alert>{errorText(remove.error)}</Alert>}
      {members.isError && <Alert>{errorText(members.error)}</Alert>}
      {members.data ? (
        <>
          <DataTable
            caption={`Members of ${org.name}`}
            columns={[
              { header: 'Name', cell: (m: Member) => <span className={m.active ? undefined : 'org-member-inactive'}>{m.label}</span> },
              { header: 'Email', cell: (m) => m.email ?? '—' },
              { header: 'Status', cell: (m) => m.statusLabel },
              {
                header: 'Actions',
                hideHeader: true,
                cell: (m) => (
                  <Button
                    variant="quiet"
                    aria-label={`Remove ${m.label} from ${org.name}`}
                    isDisabled={remove.isPending}
                    onPress={() =>
                      remove.mutate(m, {
                        onSuccess: async () => {
                          await refresh();
                          setNotice(`${m.label} removed from ${org.name}.`);
                        },
                      })
                    }
                  >
                    Remove
                  </Button>
                ),
              },
            ]}
            rows={members.data.values}
            rowKey={(m) => m.accountId}
            empty="No members yet."
          />
          <PageButtons page={members.data} onChange={setStart} />
        </>
      ) : (
        !members.isError && <Loading />
      )}
      <DialogActions>
        <Button onPress={() => onClose()}>Close</Button>
      </DialogActions>
    </ModalDialog>
  );
}

/** Previous / Next under a list, when it has more than one page. */
export function PageButtons({ page, onChange }: { page: { start: number; limit: number; isLastPage: boolean; values: unknown[] }; onChange: (start: number) => void }) {
  if (page.start === 0 && page.isLastPage) return null;
  return (
    <Pager
      summary={`Showing ${page.start + 1}–${page.start + page.values.length}`}
      hasPrevious={page.start > 0}
      hasNext={!page.isLastPage}
      onPrevious={() => onChange(Math.max(0, page.start - page.limit))}
      onNext={() => onChange(page.start + page.limit)}
    />
  );
}
