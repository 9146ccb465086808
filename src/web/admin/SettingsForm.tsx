import type { FormEvent, ReactNode } from 'react';
import { Form } from 'react-aria-components';
import { Alert, Button, Status } from '../shared/ui';
import { errorText } from '../shared/errors';

/**
 * A settings form of the admin console (sign-up, inactivity policy, identity provider): its fields,
 * then what saving did — the server's refusal, unless a field already shows it, or the saved message
 * (dismissable) — then the Save button, disabled while saving or while `canSave` is false. Enter in a
 * field saves as the button does. `status` and `actions` add lines above the buttons and buttons
 * after Save (the identity provider's test and remove).
 */
export function SettingsForm({
  onSave,
  saveLabel,
  canSave = true,
  saving,
  error,
  message,
  onDismissMessage,
  status,
  actions,
  children,
}: {
  onSave: () => void;
  saveLabel: string;
  canSave?: boolean;
  saving: boolean;
  /** the save's error to show in the form's alert; null when there is none, or a field shows it */
  error: unknown;
  message: string;
  onDismissMessage: () => void;
  status?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Form
      className="adm-signup-form"
      validationBehavior="aria"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        if (canSave) onSave();
      }}
    >
      {children}
      {error ? <Alert>{errorText(error)}</Alert> : null}
      {message ? <Status onDismiss={onDismissMessage}>{message}</Status> : null}
      {status}
      <div className="adm-actions">
        <Button type="submit" variant="primary" isDisabled={saving || !canSave}>
          {saveLabel}
        </Button>
        {actions}
      </div>
    </Form>
  );
}
