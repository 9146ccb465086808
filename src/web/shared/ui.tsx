import { useEffect, useId, useLayoutEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import {
  Button as AriaButton,
  Dialog,
  DialogTrigger,
  FieldError,
  Heading,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Modal,
  ModalOverlay,
  Popover,
  Select,
  SelectValue,
  Text,
  TextField as AriaTextField,
  type ButtonProps as AriaButtonProps,
} from 'react-aria-components';
import { errorText } from './errors';
import { ApiError } from '../api';

/**
 * The one kit of small accessible building blocks, shared by every surface (the admin console, the
 * agent workspace, the help center). Styles live in styles.css (`ui-*`).
 */

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'quiet';

export function Button({ variant = 'secondary', className, ...props }: AriaButtonProps & { variant?: ButtonVariant; className?: string }) {
  return <AriaButton {...props} className={`ui-button ui-button-${variant}${className ? ` ${className}` : ''}`} />;
}

export interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'email' | 'password' | 'search' | 'url';
  name?: string;
  autoComplete?: string;
  description?: string;
  /** shown under the field and marks it invalid (aria-invalid, aria-describedby) */
  error?: string;
  isRequired?: boolean;
  isReadOnly?: boolean;
  autoFocus?: boolean;
  maxLength?: number;
  className?: string;
}

/** A labelled text input; its error is announced with the field. */
export function TextField({ label, error, description, className, ...props }: TextFieldProps) {
  return (
    <AriaTextField {...props} isInvalid={Boolean(error)} validationBehavior="aria" className={`ui-field${className ? ` ${className}` : ''}`}>
      <Label className="ui-label">
        {label}
        {props.isRequired && <span aria-hidden="true" className="ui-required"> *</span>}
      </Label>
      <Input className="ui-input" />
      {description && (
        <Text slot="description" className="ui-description">
          {description}
        </Text>
      )}
      <FieldError className="ui-field-error">{error}</FieldError>
    </AriaTextField>
  );
}

/** An error (or warning) the user must notice: role="alert" is announced as soon as it appears. */
export function Alert({ children, tone = 'error' }: { children: ReactNode; tone?: 'error' | 'warning' }) {
  return (
    <div role="alert" className={`ui-alert ui-alert-${tone}`}>
      {children}
    </div>
  );
}

/** A load error: a title ("Could not load the users") and what went wrong, as an alert. */
export function ErrorMessage({
  error,
  title = 'Could not load this page',
  byStatus,
}: {
  error: unknown;
  title?: string;
  byStatus?: Readonly<Partial<Record<number, string>>>;
}) {
  return (
    <Alert>
      <strong>{title}</strong>
      <p className="ui-alert-detail">{errorText(error, byStatus)}</p>
    </Alert>
  );
}

/**
 * A page whose content could not be loaded (a link to a portal, project or request that is gone or
 * not yours, the server unreachable): still a page, with its one h1 saying what happened, then
 * `message` (what went wrong, in the page's own words; by default the error's own) as an alert.
 */
export function LoadFailed({ error, message = errorText(error) }: { error: unknown; message?: string }) {
  const status = error instanceof ApiError ? error.status : null;
  const title = status === 404 ? 'Not found' : status === 403 ? 'No access' : 'This page could not be loaded';
  return (
    <>
      <PageHeading title={title} />
      <Alert>{message}</Alert>
    </>
  );
}

/**
 * A polite notice of something that went well ("Token created."); role="status". Rendered with
 * empty children it is an empty live region kept in the page, so the next message is announced.
 */
export function Status({ children, onDismiss, autoHideMs }: { children?: ReactNode; onDismiss?: () => void; autoHideMs?: number }) {
  const dismiss = useRef(onDismiss);
  dismiss.current = onDismiss;
  useEffect(() => {
    if (!autoHideMs) return;
    const t = setTimeout(() => dismiss.current?.(), autoHideMs);
    return () => clearTimeout(t);
  }, [autoHideMs, children]);
  if (children === undefined || children === null || children === '' || children === false) return <div role="status" className="ui-status-empty" />;
  return (
    <div role="status" className="ui-status">
      <span>{children}</span>
      {onDismiss && (
        <AriaButton className="ui-status-dismiss" aria-label="Dismiss" onPress={onDismiss}>
          ×
        </AriaButton>
      )}
    </div>
  );
}

/** The page's one h1, with optional description and actions on the right. */
export function PageHeading({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="ui-page-heading">
      <div>
        <h1>{title}</h1>
        {description && <p className="ui-muted">{description}</p>}
      </div>
      {actions && <div className="ui-page-actions">{actions}</div>}
    </div>
  );
}

/** "Loading…" announced politely. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p role="status" className="ui-muted">
      {label}
    </p>
  );
}

export interface Column<T> {
  /** the column's name (and its key): shown in the header unless `renderHeader` or `hideHeader` */
  header: string;
  cell: (row: T) => ReactNode;
  /** right-align numbers, keep actions narrow */
  align?: 'start' | 'end';
  /** header content other than the name (e.g. a select-all checkbox, which carries its own label) */
  renderHeader?: () => ReactNode;
  /** the name is read by screen readers only (e.g. "Actions" over a column of menu buttons) */
  hideHeader?: boolean;
  /** class of the column's cells (a narrow checkbox column) */
  className?: string;
}

function cellClass<T>(c: Column<T>): string | undefined {
  return [c.align === 'end' ? 'ui-align-end' : '', c.className ?? ''].filter(Boolean).join(' ') || undefined;
}

/**
 * True when the element is narrower than its content (a wide table on a phone): it then scrolls
 * sideways, and a keyboard user must be able to reach it to scroll it.
 */
function useOverflowsX<E extends HTMLElement>() {
  const ref = useRef<E>(null);
  const [overflows, setOverflows] = useState(false);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const check = () => setOverflows(el.scrollWidth > el.clientWidth + 1);
    check();
    const observer = new ResizeObserver(check);
    observer.observe(el);
    if (el.firstElementChild) observer.observe(el.firstElementChild);
    return () => observer.disconnect();
  }, []);
  return [ref, overflows] as const;
}

/**
 * A readable data table with a caption (visually hidden unless showCaption) and an empty state. A
 * table wider than the screen scrolls inside its frame, which then takes keyboard focus.
 */
export function DataTable<T>({
  caption,
  showCaption = false,
  columns,
  rows,
  rowKey,
  empty,
  rowClassName,
  busy,
  stackOnPhone = false,
}: {
  caption: string;
  showCaption?: boolean;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  empty: ReactNode;
  rowClassName?: (row: T) => string | undefined;
  /** a newer page of rows is on its way (aria-busy) */
  busy?: boolean;
  /** on a phone each row reads as a card of "column: value" lines instead of a wide table */
  stackOnPhone?: boolean;
}) {
  const emptyId = useId();
  const captionId = useId();
  const [wrapRef, overflows] = useOverflowsX<HTMLDivElement>();
  return (
    <div
      ref={wrapRef}
      className={stackOnPhone ? 'ui-table-wrap is-stacking' : 'ui-table-wrap'}
      {...(overflows ? { tabIndex: 0, role: 'group', 'aria-labelledby': captionId } : {})}
    >
      <table className={stackOnPhone ? 'ui-table is-stacking' : 'ui-table'} aria-describedby={rows.length === 0 ? emptyId : undefined} aria-busy={busy || undefined}>
        <caption id={captionId} className={showCaption ? 'ui-caption' : 'ui-visually-hidden'}>
          {caption}
        </caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" className={cellClass(c)}>
                {c.renderHeader ? c.renderHeader() : c.hideHeader ? <span className="ui-visually-hidden">{c.header}</span> : c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} className={rowClassName?.(row)}>
              {columns.map((c) => (
                <td key={c.header} className={cellClass(c)} data-label={c.hideHeader ? undefined : c.header}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && (
        <p id={emptyId} className="ui-table-empty">
          {empty}
        </p>
      )}
    </div>
  );
}

/** A date-time as the reader's locale shows it, with the exact ISO value in <time>. */
export function DateTime({ value, fallback = '—' }: { value: string | null | undefined; fallback?: string }) {
  if (!value) return <>{fallback}</>;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return <>{fallback}</>;
  return <time dateTime={d.toISOString()}>{d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}</time>;
}

/** "Showing 1–20 of 45" and the Previous / Next buttons under a paged list. */
export function Pager({
  summary,
  hasPrevious,
  hasNext,
  onPrevious,
  onNext,
}: {
  summary: ReactNode;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
}) {
  return (
    <div className="ui-pager">
      <span>{summary}</span>
      <div className="ui-pager-buttons">
        <Button isDisabled={!hasPrevious} onPress={onPrevious}>
          Previous
        </Button>
        <Button isDisabled={!hasNext} onPress={onNext}>
          Next
        </Button>
      </div>
    </div>
  );
}

export interface SelectOption {
  id: string;
  label: string;
}

/**
 * A labelled single choice from a short list (a filter), as a button that opens a listbox. With
 * `hideLabel` the label names it for screen readers only (a compact select in a table row).
 */
export function SelectField({
  label,
  options,
  value,
  onChange,
  className,
  hideLabel = false,
  isDisabled,
}: {
  label: string;
  options: readonly SelectOption[];
  value: string;
  onChange: (id: string) => void;
  className?: string;
  hideLabel?: boolean;
  isDisabled?: boolean;
}) {
  return (
    <Select
      selectedKey={value}
      onSelectionChange={(k) => k !== null && onChange(String(k))}
      className={`ui-select${className ? ` ${className}` : ''}`}
      isDisabled={isDisabled}
      {...(hideLabel ? { 'aria-label': label } : {})}
    >
      {!hideLabel && <Label className="ui-label">{label}</Label>}
      <AriaButton className="ui-select-button">
        <SelectValue />
        <span aria-hidden="true">▾</span>
      </AriaButton>
      <Popover className="ui-popover">
        <ListBox className="ui-listbox" items={options}>
          {(item) => (
            <ListBoxItem id={item.id} className="ui-option">
              {item.label}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </Select>
  );
}

/**
 * A modal dialog with its title. `alert` makes it an alertdialog (the confirmation of a
 * consequential action), which Escape or a click outside does not dismiss.
 */
export function ModalDialog({
  title,
  onClose,
  alert,
  isOpen = true,
  wide,
  children,
}: {
  title: string;
  onClose: () => void;
  alert?: boolean;
  isOpen?: boolean;
  /** room for a table (720 px instead of 480 px, never wider than the screen) */
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <ModalOverlay isOpen={isOpen} onOpenChange={(open) => !open && onClose()} isDismissable={!alert} className="ui-modal-overlay">
      <Modal className={wide ? 'ui-modal ui-modal-wide' : 'ui-modal'}>
        <Dialog role={alert ? 'alertdialog' : 'dialog'} className="ui-dialog">
          <Heading slot="title" level={2}>
            {title}
          </Heading>
          {children}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

/**
 * A button that opens a modal dialog holding a form with its title; `onClosed` resets what the form
 * held, `onSubmit` gets the form's submit (its default prevented) and the dialog's close. The
 * children are drawn with `close` too (a Cancel or Done button).
 */
export function FormDialogTrigger({
  button,
  title,
  onClosed,
  onSubmit,
  children,
}: {
  button: ReactNode;
  title: string;
  onClosed: () => void;
  onSubmit: (close: () => void) => void;
  children: (close: () => void) => ReactNode;
}) {
  return (
    <DialogTrigger onOpenChange={(open) => !open && onClosed()}>
      {button}
      <ModalOverlay className="ui-modal-overlay" isDismissable>
        <Modal className="ui-modal">
          <Dialog className="ui-dialog">
            {({ close }) => (
              <form
                onSubmit={(e: FormEvent) => {
                  e.preventDefault();
                  onSubmit(close);
                }}
              >
                <Heading slot="title">{title}</Heading>
                {children(close)}
              </form>
            )}
          </Dialog>
        </Modal>
      </ModalOverlay>
    </DialogTrigger>
  );
}

/** A form dialog's main action (its submit button) and Cancel. */
export function SubmitOrCancel({ label, isDisabled, close }: { label: string; isDisabled: boolean; close: () => void }) {
  return (
    <DialogActions>
      <Button variant="primary" type="submit" isDisabled={isDisabled}>
        {label}
      </Button>
      <Button onPress={close}>Cancel</Button>
    </DialogActions>
  );
}

/** The buttons at the foot of a dialog, the main action first. */
export function DialogActions({ children }: { children: ReactNode }) {
  return <div className="ui-dialog-actions">{children}</div>;
}

/** The signed-in person at the end of a page header: their name (email on hover) and Log out. */
export function SignedInUser({ account, onLogOut }: { account: { displayName: string; email: string } | undefined; onLogOut: () => void }) {
  return (
    <div className="shell-user">
      {account && (
        <span className="shell-user-name" title={account.email}>
          {account.displayName}
        </span>
      )}
      <Button variant="quiet" onPress={onLogOut}>
        Log out
      </Button>
    </div>
  );
}

/** Who is signed in, on a profile page (the staff's and the help center's): name and email. */
export function AccountDetails({ account }: { account: { displayName: string | null; email: string | null } }) {
  return (
    <dl className="ui-details">
      <dt>Name</dt>
      <dd>{account.displayName}</dd>
      <dt>Email</dt>
      <dd>{account.email}</dd>
    </dl>
  );
}
