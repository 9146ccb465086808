import { useState, type ReactNode } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { errorText } from '../shared/errors';
import { Alert, Button, DataTable, DialogActions, Loading, ModalDialog, PageHeading, SelectField, Status, LoadFailed } from '../shared/ui';
import { organizationsApi, type CustomerSharing, type OrganizationRow } from '../organizations/organizations-api';
import { organizationKeys, PageButtons, SiteOrganizations } from '../organizations/SiteOrganizations';
import { AgentLayout } from './AgentLayout';
import { accessText } from './common';

/**
 * `/s/:site/jira/servicedesk/projects/:key/organizations`: the customer organizations added to the
 * project — their members may raise requests in its portal — and below, every organization of the
 * site to create, rename and fill (docs/product.md#customer-organizations).
 */
export function OrganizationsPage({ site, projectKey }: { site: string; projectKey: string }) {
  return (
    <AgentLayout site={site} projectKey={projectKey}>
      {() => (
        <ProjectOrganizations site={site} projectKey={projectKey.toUpperCase()}>
          <SiteOrganizations site={site} headingId="site-organizations-heading" title="All organizations of the site" />
        </ProjectOrganizations>
      )}
    </AgentLayout>
  );
}

/**
 * The project's organizations, then `children` (the site's): those load at the same time but stay
 * hidden until this part is shown, which would otherwise arrive second and push them down as a
 * person goes to use them.
 */
function ProjectOrganizations({ site, projectKey, children }: { site: string; projectKey: string; children: ReactNode }) {
  const [start, setStart] = useState(0);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const client = useQueryClient();
  const q = useQuery({
    queryKey: [...organizationKeys.all(site), 'project', projectKey, start],
    queryFn: () => organizationsApi.ofProject(site, projectKey, start),
    placeholderData: keepPreviousData,
  });
  const remove = useMutation({ mutationFn: (o: OrganizationRow) => organizationsApi.removeFromProject(site, projectKey, o.id) });
  let content: ReactNode;
  if (q.isError) content = <LoadFailed error={q.error} message={accessText(q.error, `Project ${projectKey}`)} />;
  else if (!q.data) content = <Loading />;
  else {
    const page = q.data;
    content = (
      <>
        <PageHeading
          title="Organizations"
          description={`The members of these organizations may raise requests in the portal of ${page.project.name}.`}
          actions={
            <Button variant="primary" onPress={() => setAdding(true)}>
              Add organization
            </Button>
          }
        />
        {notice && <Status onDismiss={() => setNotice(null)}>{notice}</Status>}
        {remove.isError && <Alert>{errorText(remove.error)}</Alert>}
        <DataTable
          caption={`Organizations of ${page.project.name}`}
          columns={[
            { header: 'Name', cell: (o: OrganizationRow) => o.name },
            { header: 'Members', cell: (o) => String(o.memberCount), align: 'end' },
            {
              header: 'Actions',
              hideHeader: true,
              cell: (o) => (
                <Button
                  variant="quiet"
                  aria-label={`Remove ${o.name} from ${projectKey}`}
                  isDisabled={remove.isPending}
                  onPress={() =>
                    remove.mutate(o, {
                      onSuccess: async () => {
                        await client.invalidateQueries({ queryKey: organizationKeys.all(site) });
                        setNotice(`${o.name} removed from ${projectKey}: its members no longer raise requests here through it.`);
                      },
                    })
                  }
                >
                  Remove
                </Button>
              ),
            },
          ]}
          rows={page.values}
          rowKey={(o) => o.id}
          empty="No organization has been added to this project."
        />
        <PageButtons page={page} onChange={setStart} />
        <Sharing site={site} projectKey={projectKey} value={page.project.customerSharing} />
        {adding && (
          <AddOrganizationDialog
            site={site}
            projectKey={projectKey}
            added={page.values.map((o) => o.id)}
            onClose={(message) => {
              setAdding(false);
              if (message) setNotice(message);
            }}
          />
        )}
      </>
    );
  }
  return (
    <>
      {content}
      <div hidden={!q.data && !q.isError}>{children}</div>
    </>
  );
}

function AddOrganizationDialog({ site, projectKey, added, onClose }: { site: string; projectKey: string; added: string[]; onClose: (message?: string) => void }) {
  const [choice, setChoice] = useState('');
  const client = useQueryClient();
  // a site has a handful of organizations: the first 100 by name are offered
  const all = useQuery({ queryKey: [...organizationKeys.all(site), 'choices'], queryFn: () => organizationsApi.list(site, '', 0, 100) });
  const options = (all.data?.values ?? []).filter((o) => !added.includes(o.id)).map((o) => ({ id: o.id, label: o.name }));
  const chosen = options.some((o) => o.id === choice) ? choice : (options[0]?.id ?? '');
  const add = useMutation({ mutationFn: () => organizationsApi.addToProject(site, projectKey, chosen) });
  return (
    <ModalDialog title={`Add an organization to ${projectKey}`} onClose={() => onClose()}>
      {all.isError && <Alert>{errorText(all.error)}</Alert>}
      {!all.data && !all.isError && <Loading />}
      {all.data && options.length === 0 && <p>Every organization of the site is added already. Create one below first.</p>}
      {options.length > 0 && <SelectField label="Organization" options={options} value={chosen} onChange={setChoice} />}
      {add.isError && <Alert>{errorText(add.error)}</Alert>}
      <DialogActions>
        <Button
          variant="primary"
          isDisabled={!chosen || add.isPending}
          onPress={() =>
            add.mutate(undefined, {
              onSuccess: async () => {
                await client.invalidateQueries({ queryKey: organizationKeys.all(site) });
                onClose(`${options.find((o) => o.id === chosen)?.label ?? 'The organization'} added to ${projectKey}: its members may raise requests here.`);
              },
            })
          }
        >
          Add
        </Button>
        <Button onPress={() => onClose()}>Cancel</Button>
      </DialogActions>
    </ModalDialog>
  );
}

const SHARING_OPTIONS: Array<{ id: CustomerSharing; label: string; notice: string }> = [
  { id: 'nobody', label: 'Nobody', notice: 'nobody' },
  { id: 'request', label: 'People already on the request', notice: 'people already on the request only' },
  { id: 'organizations', label: 'Their organizations and people already on the request', notice: 'their organizations and people already on the request' },
  { id: 'project', label: 'Anyone in the project', notice: 'anyone in the project' },
];

/** The project's sharing setting: whom its customers may find in its pickers and share requests with (docs/product.md#customer-sharing). */
function Sharing({ site, projectKey, value }: { site: string; projectKey: string; value: CustomerSharing }) {
  const client = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const save = useMutation({ mutationFn: (v: CustomerSharing) => organizationsApi.setSharing(site, projectKey, v) });
  return (
    <section aria-labelledby="sharing-heading" className="org-section">
      <h2 id="sharing-heading">Sharing</h2>
      <p className="ui-muted">Whom customers of {projectKey} may find in “Share with” and other people fields, and share their requests with. They never see anyone’s email address, and never the whole site’s customer list. Members of an organization always may share a request with their organization.</p>
      <SelectField
        label="Customers may find and share requests with"
        options={SHARING_OPTIONS}
        value={value}
        onChange={(id) => {
          if (id === value) return;
          save.mutate(id as CustomerSharing, {
            onSuccess: async (r) => {
              await client.invalidateQueries({ queryKey: organizationKeys.all(site) });
              setNotice(`Customers of ${projectKey} now find and share requests with ${SHARING_OPTIONS.find((o) => o.id === r.customerSharing)?.notice ?? r.customerSharing}.`);
            },
          });
        }}
      />
      {save.isError && <Alert>{errorText(save.error)}</Alert>}
      {notice && <Status onDismiss={() => setNotice(null)}>{notice}</Status>}
    </section>
  );
}
