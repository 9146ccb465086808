import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { Link } from '../link';
import { Alert, Loading, PageHeading, SelectField, LoadFailed } from '../shared/ui';
import { UserPicker, type PickerPerson } from '../components/UserPicker';
import { RequestForm } from '../portal/CreateRequestPage';
import { portalApi } from '../portal/portal-api';
import { errorText } from '../shared/errors';
import { AgentLayout } from './AgentLayout';
import '../portal/portal.css';

/**
 * `/s/:site/jira/servicedesk/projects/:key/raise`: an agent raises a request for a caller (someone
 * on the phone, at the desk): the reporter, chosen with the one user picker, then the request type's
 * own form, as the customer would fill it in (docs/product.md#raise-for-callers). The request is the
 * reporter's: it is in their "My requests", and they are mailed about it.
 */
export function RaiseRequestPage({ site, projectKey }: { site: string; projectKey: string }) {
  return (
    <AgentLayout site={site} projectKey={projectKey}>
      {(session) => {
        const project = session.agentProjects.find((p) => p.siteSlug === site && p.projectKey === projectKey.toUpperCase());
        if (!project) return <Alert>{`You do not work on project ${projectKey.toUpperCase()}.`}</Alert>;
        return <RaiseForCaller site={site} projectId={project.projectId} projectKey={project.projectKey} projectName={project.projectName} />;
      }}
    </AgentLayout>
  );
}

function RaiseForCaller({ site, projectId, projectKey, projectName }: { site: string; projectId: string; projectKey: string; projectName: string }) {
  const navigate = useNavigate();
  const [reporter, setReporter] = useState<PickerPerson | null>(null);
  const [reporterError, setReporterError] = useState<string | null>(null);
  const [typeId, setTypeId] = useState<string | null>(null);
  const portal = useQuery({ queryKey: ['portal', site, 'portal', projectId], queryFn: () => portalApi.portal(site, projectId) });
  const types = portal.data?.requestTypes ?? [];
  const chosenType = typeId ?? types[0]?.id ?? null;
  const form = useQuery({
    queryKey: ['portal', site, 'request-type', projectId, chosenType],
    queryFn: () => portalApi.requestType(site, projectId, chosenType!),
    enabled: chosenType !== null,
  });

  if (portal.isError) return <LoadFailed error={portal.error} />;
  if (!portal.data) return <Loading />;
  return (
    <>
      <PageHeading title="Raise a request for a caller" description={`${projectName} (${projectKey}) — the request is the caller's: it shows in their "My requests" and they are mailed about it.`} />
      <div className="portal-form agent-raise-who">
        <UserPicker
          label="Raise this request for"
          site={site}
          fieldKey="reporter"
          value={reporter}
          onChange={(p) => {
            setReporter(p);
            setReporterError(null);
          }}
          isRequired
          description="A customer of this project, found by name or email."
          errorMessage={reporterError ?? undefined}
        />
        {types.length > 1 && (
          <SelectField label="Request type" options={types.map((t) => ({ id: t.id, label: t.name }))} value={chosenType ?? ''} onChange={setTypeId} />
        )}
      </div>
      {form.isError ? (
        <Alert>{errorText(form.error)}</Alert>
      ) : !form.data ? (
        <Loading />
      ) : (
        <RequestForm
          key={chosenType}
          site={site}
          projectId={projectId}
          requestTypeId={chosenType!}
          fields={form.data.fields}
          onBehalfOf={reporter ? reporter.accountId : null}
          onReporterError={setReporterError}
          onCreated={(created) => void navigate({ to: '/s/$site/browse/$key', params: { site, key: created.key } })}
          cancel={
            <Link to="/s/$site/jira/servicedesk/projects/$key/queues" params={{ site, key: projectKey }}>
              Cancel
            </Link>
          }
        />
      )}
    </>
  );
}
