import { useEffect, useId, useRef, type ReactNode } from 'react';
import {
  Button as AriaButton,
  FieldError,
  Input,
  Label,
  Text,
  TextField as AriaTextField,
  type ButtonProps as AriaButtonProps,
} from 'react-aria-components';

/** Small accessible building blocks shared by every surface. Styles live in styles.css (`ui-*`). */

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

/** A polite notice of something that went well ("Token created."); role="status". */
export function Status({ children, onDismiss, autoHideMs }: { children: ReactNode; onDismiss?: () => void; autoHideMs?: number }) {
  const dismiss = useRef(onDismiss);
  dismiss.current = onDismiss;
  useEffect(() => {
    if (!autoHideMs) return;
    const t = setTimeout(() => dismiss.current?.(), autoHideMs);
    return () => clearTimeout(t);
  }, [autoHideMs, children]);
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
  header: string;
  cell: (row: T) => ReactNode;
  /** right-align numbers, keep actions narrow */
  align?: 'start' | 'end';
}

/** A readable data table with a caption (visually hidden unless showCaption) and an empty state. */
export function DataTable<T>({
  caption,
  showCaption = false,
  columns,
  rows,
  rowKey,
  empty,
}: {
  caption: string;
  showCaption?: boolean;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  empty: ReactNode;
}) {
  const emptyId = useId();
  return (
    // The wrapper scrolls a wide table sideways on a narrow screen: focusable and named, so a keyboard
    // can scroll it too (axe: scrollable-region-focusable).
    <div className="ui-table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table className="ui-table" aria-describedby={rows.length === 0 ? emptyId : undefined}>
        <caption className={showCaption ? 'ui-caption' : 'ui-visually-hidden'}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" className={c.align === 'end' ? 'ui-align-end' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.header} className={c.align === 'end' ? 'ui-align-end' : undefined}>
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
