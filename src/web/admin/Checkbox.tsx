import type { ReactNode } from 'react';
import { Checkbox, type CheckboxProps } from 'react-aria-components';

/** The admin console's drawn checkbox (admin.css .adm-checkbox-box): a tick when selected, a dash when some of a group are. */
export function CheckboxBox() {
  return (
    <span className="adm-checkbox-box" aria-hidden="true">
      <svg viewBox="0 0 18 18">
        <polyline className="adm-check" points="3.5 9.5 7.5 13 14.5 5" />
        <line className="adm-dash" x1="4" y1="9" x2="14" y2="9" />
      </svg>
    </span>
  );
}

/** A checkbox with its words beside it (alone, or with `value` inside a CheckboxGroup). */
export function LabelledCheckbox({ children, ...props }: Omit<CheckboxProps, 'children' | 'className'> & { children: ReactNode }) {
  return (
    <Checkbox {...props} className="adm-checkbox adm-checkbox-labelled">
      <CheckboxBox />
      {children}
    </Checkbox>
  );
}
