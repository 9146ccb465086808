import { Link } from '../link';
import { StaffLayout } from './StaffHeader';
import { DataTable, PageHeading } from './ui';
import type { StaffSession } from './useSession';

type AgentProject = StaffSession['agentProjects'][number];

/** `/projects`: the service projects this person works on as an agent — an agent's landing page. */
export function ProjectsPage() {
  return (
    <StaffLayout>
      {(session) => (
        <>
          <PageHeading title="Projects" description="The service projects you work on as an agent." />
          <DataTable
            caption="Your service projects"
            columns={[
              {
                header: 'Project',
                cell: (p: AgentProject) => (
                  <Link to="/s/$site/jira/servicedesk/projects/$key/queues" params={{ site: p.siteSlug, key: p.projectKey }}>
                    {p.projectName}
                  </Link>
                ),
              },
              { header: 'Key', cell: (p) => p.projectKey },
              { header: 'Site', cell: (p) => p.siteName },
            ]}
            rows={session.agentProjects}
            rowKey={(p) => `${p.siteSlug}/${p.projectId}`}
            empty="You are not an agent on any service project yet. An administrator of your site can add you to one."
          />
        </>
      )}
    </StaffLayout>
  );
}
