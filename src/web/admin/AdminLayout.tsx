import { type ReactNode } from 'react';
import { Link } from '../link';
import { Loading } from '../shared/ui';
import { StaffHeader } from '../shared/StaffHeader';
import './admin.css';

/**
 * The admin console's frame and navigation: the staff header, an organization's header tabs, and a
 * site's side navigation. The building blocks inside a page come from the shared kit (shared/ui.tsx).
 */

/** Page frame of the admin console: the staff header, then the page in the one <main> landmark (its organization or site bar too). */
export function AdminFrame({ children }: { children: ReactNode }) {
  return (
    <div className="adm">
      <StaffHeader />
      <main className="adm-body">{children}</main>
    </div>
  );
}

/**
 * The frame while a console's organization or site (and who is asking) is not known yet: only
 * "Loading", so its bar then appears whole — a placeholder bar grew when the name and its badge came,
 * on a phone by a line, moving the page under a finger (docs/architecture.md, "A page's frame appears
 * whole").
 */
export function AdminFrameLoading({ label }: { label: string }) {
  return (
    <AdminFrame>
      <div className="adm-main">
        <Loading label={label} />
      </div>
    </AdminFrame>
  );
}

export interface NavItem {
  to: string;
  label: string;
  /** Also current for deeper paths (a tab stays current on its sub-pages). */
  prefix?: boolean;
}

/** An item is current (aria-current="page") on its own path, or with `prefix` on the paths below it too. */
function activeOptions(item: NavItem) {
  return { exact: !item.prefix, includeSearch: false };
}

/** Header tabs of an organization: links, the current one marked with aria-current="page". */
export function HeaderTabs({ label, items }: { label: string; items: NavItem[] }) {
  return (
    <nav aria-label={label} className="adm-tabs">
      <ul>
        {items.map((item) => (
          <li key={item.to}>
            <Link to={item.to} className="adm-tab" activeOptions={activeOptions(item)} activeProps={{ className: 'is-current' }}>
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export interface SideNavSection {
  heading?: string;
  items: NavItem[];
}

/** The side navigation of a site's admin, in sections (e.g. "Service Management" → "Portal customers"). */
export function SideNav({ label, sections }: { label: string; sections: SideNavSection[] }) {
  return (
    <nav aria-label={label} className="adm-sidenav">
      {sections.map((section, i) => (
        <div key={section.heading ?? i} className="adm-sidenav-section">
          {section.heading && <h2 className="adm-sidenav-heading">{section.heading}</h2>}
          <ul>
            {section.items.map((item) => (
              <li key={item.to}>
                <Link to={item.to} className="adm-sidenav-link" activeOptions={activeOptions(item)} activeProps={{ className: 'is-current' }}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}

export function WithSideNav({ nav, children }: { nav: ReactNode; children: ReactNode }) {
  return (
    <div className="adm-split">
      {nav}
      <div className="adm-split-main">{children}</div>
    </div>
  );
}
