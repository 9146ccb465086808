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
