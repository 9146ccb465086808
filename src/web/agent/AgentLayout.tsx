import type { ReactNode } from 'react';
import { Link } from '../link';
import { StaffLayout } from '../shared/StaffHeader';
import type { StaffSession } from '../shared/useSession';
import { QueueNav } from './QueueNav';
import './agent.css';

/** A link of the side navigation: current (aria-current="page") on its own path, whatever the search. */
const sideLink = { className: 'agent-nav-link', activeOptions: { exact: true, includeSearch: false }, activeProps: { className: 'is-current' } };

/**
 * The agent workspace frame: the staff header, then — inside a project — a side navigation with
 * Queues, Customers, Organizations, Knowledge base, Canned responses, Satisfaction, SLAs and Search issues.
 */
export function AgentLayout({ site, projectKey, children }: { site: string; projectKey?: string; children: (session: StaffSession) => ReactNode }) {
  return (
    <StaffLayout>
      {(session) => {
        const project = projectKey
          ? session.agentProjects.find((p) => p.siteSlug === site && p.projectKey === projectKey.toUpperCase())
          : undefined;
        return (
          <div className="agent-frame">
            <nav aria-label="Service project" className="agent-nav">
              {projectKey ? (
                <>
                  <p className="agent-nav-title">{project?.projectName ?? projectKey.toUpperCase()}</p>
                  <Link to="/s/$site/jira/servicedesk/projects/$key/queues" params={{ site, key: projectKey.toUpperCase() }} {...sideLink}>
                    Queues
                  </Link>
                  <QueueNav site={site} projectKey={projectKey} />
                  <Link to="/s/$site/jira/servicedesk/projects/$key/customers" params={{ site, key: projectKey.toUpperCase() }} {...sideLink}>
                    Customers
                  </Link>
                  <Link to="/s/$site/jira/servicedesk/projects/$key/organizations" params={{ site, key: projectKey.toUpperCase() }} {...sideLink}>
                    Organizations
                  </Link>
                  <Link to="/s/$site/jira/servicedesk/projects/$key/knowledge-base" params={{ site, key: projectKey.toUpperCase() }} {...sideLink} activeOptions={{ exact: false, includeSearch: false }}>
                    Knowledge base
                  </Link>
                  <Link to="/s/$site/jira/servicedesk/projects/$key/canned-responses" params={{ site, key: projectKey.toUpperCase() }} {...sideLink}>
                    Canned responses
                  </Link>
                  <Link to="/s/$site/jira/servicedesk/projects/$key/satisfaction" params={{ site, key: projectKey.toUpperCase() }} {...sideLink}>
                    Satisfaction
                  </Link>
                  <Link to="/s/$site/jira/servicedesk/projects/$key/slas" params={{ site, key: projectKey.toUpperCase() }} {...sideLink}>
                    SLAs
                  </Link>
                  <Link to="/s/$site/jira/servicedesk/projects/$key/approvals" params={{ site, key: projectKey.toUpperCase() }} {...sideLink}>
                    Approvals
                  </Link>
                </>
              ) : (
                <p className="agent-nav-title">Service Management</p>
              )}
              <Link to="/s/$site/issues" params={{ site }} {...sideLink}>
                Search issues
              </Link>
            </nav>
            <div className="agent-content">{children(session)}</div>
          </div>
        );
      }}
    </StaffLayout>
  );
}
