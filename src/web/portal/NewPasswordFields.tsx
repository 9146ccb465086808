import { useState, type FormEvent } from 'react';
import { ApiError } from '../api';
import { TextField } from '../shared/ui';

// A new password and its confirmation, as the help center's reset-password and set-password pages
// ask for them: the rules checked before anything is sent (the server checks them again, and the
// common-password list).

const MIN = 8;
const MAX = 100;

export interface NewPasswordProblems {
  password?: string;
  confirm?: string;
}

/** What is wrong with a new password and its confirmation, field by field (nothing: an empty object's values). */
export function newPasswordProblems(password: string, confirm: string): NewPasswordProblems {
  return {
    password: password.length < MIN ? `Use at least ${MIN} characters.` : password.length > MAX ? `Use at most ${MAX} characters.` : undefined,
    confirm: confirm !== password ? 'The passwords do not match.' : undefined,
  };
}

/** The two fields, named `label` and "Confirm <label>", the first focused. */
export function NewPasswordFields({
  label,
  password,
  confirm,
  onPassword,
  onConfirm,
  problems,
}: {
  label: 'Password' | 'New password';
  password: string;
  confirm: string;
  onPassword: (value: string) => void;
  onConfirm: (value: string) => void;
  problems: NewPasswordProblems;
}) {
  return (
    <>
      <TextField
        label={label}
        type="password"
        name="password"
        autoComplete="new-password"
        value={password}
        onChange={onPassword}
        description={`${MIN} to ${MAX} characters; common passwords are refused.`}
        error={problems.password}
        maxLength={1000}
        autoFocus
      />
      <TextField
        label={`Confirm ${label.toLowerCase()}`}
        type="password"
        name="confirm"
        autoComplete="new-password"
        value={confirm}
        onChange={onConfirm}
        error={problems.confirm}
        maxLength={1000}
      />
    </>
  );
}

/**
 * The state and the submit of a form that chooses a new password: checks the two fields first, then
 * `send`s the password. The server's word on the password goes under its field (until the field
 * changes), anything else (a dead link, no connection) into `error`, above the form; `busy` stays on
 * after a success, while the page moves on.
 */
export function useNewPasswordForm(send: (password: string) => Promise<void>) {
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problems, setProblems] = useState<NewPasswordProblems>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    const found = newPasswordProblems(password, confirm);
    setProblems(found);
    if (found.password || found.confirm) return;
    setBusy(true);
    setError(null);
    try {
      await send(password);
    } catch (err) {
      if (err instanceof ApiError && err.errors.password) setProblems({ password: err.errors.password });
      else setError(err instanceof ApiError ? err.message : 'Could not reach Portico. Check your connection and try again.');
      setBusy(false);
    }
  };
  // what was said of a field goes once the person changes it
  const onPassword = (value: string) => {
    setPassword(value);
    setProblems((p) => ({ ...p, password: undefined }));
  };
  const onConfirm = (value: string) => {
    setConfirm(value);
    setProblems((p) => ({ ...p, confirm: undefined }));
  };
  return { fields: { password, confirm, onPassword, onConfirm, problems }, error, busy, submit };
}
