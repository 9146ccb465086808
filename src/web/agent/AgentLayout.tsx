import type { ReactNode } from 'react';
import { Link, useLocation } from '../router';
import { StaffLayout } from '../shared/StaffHeader';
import type { StaffSession } from '../shared/useSession';
import { customersUrl, issuesUrl, queuesUrl } from './agent-api';
import './agent.css';

function SideLink({ to, children }: { to: string; children: ReactNode }) {
  const { path } = useLocation();
  const current = path === to;
  return (
    <Link to={to} className={current ? 'agent-nav-link is-current' : 'agent-nav-link'} aria-current={current ? 'page' : undefined}>
      {children}
    </Link>
  );
}

/**
 * The agent workspace frame: the staff header, then — inside a project — a side navigation with
 * Queues, Customers and Search issues.
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
                  <SideLink to={queuesUrl(site, projectKey.toUpperCase())}>Queues</SideLink>
                  <SideLink to={customersUrl(site, projectKey.toUpperCase())}>Customers</SideLink>
                </>
              ) : (
                <p className="agent-nav-title">Service Management</p>
              )}
              <SideLink to={issuesUrl(site)}>Search issues</SideLink>
            </nav>
            <div className="agent-content">{children(session)}</div>
          </div>
        );
      }}
    </StaffLayout>
  );
}
