import { type ReactNode } from 'react';
import { Button, Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { Link } from '../link';
import { errorText, adminStatusTexts } from '../shared/errors';
import { StaffHeader } from '../shared/StaffHeader';
import './admin.css';

/** Page frame of the admin console: the staff header, then the page's own content. */
export function AdminFrame({ children }: { children: ReactNode }) {
  return (
    <div className="adm">
      <StaffHeader />
      <div className="adm-body">{children}</div>
    </div>
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

export function Loading({ what }: { what: string }) {
  return (
    <p className="adm-muted" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function ErrorMessage({ error, title = 'Could not load this page' }: { error: unknown; title?: string }) {
  return (
    <div className="adm-alert adm-alert-error" role="alert">
      <strong>{title}</strong>
      <p>{errorText(error, adminStatusTexts)}</p>
    </div>
  );
}

/** A modal dialog. `alert` makes it an alertdialog (confirmations of consequential actions). */
export function AdminDialog({
  isOpen,
  onClose,
  title,
  alert,
  children,
}: {
  isOpen: boolean;
  onClose: () => void;
  title: string;
  alert?: boolean;
  children: ReactNode;
}) {
  return (
    <ModalOverlay isOpen={isOpen} onOpenChange={(open) => !open && onClose()} isDismissable={!alert} className="adm-overlay">
      <Modal className="adm-modal">
        <Dialog role={alert ? 'alertdialog' : 'dialog'} className="adm-dialog">
          <Heading slot="title" className="adm-dialog-title">
            {title}
          </Heading>
          {children}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

export function DialogButtons({ children }: { children: ReactNode }) {
  return <div className="adm-dialog-buttons">{children}</div>;
}

export function PrimaryButton({
  children,
  onPress,
  isDisabled,
  danger,
  type,
}: {
  children: ReactNode;
  onPress?: () => void;
  isDisabled?: boolean;
  danger?: boolean;
  type?: 'button' | 'submit';
}) {
  return (
    <Button type={type ?? 'button'} className={danger ? 'adm-btn adm-btn-danger' : 'adm-btn adm-btn-primary'} onPress={onPress} isDisabled={isDisabled}>
      {children}
    </Button>
  );
}

export function SecondaryButton({ children, onPress, isDisabled, autoFocus }: { children: ReactNode; onPress?: () => void; isDisabled?: boolean; autoFocus?: boolean }) {
  return (
    <Button className="adm-btn" onPress={onPress} isDisabled={isDisabled} autoFocus={autoFocus}>
      {children}
    </Button>
  );
}
